import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';

/** MySQL and MariaDB cap GET_LOCK names at 64 characters. */
const MAX_LOCK_NAME = 64;

/**
 * A GET_LOCK name `<prefix><key>`. Lock names are server-wide, so callers put the database name in `key` whenever
 * two portals could share one server. A key that would make the name too long is replaced by a hash of it.
 */
export function serverLockName(prefix: string, key: string): string {
  const name = `${prefix}${key}`;
  if (name.length <= MAX_LOCK_NAME) return name;
  return `${prefix}${createHash('sha256').update(key).digest('hex').slice(0, 40)}`;
}

/** The database the connection works in; lock names and messages need it. */
export async function currentDatabase(db: Kysely<any>): Promise<string | null> {
  const { rows } = await sql<{ db: string | null }>`SELECT DATABASE() AS db`.execute(db);
  return rows[0]?.db ?? null;
}
