/**
 * Normalising what Bitrix rows hold. Real portals run with sql_mode='' (reference §9), so NOT NULL columns written
 * without a value contain '', 0 or the zero date, and old rows carry NULLs where the ORM now writes values. Harmless
 * warts are normalised here; values that would make a wrong invoice (a price that is not a number) raise
 * `RowValueError`, which the readers turn into a RowProblem for that row only.
 */

export class RowValueError extends Error {
  override name = 'RowValueError';
}

/** NULL/undefined → ''; strings are trimmed (Bitrix stores user input verbatim, trailing spaces included). */
export function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  return String(value).trim();
}

/** '' / NULL → null, else the trimmed string. */
export function textOrNull(value: unknown): string | null {
  const s = text(value);
  return s === '' ? null : s;
}

/** A positive id, or null for NULL / 0 / '' / negative (Bitrix writes 0 for "none"). */
export function idOrNull(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A DECIMAL/DOUBLE column as a number, without rounding. NULL and '' give `fallback` (a missing optional amount);
 * anything that is not a finite number is an error naming the column, because guessing would put a wrong amount on
 * an invoice.
 */
export function decimal(value: unknown, column: string, fallback = 0): number {
  if (value === null || value === undefined) return fallback;
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
    throw new RowValueError(`${column} is not a finite number (${String(value)})`);
  }
  const s = String(value).trim();
  if (s === '') return fallback;
  if (!DECIMAL.test(s)) throw new RowValueError(`${column} is not a number (${JSON.stringify(s.slice(0, 40))})`);
  const n = Number(s);
  if (!Number.isFinite(n)) throw new RowValueError(`${column} is out of range (${s.slice(0, 40)})`);
  return n;
}

/** Like `decimal`, but NULL/'' stays null (e.g. TAX_RATE: NULL means "no tax", unlike 0). */
export function decimalOrNull(value: unknown, column: string): number | null {
  if (value === null || value === undefined || (typeof value === 'string' && value.trim() === '')) return null;
  return decimal(value, column);
}

/** Integer column (SORT and the like): garbage and NULL give `fallback`, since order is cosmetic. */
export function int(value: unknown, fallback = 0): number {
  if (value === null || value === undefined || value === '') return fallback;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? Math.trunc(n) : fallback;
}

/** CHAR(1) 'Y'/'N' flag: 'Y' (any case) is true; NULL, '', 'N' and junk are false. */
export function yes(value: unknown): boolean {
  return text(value).toUpperCase() === 'Y';
}

const DATE_PART = /^(\d{4})-(\d{2})-(\d{2})/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/;

/**
 * A DATE/DATETIME column as 'YYYY-MM-DD', or null for NULL, '' and zero or partial-zero dates ('0000-00-00',
 * '2024-00-10'), which sql_mode='' lets in.
 */
export function dbDate(value: unknown): string | null {
  const m = DATE_PART.exec(text(value));
  if (!m) return null;
  const [, y, mo, d] = m;
  if (Number(y) < 1000 || Number(mo) === 0 || Number(d) === 0) return null;
  return `${y}-${mo}-${d}`;
}

/** A DATETIME column as 'YYYY-MM-DD HH:MM:SS' in the database's own terms, or null for NULL / zero dates. */
export function dbDateTime(value: unknown): string | null {
  const s = text(value);
  const date = dbDate(s);
  if (date === null) return null;
  const m = DATE_TIME.exec(s);
  return m ? `${date} ${m[4]}:${m[5]}:${m[6]}` : `${date} 00:00:00`;
}

/** Unique positive ids, in first-seen order. */
export function uniqueIds(ids: Iterable<unknown>): number[] {
  const seen = new Set<number>();
  for (const raw of ids) {
    const id = idOrNull(raw);
    if (id !== null) seen.add(id);
  }
  return [...seen];
}

/** Groups rows by a key, keeping each group's order. */
export function groupBy<T, K>(rows: readonly T[], key: (row: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

/** The message of anything thrown, for a RowProblem. */
export function problemMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
