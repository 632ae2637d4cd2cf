import { Kysely, MysqlDialect } from 'kysely';
import { createPool, type Pool, type PoolOptions } from 'mysql2';

export interface ConnectOptions {
  /** Pool size; the daemon needs few connections (reads are paged, writes are small). */
  connectionLimit?: number;
}

/**
 * Pool options shared by every connection the product opens to the Bitrix database.
 * - utf8mb4 whatever the portal's default (classic installs are utf8mb3; BitrixVM is utf8mb4).
 * - DATETIME/DATE come back as the database's own naive strings ('2024-05-01 10:00:00'): Bitrix writes server-local
 *   time, so a round trip through a JS Date in another zone would shift cursors.
 * - DECIMAL comes back as a string, so money is never a binary float before we decide how to round it.
 */
export function poolOptionsFromUrl(url: string, options: ConnectOptions = {}): PoolOptions {
  const u = new URL(url);
  if (u.protocol !== 'mysql:' && u.protocol !== 'mariadb:') {
    throw new Error(`BITRIX_DB_URL must start with mysql:// (got ${u.protocol}//…)`);
  }
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!database) throw new Error('BITRIX_DB_URL names no database (mysql://user:pass@host:3306/dbname)');
  return {
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 3306,
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database,
    charset: 'utf8mb4',
    dateStrings: true,
    decimalNumbers: false,
    supportBigNumbers: true,
    bigNumberStrings: false,
    connectionLimit: options.connectionLimit ?? 5,
    waitForConnections: true,
  };
}

export function createPoolFromUrl(url: string, options: ConnectOptions = {}): Pool {
  return createPool(poolOptionsFromUrl(url, options));
}

/** A Kysely instance over a fresh pool; the caller owns it and must `destroy()` it. */
export function connect<DB>(url: string, options: ConnectOptions = {}): Kysely<DB> {
  return new Kysely<DB>({ dialect: new MysqlDialect({ pool: createPoolFromUrl(url, options) }) });
}
