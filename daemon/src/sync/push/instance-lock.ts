import { sql, type Kysely } from 'kysely';
import { currentDatabase, serverLockName } from '../../db/lock-name.ts';

export class InstanceLockedError extends Error {
  override name = 'InstanceLockedError';
  constructor(readonly instance: string, readonly lock: string) {
    super(`another b24xero process is already syncing instance '${instance}' (GET_LOCK('${lock}') is held); try again when it has finished`);
  }
}

/**
 * `b24xero:<database>:<instance>`. ARCHITECTURE rule 8 names the lock after the instance; GET_LOCK names are
 * server-wide, though, so the database is part of the name too — two portals on one MySQL server, both left at
 * instance 'default', must not block each other.
 */
export function lockName(database: string, instance: string): string {
  return serverLockName('b24xero:', `${database}:${instance}`);
}

/**
 * Runs `work` while holding the instance lock on a connection of its own, kept for the whole run: the lock belongs to
 * that session, so it is released when the work ends — or by the server the moment this process dies (kill -9
 * included), leaving nothing to clean up. A second caller fails at once with InstanceLockedError instead of waiting
 * behind the first.
 */
export async function withInstanceLock<T>(db: Kysely<any>, instance: string, work: () => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    const name = lockName((await currentDatabase(conn)) ?? '', instance);
    const { rows } = await sql<{ got: number | null }>`SELECT GET_LOCK(${name}, 0) AS got`.execute(conn);
    if (Number(rows[0]?.got) !== 1) throw new InstanceLockedError(instance, name);
    try {
      return await work();
    } finally {
      await sql`SELECT RELEASE_LOCK(${name})`.execute(conn).catch(() => undefined);
    }
  });
}
