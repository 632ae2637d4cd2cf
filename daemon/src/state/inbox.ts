import { sql, type Kysely, type Transaction } from 'kysely';
import { truncateUtf8 } from './text-limit.ts';
import { ER_DUP_ENTRY, ER_LOCK_DEADLOCK, isMysqlError } from './mysql-errors.ts';
import { asStateDb } from './state-db.ts';
import type { EntityType, InboxRow, StateDb, StateTables } from './tables.ts';

/**
 * Actions where only the latest pending wish per entity matters. For set_fields the pending payloads are merged
 * (a later value of a field wins, fields only the earlier row set are kept); for the others the later one replaces.
 */
export const DEDUPED_ACTIONS: Readonly<Record<string, 'merge' | 'replace'>> = Object.freeze({
  set_fields: 'merge',
  set_stage: 'replace',
});

export interface InboxItem {
  entityType: EntityType;
  /** NULL for imports that create the entity. */
  entityId: number | null;
  action: string;
  /** A JSON object; what the module's applier expects for this action. */
  payload: Record<string, unknown>;
  /**
   * Rows with the same key supersede each other while pending. Default for DEDUPED_ACTIONS with an entity id:
   * '<action>:<entityType>:<entityId>'; other actions are never deduplicated unless given one (e.g. an import keyed
   * by its Xero id).
   */
  dedupeKey?: string | null;
}

export interface EnqueueResult {
  id: number;
  /** The pending row this one replaced (now STATE 'superseded'), if any. */
  supersededId: number | null;
}

export function defaultDedupeKey(item: Pick<InboxItem, 'action' | 'entityType' | 'entityId'>): string | null {
  if (item.entityId === null || DEDUPED_ACTIONS[item.action] === undefined) return null;
  return `${item.action}:${item.entityType}:${item.entityId}`;
}

/**
 * Queues a change for the Bitrix module's applier (rule 1). A pending row with the same dedupe key is not edited in
 * place (the applier may be applying it right now, and would then mark our addition applied without having seen
 * it): it is marked 'superseded' and a new pending row carries the merged payload. Re-applying fields the applier
 * already set is harmless; losing one is not.
 */
export async function enqueueInbox<DB extends StateTables>(anyDb: Kysely<DB> | Transaction<DB>, item: InboxItem): Promise<EnqueueResult> {
  const db = asStateDb(anyDb);
  const dedupeKey = item.dedupeKey === undefined ? defaultDedupeKey(item) : item.dedupeKey;
  if (dedupeKey === null) {
    const id = await insertRow(db, item, item.payload, null);
    return { id, supersededId: null };
  }
  // Two enqueuers of the same key race on the unique key (or deadlock on its gap lock); the loser simply retries
  // and then finds the winner's row to supersede.
  for (let attempt = 1; ; attempt++) {
    try {
      return db.isTransaction
        ? await supersedeAndInsert(db, item, dedupeKey)
        : await db.transaction().execute((trx) => supersedeAndInsert(trx, item, dedupeKey));
    } catch (error) {
      const retryable = isMysqlError(error, ER_DUP_ENTRY) || isMysqlError(error, ER_LOCK_DEADLOCK);
      if (!retryable || attempt >= 10 || db.isTransaction) throw error;
    }
  }
}

async function supersedeAndInsert(trx: StateDb, item: InboxItem, dedupeKey: string): Promise<EnqueueResult> {
  const holder = await trx
    .selectFrom('b_b24xero_inbox')
    .select(['ID', 'PAYLOAD', 'STATE'])
    .where('DEDUPE_KEY', '=', dedupeKey)
    .forUpdate()
    .executeTakeFirst();
  let payload = item.payload;
  const pending = holder?.STATE === 'pending' ? holder : undefined;
  if (pending && DEDUPED_ACTIONS[item.action] === 'merge') payload = mergePayload(parseObject(pending.PAYLOAD), item.payload);
  if (holder) {
    // A settled row should have released its key; if an applier left it behind, release it here rather than let
    // it block every later wish for the entity.
    await trx
      .updateTable('b_b24xero_inbox')
      .set(pending ? { STATE: 'superseded', DEDUPE_KEY: null } : { DEDUPE_KEY: null })
      .where('ID', '=', holder.ID)
      .execute();
  }
  const id = await insertRow(trx, item, payload, dedupeKey);
  return { id, supersededId: pending?.ID ?? null };
}

async function insertRow(db: StateDb, item: InboxItem, payload: Record<string, unknown>, dedupeKey: string | null): Promise<number> {
  const result = await db
    .insertInto('b_b24xero_inbox')
    .values({
      ENTITY_TYPE: item.entityType,
      ENTITY_ID: item.entityId,
      ACTION: item.action,
      PAYLOAD: JSON.stringify(payload),
      STATE: 'pending',
      DEDUPE_KEY: dedupeKey,
      ATTEMPTS: 0,
      ERROR: null,
      CREATED_AT: sql<string>`UTC_TIMESTAMP(3)`,
      APPLIED_AT: null,
    })
    .executeTakeFirstOrThrow();
  return Number(result.insertId);
}

/** Later values win; nested plain objects (e.g. { fields: {…} }) are merged key by key; arrays are replaced. */
export function mergePayload(earlier: Record<string, unknown>, later: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...earlier };
  for (const [key, value] of Object.entries(later)) {
    const before = out[key];
    out[key] = isPlainObject(before) && isPlainObject(value) ? mergePayload(before, value) : value;
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A pending row whose PAYLOAD is not a JSON object (hand-edited?) is replaced rather than merged into. */
function parseObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return isPlainObject(value) ? value : {};
  } catch {
    return {};
  }
}

/** Pending rows in the order they must be applied. */
export async function listPendingInbox<DB extends StateTables>(anyDb: Kysely<DB> | Transaction<DB>, options: { limit?: number; afterId?: number } = {}): Promise<InboxRow[]> {
  const db = asStateDb(anyDb);
  return db
    .selectFrom('b_b24xero_inbox')
    .selectAll()
    .where('STATE', '=', 'pending')
    .where('ID', '>', options.afterId ?? 0)
    .orderBy('ID')
    .limit(options.limit ?? 100)
    .execute();
}

export async function countPendingInbox(db: StateDb): Promise<number> {
  const row = await db
    .selectFrom('b_b24xero_inbox')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('STATE', '=', 'pending')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Only a pending row changes; returns false for a row already settled or superseded. */
export async function markInboxApplied<DB extends StateTables>(anyDb: Kysely<DB> | Transaction<DB>, id: number): Promise<boolean> {
  const db = asStateDb(anyDb);
  const result = await db
    .updateTable('b_b24xero_inbox')
    .set({ STATE: 'applied', APPLIED_AT: sql<string>`UTC_TIMESTAMP(3)`, DEDUPE_KEY: null, ERROR: null })
    .where('ID', '=', id)
    .where('STATE', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Records a failed attempt. With `retry` the row stays pending (ATTEMPTS counts up) for the applier's next round;
 * without it the row is settled as 'failed' and frees its dedupe key, so a newer wish for the entity is queued fresh.
 */
export async function markInboxFailed<DB extends StateTables>(anyDb: Kysely<DB> | Transaction<DB>, id: number, error: string, options: { retry?: boolean } = {}): Promise<boolean> {
  const db = asStateDb(anyDb);
  const result = await db
    .updateTable('b_b24xero_inbox')
    .set((eb) => ({
      ATTEMPTS: eb('ATTEMPTS', '+', 1),
      ERROR: truncateUtf8(error),
      ...(options.retry ? {} : { STATE: 'failed' as const, DEDUPE_KEY: null }),
    }))
    .where('ID', '=', id)
    .where('STATE', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
