import { createConnection } from 'mysql2/promise';
import { connect } from '../db/connect.ts';
import { poolOptionsFromUrl } from '../db/connect.ts';
import type { Kysely } from 'kysely';
import { demoDatabaseName } from './demo-args.ts';

/** Runs one statement on a server connection with no database selected (CREATE/DROP DATABASE need no database). */
async function onServer(dbUrl: string, statement: string): Promise<void> {
  const { database: _database, connectionLimit: _limit, waitForConnections: _wait, ...options } = poolOptionsFromUrl(dbUrl);
  const conn = await createConnection(options);
  try {
    await conn.query(statement);
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
  await onServer(dbUrl, `DROP DATABASE IF EXISTS \`${name}\``);
  await onServer(dbUrl, `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  return connect<any>(dbUrl, { connectionLimit: 4 });
}

/** Drops a demo database (the test's clean-up; `--keep` users drop theirs by running the demo again). */
export async function dropDemoDatabase(dbUrl: string): Promise<void> {
  const name = demoDatabaseName(dbUrl);
  await onServer(dbUrl, `DROP DATABASE IF EXISTS \`${name}\``);
}
