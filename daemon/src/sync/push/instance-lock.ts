import { sql, type Kysely } from 'kysely';

export class InstanceLockedError extends Error {
  override name = 'InstanceLockedError';
  constructor(readonly instance: string) {
    super(`another b24xero process is already syncing instance '${instance}' (GET_LOCK('${lockName(instance)}') is held); try again when it has finished`);
  }
}

export function lockName(instance: string): string {
  return `b24xero:${instance}`;
}

/**
 * Runs `work` while holding GET_LOCK('b24xero:<instance>') (ARCHITECTURE rule 8) on a connection of its own, kept
 * for the whole run: the lock belongs to that session, so it is released when the work ends — or by the server the
 * moment this process dies (kill -9 included), leaving nothing to clean up. A second caller fails at once with
 * InstanceLockedError instead of waiting behind the first.
 */
export async function withInstanceLock<T>(db: Kysely<any>, instance: string, work: () => Promise<T>): Promise<T> {
  const name = lockName(instance);
  return db.connection().execute(async (conn) => {
    const { rows } = await sql<{ got: number | null }>`SELECT GET_LOCK(${name}, 0) AS got`.execute(conn);
    if (Number(rows[0]?.got) !== 1) throw new InstanceLockedError(instance);
    try {
      return await work();
    } finally {
      await sql`SELECT RELEASE_LOCK(${name})`.execute(conn).catch(() => undefined);
    }
  });
}
