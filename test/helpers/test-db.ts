import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import type { Kysely } from 'kysely';
import { connect } from '../../daemon/src/db/connect.ts';

/**
 * Server every integration test talks to. CI (and the dev machines) run MariaDB with root and no password on
 * 127.0.0.1:3306; set TEST_DB_URL (mysql://user:pass@host:port/) to use another server, e.g. MySQL 8.0.
 */
export const TEST_SERVER_URL = process.env.TEST_DB_URL ?? 'mysql://root@127.0.0.1:3306/';

export interface TestDb {
  /** Database name, unique to this test file. */
  name: string;
  /** mysql://…/name — what BITRIX_DB_URL would be. */
  url: string;
  db: Kysely<any>;
  /** Drops the database and closes the pool. */
  drop(): Promise<void>;
}

function serverUrlFor(database: string): string {
  const u = new URL(TEST_SERVER_URL);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Runs statements on a raw admin connection (no database selected). */
export async function adminQuery(sql: string): Promise<void> {
  const u = new URL(TEST_SERVER_URL);
  const conn = await createConnection({
    host: u.hostname, port: u.port ? Number(u.port) : 3306,
    user: decodeURIComponent(u.username) || 'root', password: decodeURIComponent(u.password),
    multipleStatements: true,
  });
  try { await conn.query(sql); } finally { await conn.end(); }
}

/**
 * Creates an empty database of its own for one test file (`label` makes it recognisable in SHOW DATABASES).
 * The database is created with the server's utf8mb4 default; session sql_mode is left to the caller (fixtures
 * that need Bitrix's sql_mode='' set it themselves).
 */
export async function createTestDb(label: string): Promise<TestDb> {
  const safe = label.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 30);
  const name = `b24xt_${safe}_${randomBytes(3).toString('hex')}`;
  await adminQuery(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  const url = serverUrlFor(name);
  const db = connect<any>(url, { connectionLimit: 8 });
  return {
    name, url, db,
    async drop() {
      await db.destroy();
      await adminQuery(`DROP DATABASE IF EXISTS \`${name}\``);
    },
  };
}
