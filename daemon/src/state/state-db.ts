import type { Kysely, Transaction } from 'kysely';
import type { StateDb, StateTables } from './tables.ts';

/**
 * Narrows a Kysely (or Transaction) over a wider schema, e.g. `Kysely<BitrixTables & StateTables>`, to the module
 * tables. Safe because the wider schema contains every StateTables table; TypeScript cannot see that through
 * Kysely's invariant generic, hence the cast in this one place.
 */
export function asStateDb<DB extends StateTables>(db: Kysely<DB> | Transaction<DB>): StateDb {
  return db as unknown as StateDb;
}

/**
 * A JS instant as the DATETIME(3) text the module tables store (UTC): '2026-11-21 10:00:00.000'. Use it for
 * times computed in JS; use UTC_TIMESTAMP(3) in SQL for "now", so one clock (the database's) orders rows.
 */
export function toDbUtc(instant: Date): string {
  if (Number.isNaN(instant.getTime())) throw new RangeError('toDbUtc: invalid Date');
  return instant.toISOString().replace('T', ' ').replace('Z', '');
}

/** The inverse of toDbUtc for module-table times ('2026-11-21 10:00:00.000' is UTC). */
export function fromDbUtc(text: string): Date {
  const date = new Date(`${text.replace(' ', 'T')}Z`);
  if (Number.isNaN(date.getTime())) throw new RangeError(`fromDbUtc: not a DATETIME: '${text}'`);
  return date;
}
