import { sql, type Kysely } from 'kysely';
import type { StateTables } from './tables.ts';

/**
 * Named reader positions in b_b24xero_cursor ('scan:smart_invoice', 'pull:invoices', …). Values are opaque strings
 * to this module; each reader owns its format (scan cursors: bitrix/scan.ts encodeScanPosition).
 *
 * The rule the callers follow (HOUSE-STYLE "not to copy: a cursor saved before the page it covers is applied"): store
 * a cursor only after the work it covers is done — scanChanged yields a page together with the cursor to store after
 * processing it, which makes that the natural order.
 */
type CursorDb = Kysely<Pick<StateTables, 'b_b24xero_cursor'>>;
type HasCursorTable = Pick<StateTables, 'b_b24xero_cursor'>;
/** See bitrixDb in bitrix/tables.ts: Kysely's DB parameter is invariant, so accept any database that has the table. */
function narrow<DB extends HasCursorTable>(db: Kysely<DB>): CursorDb {
  return db as unknown as CursorDb;
}

export async function getCursor<DB extends HasCursorTable>(anyDb: Kysely<DB>, name: string): Promise<string | null> {
  const db = narrow(anyDb);
  const row = await db.selectFrom('b_b24xero_cursor').select('VALUE').where('NAME', '=', name).executeTakeFirst();
  return row?.VALUE ?? null;
}

/** Stores (inserts or replaces) a cursor. UPDATED_AT is UTC, like every module-owned time. */
export async function setCursor<DB extends HasCursorTable>(anyDb: Kysely<DB>, name: string, value: string): Promise<void> {
  const db = narrow(anyDb);
  if (name === '' || name.length > 64) throw new RangeError(`cursor name must be 1-64 characters (got ${JSON.stringify(name)})`);
  if (value.length > 255) throw new RangeError(`cursor ${name} value is longer than 255 characters`);
  // Repeating the values instead of VALUES(col): deprecated in MySQL 8.0.20, while the alias syntax is MySQL-only.
  await db.insertInto('b_b24xero_cursor')
    .values({ NAME: name, VALUE: value, UPDATED_AT: sql<string>`UTC_TIMESTAMP(3)` })
    .onDuplicateKeyUpdate({ VALUE: value, UPDATED_AT: sql<string>`UTC_TIMESTAMP(3)` })
    .execute();
}

/** Forgets a cursor: the next pass of its reader starts from the beginning. */
export async function deleteCursor<DB extends HasCursorTable>(anyDb: Kysely<DB>, name: string): Promise<void> {
  const db = narrow(anyDb);
  await db.deleteFrom('b_b24xero_cursor').where('NAME', '=', name).execute();
}

/** Every cursor with when it last moved (for `b24xero status` / doctor). */
export async function listCursors<DB extends HasCursorTable>(anyDb: Kysely<DB>): Promise<Array<{ name: string; value: string; updatedAt: string }>> {
  const db = narrow(anyDb);
  const rows = await db.selectFrom('b_b24xero_cursor').select(['NAME', 'VALUE', 'UPDATED_AT']).orderBy('NAME').execute();
  return rows.map((r) => ({ name: r.NAME, value: r.VALUE, updatedAt: r.UPDATED_AT }));
}
