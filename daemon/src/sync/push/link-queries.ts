import { sql } from 'kysely';
import type { EntityType, LinkRow, LinkXeroType, StateDb } from '../../state/tables.ts';
import { XERO_TYPE_OF } from '../../state/links.ts';
import { toDbUtc } from '../../state/state-db.ts';

/** The links of many entities of one type in one query (state/links.ts reads one at a time). */
export async function linksOf(db: StateDb, entityType: EntityType, ids: readonly number[]): Promise<Map<number, LinkRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('b_b24xero_link').selectAll()
    .where('ENTITY_TYPE', '=', entityType)
    .where('XERO_TYPE', '=', XERO_TYPE_OF[entityType])
    .where('ENTITY_ID', 'in', [...ids])
    .execute();
  return new Map(rows.map((r) => [r.ENTITY_ID, r]));
}

/** Links pointing at any of these Xero objects (to tell whose a matched Xero contact already is). */
export async function linksToXeroIds(db: StateDb, xeroType: LinkXeroType, xeroIds: readonly string[]): Promise<LinkRow[]> {
  if (xeroIds.length === 0) return [];
  return db.selectFrom('b_b24xero_link').selectAll()
    .where('XERO_TYPE', '=', xeroType)
    .where('XERO_ID', 'in', xeroIds.map((id) => id.toLowerCase()))
    .execute();
}

/**
 * Withdraws a create intent once Xero has answered that it did NOT create the object (an element error, a 400 for
 * the whole batch): nothing exists to find, so the next attempt need not search first. Only a 'creating' row goes.
 */
export async function withdrawIntent(db: StateDb, entityType: EntityType, entityId: number): Promise<void> {
  await db.deleteFrom('b_b24xero_link')
    .where('ENTITY_TYPE', '=', entityType)
    .where('ENTITY_ID', '=', entityId)
    .where('XERO_TYPE', '=', XERO_TYPE_OF[entityType])
    .where('STATE', '=', 'creating')
    .execute();
}

export interface OpenError {
  /** Its back-off has passed (NEXT_RETRY_AT <= now). */
  due: boolean;
  /** The Bitrix modification time the failed attempt saw (DETAILS.bitrixUpdatedAt), if recorded. */
  bitrixUpdatedAt: string | null;
}

/** Open errors of these records, keyed 'id:OPERATION'. */
export async function openErrors(db: StateDb, entityType: EntityType, ids: readonly number[]): Promise<Map<string, OpenError>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('b_b24xero_record_error')
    .select(['ENTITY_ID', 'OPERATION', 'DETAILS', sql<number>`COALESCE(NEXT_RETRY_AT <= UTC_TIMESTAMP(3), 0)`.as('due')])
    .where('ENTITY_TYPE', '=', entityType)
    .where('ENTITY_ID', 'in', [...ids])
    .where('RESOLVED_AT', 'is', null)
    .execute();
  return new Map(rows.map((r) => [`${r.ENTITY_ID}:${r.OPERATION}`, { due: Number(r.due) === 1, bitrixUpdatedAt: detailsUpdatedAt(r.DETAILS) }]));
}

function detailsUpdatedAt(details: string | null): string | null {
  if (!details) return null;
  try {
    const value = (JSON.parse(details) as { bitrixUpdatedAt?: unknown }).bitrixUpdatedAt;
    return typeof value === 'string' ? value : null;
  } catch {
    return null;
  }
}

/** Xero's UpdatedDateUTC (a Date from xero-node, or '/Date(ms)/') as the DATETIME(3) text links store. */
export function xeroUpdatedUtc(value: unknown): string | null {
  let date: Date | null = null;
  if (value instanceof Date) date = value;
  else if (typeof value === 'string') {
    const ms = /\/Date\((-?\d+)/.exec(value);
    date = ms ? new Date(Number(ms[1])) : new Date(value);
  }
  if (!date || Number.isNaN(date.getTime())) return null;
  return toDbUtc(date);
}

/**
 * Records that a Bitrix entity is bound to an existing Xero object found by matching (not created by us, so no
 * intent came first): inserts the link as synced, or brings an existing row to synced.
 */
export async function upsertSyncedLink(
  db: StateDb,
  link: { entityType: EntityType; entityId: number; xeroId: string; idempotencyKey: string; contentHash: string | null; xeroNumber: string | null; tenantId: string },
): Promise<void> {
  const xeroId = link.xeroId.toLowerCase();
  await db.insertInto('b_b24xero_link')
    .values({
      ENTITY_TYPE: link.entityType, ENTITY_ID: link.entityId, XERO_TYPE: XERO_TYPE_OF[link.entityType], XERO_ID: xeroId,
      STATE: 'synced', IDEMPOTENCY_KEY: link.idempotencyKey, CONTENT_HASH: link.contentHash, XERO_STATUS: null,
      XERO_NUMBER: link.xeroNumber, XERO_UPDATED_UTC: null, TENANT_ID: link.tenantId,
      CREATED_AT: sql<string>`UTC_TIMESTAMP(3)`, UPDATED_AT: sql<string>`UTC_TIMESTAMP(3)`,
    })
    .onDuplicateKeyUpdate({
      XERO_ID: xeroId, STATE: 'synced', CONTENT_HASH: link.contentHash, XERO_NUMBER: link.xeroNumber,
      UPDATED_AT: sql<string>`UTC_TIMESTAMP(3)`,
    })
    .execute();
}
