import { sql, type CompiledQuery, type Kysely } from 'kysely';
import { compareNaive, repeatedWallClockSeconds, shiftNaive, utcToNaive } from './bitrix-time.ts';
import { type BitrixTables, bitrixDb } from './tables.ts';
import { dbDateTime } from './values.ts';

/**
 * The safety scan (ARCHITECTURE rule 2b): finds rows changed since a stored cursor by their own modification time,
 * whatever wrote them, so a change that bypassed Bitrix's events (and so the change feed) is still synced.
 *
 * Why the overlap window. The cursor is the last (time, ID) a pass processed, and the time columns have one-second
 * precision and are set by the writer *before* its transaction commits:
 * - same second: after we read up to ('10:00:05', 42), another row may be saved at '10:00:05' with ID 17;
 * - late commit: a transaction stamps '10:00:03' on a row, we scan at 10:00:06 without seeing it (not committed),
 *   store a cursor at '10:00:05', and only then does it commit — its row now sorts before the cursor.
 * Keyset paging alone would skip both for ever. So every pass restarts at cursor.time − overlapSeconds (and from
 * ID 0 at that time): anything committed within `overlapSeconds` of its own timestamp is seen by a later pass. The
 * price is re-reading the rows of the last window each pass; the sync compares content hashes (b_b24xero_link) and
 * acts only on a real difference, so re-reading is harmless. Choose the overlap above the longest transaction that
 * writes these tables (default 5 minutes).
 *
 * Two more things the cursor must not be fooled by:
 * - DST: in the hour after clocks go back, new times sort before times written an hour earlier; when the cursor lies
 *   in such a repeated hour (and options.timeZone is known) the pass looks back by the repeat as well.
 * - future times (a wrong clock, hand-edited rows): the saved cursor never passes the database's "now" in Bitrix's
 *   terms, so one row dated 2099 cannot make every later change invisible; such rows are simply re-read each pass.
 *
 * Rows whose time is NULL or a zero date ('0000-00-00 …', legal under sql_mode='') cannot take part in a
 * (time, ID) keyset (NULL compares as unknown). Every pass therefore first walks those rows by ID alone — usually
 * none or a handful — and then the dated rows by (time, ID).
 *
 * Without the optional (UPDATED_TIME, ID) index (real portals lack it on smart invoices, contacts and companies) each
 * page is a full table scan; with it each page is an index range. Legacy invoices have an index on DATE_UPDATE.
 */

export const SCAN_KINDS = ['smart_invoice', 'legacy_invoice', 'contact', 'company'] as const;
export type ScanKind = (typeof SCAN_KINDS)[number];

/** Table and modification-time column scanned for each kind. */
export const SCAN_SOURCES = {
  smart_invoice: { table: 'b_crm_dynamic_items_31', column: 'UPDATED_TIME' },
  legacy_invoice: { table: 'b_crm_invoice', column: 'DATE_UPDATE' },
  contact: { table: 'b_crm_contact', column: 'DATE_MODIFY' },
  company: { table: 'b_crm_company', column: 'DATE_MODIFY' },
} as const satisfies Record<ScanKind, { table: keyof BitrixTables; column: string }>;

/** A keyset position over (time, ID), time in the database's own naive 'YYYY-MM-DD HH:MM:SS'. */
export interface ScanPosition {
  time: string;
  id: number;
}

export interface ScanRow {
  id: number;
  /** Null for a NULL or zero-date row. */
  time: string | null;
}

export interface ScanPage {
  kind: ScanKind;
  /** 'undated' rows (NULL/zero time) come first in every pass, then 'dated' ones in (time, ID) order. */
  phase: 'undated' | 'dated';
  rows: ScanRow[];
  ids: number[];
  /**
   * The cursor to store once this page has been processed (null while nothing dated was ever processed). It never
   * moves backwards from the cursor the pass started with, and never past the database's current time.
   */
  cursor: ScanPosition | null;
}

export interface ScanOptions {
  /** Rows per page. Default 500. */
  limit?: number;
  /** How far before the stored cursor each pass restarts. Default 300. */
  overlapSeconds?: number;
  /** Bitrix's zone (BITRIX_TIMEZONE). When given, DST fall-back is accounted for and "now" is taken in that zone. */
  timeZone?: string;
}

export const DEFAULT_SCAN_LIMIT = 500;
export const DEFAULT_OVERLAP_SECONDS = 300;

/** Anything below this is a zero or partial-zero date; a literal that strict modes accept, unlike '0000-00-00'. */
const FIRST_REAL_TIME = '1000-01-01 00:00:00';

/** Name of a kind's cursor in b_b24xero_cursor. */
export function scanCursorName(kind: ScanKind): string {
  return `scan:${kind}`;
}

/** Stored form 'YYYY-MM-DD HH:MM:SS|ID' (the comment on b_b24xero_cursor documents it). */
export function encodeScanPosition(position: ScanPosition): string {
  return `${position.time}|${position.id}`;
}

export function decodeScanPosition(value: string | null | undefined): ScanPosition | null {
  if (value === null || value === undefined || value === '') return null;
  const m = /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})\|(\d+)$/.exec(value);
  if (!m) throw new Error(`stored scan cursor ${JSON.stringify(value)} is not 'YYYY-MM-DD HH:MM:SS|ID'`);
  return { time: m[1]!, id: Number(m[2]) };
}

export function comparePositions(a: ScanPosition, b: ScanPosition): number {
  return compareNaive(a.time, b.time) || a.id - b.id;
}

/** Rows with a NULL or zero time, after `afterId`, by ID. */
export function undatedPageQuery<DB extends BitrixTables>(anyDb: Kysely<DB>, kind: ScanKind, afterId: number, limit: number): CompiledQuery {
  const db = bitrixDb(anyDb);
  const { table, column } = SCAN_SOURCES[kind];
  const t = sql.ref(column);
  return sql`SELECT ID AS id, ${t} AS changed_at FROM ${sql.table(table)}
    WHERE (${t} IS NULL OR ${t} < ${FIRST_REAL_TIME}) AND ID > ${afterId}
    ORDER BY ID LIMIT ${limit}`.compile(db);
}

/**
 * Dated rows strictly after `after` in (time, ID) order (all dated rows when null). Written as
 * `t >= x AND (t > x OR ID > id)` rather than a row comparison: MariaDB turns only the former into an index range.
 */
export function datedPageQuery<DB extends BitrixTables>(anyDb: Kysely<DB>, kind: ScanKind, after: ScanPosition | null, limit: number): CompiledQuery {
  const db = bitrixDb(anyDb);
  const { table, column } = SCAN_SOURCES[kind];
  const t = sql.ref(column);
  const where = after === null
    ? sql`${t} >= ${FIRST_REAL_TIME}`
    : sql`${t} >= ${after.time} AND (${t} > ${after.time} OR ID > ${after.id})`;
  return sql`SELECT ID AS id, ${t} AS changed_at FROM ${sql.table(table)}
    WHERE ${where}
    ORDER BY ${t}, ID LIMIT ${limit}`.compile(db);
}

/**
 * Which kinds' tables have an index led by their time column (for `doctor`, and to pick a page size: without one every
 * page is a full table scan, so fewer, larger pages are cheaper). Stock portals: only legacy invoices (IXS_DATE_UPDATE).
 */
export async function scanIndexStatus<DB extends BitrixTables>(anyDb: Kysely<DB>): Promise<Record<ScanKind, boolean>> {
  const db = bitrixDb(anyDb);
  const { rows } = await sql<{ table_name: string; column_name: string }>`
    SELECT TABLE_NAME AS table_name, COLUMN_NAME AS column_name FROM information_schema.statistics
    WHERE TABLE_SCHEMA = DATABASE() AND SEQ_IN_INDEX = 1
      AND TABLE_NAME IN (${sql.join(SCAN_KINDS.map((k) => SCAN_SOURCES[k].table))})`.execute(db);
  const has = (kind: ScanKind) => rows.some((r) =>
    r.table_name.toLowerCase() === SCAN_SOURCES[kind].table && r.column_name.toUpperCase() === SCAN_SOURCES[kind].column);
  return { smart_invoice: has('smart_invoice'), legacy_invoice: has('legacy_invoice'), contact: has('contact'), company: has('company') };
}

/** A scanned row plus the raw stored time, which is what keyset positions must use. */
interface RawScanRow extends ScanRow {
  raw: string;
}

async function run(db: Kysely<BitrixTables>, query: CompiledQuery): Promise<RawScanRow[]> {
  const { rows } = await db.executeQuery<{ id: number; changed_at: unknown }>(query);
  // The position is the stored text even where `time` is null: a partial-zero date like '2024-00-10 10:00:00' sorts
  // among real times (it is >= '1000-01-01'), so the keyset must continue from it as stored.
  return rows.map((r) => ({ id: Number(r.id), time: dbDateTime(r.changed_at), raw: String(r.changed_at ?? '') }));
}

function publicRow({ id, time }: RawScanRow): ScanRow {
  return { id, time };
}

/** The database's current time in Bitrix's terms: in `timeZone` if known, else the server's own NOW(). */
async function bitrixNow(db: Kysely<BitrixTables>, timeZone: string | undefined): Promise<string> {
  const { rows } = await sql<{ now: string; utc: string }>`SELECT NOW() AS now, UTC_TIMESTAMP() AS utc`.execute(db);
  const row = rows[0]!;
  if (!timeZone) return dbDateTime(row.now)!;
  return utcToNaive(new Date(`${dbDateTime(row.utc)!.replace(' ', 'T')}Z`), timeZone);
}

/**
 * Where a pass over dated rows starts: the stored cursor moved back by the overlap (and a DST repeat), from ID 0.
 * An overlap of 0 (and no repeat) resumes exactly after the cursor — plain keyset paging, which is what the overlap
 * exists to improve on; it is allowed for tests and for tables nobody writes concurrently.
 */
export function passStart(cursor: ScanPosition | null, overlapSeconds: number, timeZone?: string): ScanPosition | null {
  if (cursor === null) return null;
  const back = overlapSeconds + (timeZone ? repeatedWallClockSeconds(cursor.time, timeZone) : 0);
  if (back === 0) return cursor;
  return { time: shiftNaive(cursor.time, -back), id: 0 };
}

/**
 * One safety-scan pass as pages. Iterate with `for await`, process each page, then store `page.cursor`
 * (`setCursor(db, scanCursorName(kind), encodeScanPosition(page.cursor))`): the generator does not read the next page
 * until the loop asks for it, so a cursor is only ever stored for work already done, and a crash repeats at most a page.
 */
export async function* scanChanged<DB extends BitrixTables>(
  anyDb: Kysely<DB>,
  kind: ScanKind,
  cursor: ScanPosition | null,
  options: ScanOptions = {},
): AsyncGenerator<ScanPage, void, undefined> {
  const db = bitrixDb(anyDb);
  const limit = options.limit ?? DEFAULT_SCAN_LIMIT;
  const overlap = options.overlapSeconds ?? DEFAULT_OVERLAP_SECONDS;
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`scan limit must be a positive integer (got ${limit})`);
  if (!Number.isFinite(overlap) || overlap < 0) throw new RangeError(`overlapSeconds must be >= 0 (got ${overlap})`);

  let afterId = 0;
  for (;;) {
    const rows = await run(db, undatedPageQuery(db, kind, afterId, limit));
    if (rows.length === 0) break;
    yield { kind, phase: 'undated', rows: rows.map(publicRow), ids: rows.map((r) => r.id), cursor };
    if (rows.length < limit) break;
    afterId = rows[rows.length - 1]!.id;
  }

  const horizon: ScanPosition = { time: await bitrixNow(db, options.timeZone), id: 0 };
  let saved = cursor;
  let after = passStart(cursor, overlap, options.timeZone);
  for (;;) {
    const rows = await run(db, datedPageQuery(db, kind, after, limit));
    if (rows.length === 0) return;
    const last = rows[rows.length - 1]!;
    const reached: ScanPosition = { time: last.raw.slice(0, 19), id: last.id };
    const capped = comparePositions(reached, horizon) > 0 ? horizon : reached;
    if (saved === null || comparePositions(capped, saved) > 0) saved = capped;
    yield { kind, phase: 'dated', rows: rows.map(publicRow), ids: rows.map((r) => r.id), cursor: saved };
    if (rows.length < limit) return;
    after = reached;
  }
}
