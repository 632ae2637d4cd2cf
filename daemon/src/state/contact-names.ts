import { sql } from 'kysely';
import type { EntityType, StateDb } from './tables.ts';

/** Stored name qualifiers (sync/plan nameQualifiers) of these contacts or companies, by id. */
export async function readNameSuffixes(db: StateDb, entityType: EntityType, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('b_b24xero_contact_name').select(['ENTITY_ID', 'NAME_SUFFIX'])
    .where('ENTITY_TYPE', '=', entityType).where('ENTITY_ID', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((r) => [r.ENTITY_ID, r.NAME_SUFFIX]));
}

/** Keeps the qualifier a party's Xero name was given, so every later push sends the same name. */
export async function saveNameSuffix(db: StateDb, entityType: EntityType, entityId: number, suffix: string): Promise<void> {
  await db.insertInto('b_b24xero_contact_name')
    .values({ ENTITY_TYPE: entityType, ENTITY_ID: entityId, NAME_SUFFIX: suffix, UPDATED_AT: sql<string>`UTC_TIMESTAMP(3)` })
    .onDuplicateKeyUpdate({ NAME_SUFFIX: suffix, UPDATED_AT: sql<string>`UTC_TIMESTAMP(3)` })
    .execute();
}
