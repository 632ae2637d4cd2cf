import { sql, type Kysely, type Transaction } from 'kysely';
import { ER_DUP_ENTRY, isMysqlError } from './mysql-errors.ts';
import { asStateDb } from './state-db.ts';
import type { EntityType, LinkRow, LinkState, LinkXeroType, StateDb, StateTables } from './tables.ts';

/** Which Xero object a Bitrix entity becomes (companies and people are both Xero contacts). */
export const XERO_TYPE_OF: Readonly<Record<EntityType, LinkXeroType>> = Object.freeze({
  smart_invoice: 'invoice',
  legacy_invoice: 'invoice',
  contact: 'contact',
  company: 'contact',
  product: 'item',
});

export interface LinkKey {
  entityType: EntityType;
  entityId: number;
  /** Default: XERO_TYPE_OF[entityType]. */
  xeroType?: LinkXeroType;
}

export async function getLinkByEntity<DB extends StateTables>(anyDb: Kysely<DB> | Transaction<DB>, key: LinkKey): Promise<LinkRow | undefined> {
  const db = asStateDb(anyDb);
  return db
    .selectFrom('b_b24xero_link')
    .selectAll()
    .where('ENTITY_TYPE', '=', key.entityType)
    .where('ENTITY_ID', '=', key.entityId)
    .where('XERO_TYPE', '=', key.xeroType ?? XERO_TYPE_OF[key.entityType])
    .executeTakeFirst();
}

/** The link of a Xero object, e.g. when a webhook or a pull reports it. */
export async function getLinkByXeroId<DB extends StateTables>(anyDb: Kysely<DB> | Transaction<DB>, xeroType: LinkXeroType, xeroId: string): Promise<LinkRow | undefined> {
  const db = asStateDb(anyDb);
  return db
    .selectFrom('b_b24xero_link')
    .selectAll()
    .where('XERO_TYPE', '=', xeroType)
    .where('XERO_ID', '=', xeroId.toLowerCase())
    .orderBy('ID')
    .executeTakeFirst();
}

export interface CreateIntent extends LinkKey {
  /** Deterministic, e.g. derived from instance + entity + content, so a retried create reuses it. */
  idempotencyKey: string;
  tenantId?: string;
  contentHash?: string | null;
}

export interface CreateIntentResult {
  link: LinkRow;
  /**
   * false when a link already existed: in state 'creating' it means an earlier attempt may have reached Xero,
   * so look the object up (ContactNumber / InvoiceNumber / Reference) before creating again (rule 4).
   */
  created: boolean;
}

/**
 * Records the intent to create the Xero object BEFORE the create call (ARCHITECTURE rule 4). Never overwrites an
 * existing link: the first intent's idempotency key is the one that may already have reached Xero.
 */
export async function recordCreateIntent<DB extends StateTables>(anyDb: Kysely<DB> | Transaction<DB>, intent: CreateIntent): Promise<CreateIntentResult> {
  const db = asStateDb(anyDb);
  const existing = await getLinkByEntity(db, intent);
  if (existing) return { link: existing, created: false };
  try {
    await db
      .insertInto('b_b24xero_link')
      .values({
        ENTITY_TYPE: intent.entityType,
        ENTITY_ID: intent.entityId,
        XERO_TYPE: intent.xeroType ?? XERO_TYPE_OF[intent.entityType],
        XERO_ID: null,
        STATE: 'creating',
        IDEMPOTENCY_KEY: intent.idempotencyKey,
        CONTENT_HASH: intent.contentHash ?? null,
        XERO_STATUS: null,
        XERO_NUMBER: null,
        XERO_UPDATED_UTC: null,
        TENANT_ID: intent.tenantId ?? '',
        CREATED_AT: sql<string>`UTC_TIMESTAMP(3)`,
        UPDATED_AT: sql<string>`UTC_TIMESTAMP(3)`,
      })
      .execute();
  } catch (error) {
    // Another worker recorded the same intent between our read and insert: theirs stands.
    if (!isMysqlError(error, ER_DUP_ENTRY)) throw error;
    return { link: (await getLinkByEntity(db, intent))!, created: false };
  }
  return { link: (await getLinkByEntity(db, intent))!, created: true };
}

export interface SyncedState {
  xeroId: string;
  /** Hash of what was pushed (or of what Xero holds after a pull). */
  contentHash: string | null;
  xeroStatus?: string | null;
  xeroNumber?: string | null;
  /** Xero's UpdatedDateUTC as 'YYYY-MM-DD HH:MM:SS.mmm' (UTC). */
  xeroUpdatedUtc?: string | null;
  tenantId?: string;
}

/** After a successful create/update/pull: the link is 'synced' with what Xero now holds. Returns false if no link. */
export async function markLinkSynced<DB extends StateTables>(anyDb: Kysely<DB> | Transaction<DB>, key: LinkKey, state: SyncedState): Promise<boolean> {
  const db = asStateDb(anyDb);
  return setLinkState(db, key, 'synced', state);
}

/**
 * Xero is master (approved invoice) and Bitrix changed it anyway (rule 5): the link stops being pushed and the
 * difference is reported (record_error operation 'conflict'). Xero-side facts are still recorded when given.
 */
export async function markLinkConflict<DB extends StateTables>(anyDb: Kysely<DB> | Transaction<DB>, key: LinkKey, seen: Partial<SyncedState> = {}): Promise<boolean> {
  const db = asStateDb(anyDb);
  return setLinkState(db, key, 'conflict', seen);
}

/** The Xero object was deleted or voided for good; kept so it is not re-created by accident. */
export async function markLinkDeleted<DB extends StateTables>(anyDb: Kysely<DB> | Transaction<DB>, key: LinkKey): Promise<boolean> {
  const db = asStateDb(anyDb);
  return setLinkState(db, key, 'deleted', {});
}

async function setLinkState(db: StateDb, key: LinkKey, state: LinkState, values: Partial<SyncedState>): Promise<boolean> {
  const result = await db
    .updateTable('b_b24xero_link')
    .set({
      STATE: state,
      UPDATED_AT: sql<string>`UTC_TIMESTAMP(3)`,
      // Xero ids are GUIDs; store them in one case so lookups by id never miss on case.
      ...(values.xeroId !== undefined && { XERO_ID: values.xeroId.toLowerCase() }),
      ...(values.contentHash !== undefined && { CONTENT_HASH: values.contentHash }),
      ...(values.xeroStatus !== undefined && { XERO_STATUS: values.xeroStatus }),
      ...(values.xeroNumber !== undefined && { XERO_NUMBER: values.xeroNumber }),
      ...(values.xeroUpdatedUtc !== undefined && { XERO_UPDATED_UTC: values.xeroUpdatedUtc }),
      ...(values.tenantId !== undefined && { TENANT_ID: values.tenantId }),
    })
    .where('ENTITY_TYPE', '=', key.entityType)
    .where('ENTITY_ID', '=', key.entityId)
    .where('XERO_TYPE', '=', key.xeroType ?? XERO_TYPE_OF[key.entityType])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Links still in 'creating': each is a create that may or may not have reached Xero (recovery after a crash). */
export async function listCreatingLinks<DB extends StateTables>(anyDb: Kysely<DB> | Transaction<DB>, limit = 100): Promise<LinkRow[]> {
  const db = asStateDb(anyDb);
  return db.selectFrom('b_b24xero_link').selectAll().where('STATE', '=', 'creating').orderBy('ID').limit(limit).execute();
}

export type LinkCounts = Record<EntityType, Partial<Record<LinkState, number>>>;

/** Links per entity type and state, for `status` and the dashboard. */
export async function countLinks(db: StateDb): Promise<LinkCounts> {
  const rows = await db
    .selectFrom('b_b24xero_link')
    .select(['ENTITY_TYPE', 'STATE', (eb) => eb.fn.countAll<number | string>().as('n')])
    .groupBy(['ENTITY_TYPE', 'STATE'])
    .execute();
  const counts = { smart_invoice: {}, legacy_invoice: {}, contact: {}, company: {}, product: {} } as LinkCounts;
  for (const row of rows) {
    (counts[row.ENTITY_TYPE] ??= {})[row.STATE] = Number(row.n);
  }
  return counts;
}
