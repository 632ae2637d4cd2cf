import type { Kysely } from 'kysely';
import { createConnection } from 'mysql2/promise';
import { connect, poolOptionsFromUrl } from '../db/connect.ts';
import { demoDatabaseName } from './demo-args.ts';

/** Runs statements on one server connection with no database selected (CREATE/DROP DATABASE need none). */
async function onServer(dbUrl: string, statements: readonly string[]): Promise<void> {
  const { database: _database, connectionLimit: _limit, waitForConnections: _wait, ...options } = poolOptionsFromUrl(dbUrl);
  let conn;
  try {
    conn = await createConnection(options);
  } catch (error) {
    throw withHint(error, `cannot connect to ${options.host}:${options.port} as '${options.user}'`);
  }
  try {
    for (const statement of statements) await conn.query(statement);
  } finally {
    await conn.end();
  }
}

/**
 * Drops and re-creates the demo database, then returns a pool on it. The name is checked again here (not only when
 * the arguments were parsed), so no caller can reach DROP DATABASE with a database that is not a demo one.
 */
export async function recreateDemoDatabase(dbUrl: string): Promise<Kysely<any>> {
  const name = demoDatabaseName(dbUrl);
  await onServer(dbUrl, [
    `DROP DATABASE IF EXISTS \`${name}\``,
    `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
  ]);
  return connect<any>(dbUrl, { connectionLimit: 4 });
}

/**
 * The server error with what the demo needs spelled out, keeping its `code` (the CLI prints database errors as
 * "database: <message> [CODE]", without a stack). Never includes the password.
 */
function withHint(error: unknown, what: string): Error {
  const code = (error as { code?: unknown } | null)?.code;
  const wrapped = new Error(
    `${what}: ${(error as Error).message}. The demo needs a MariaDB or MySQL server it may create databases on ` +
      `(e.g. a local MariaDB with root and no password); point --db at one`,
    { cause: error },
  );
  if (typeof code === 'string') Object.assign(wrapped, { code });
  return wrapped;
}
