import { parseArgs } from 'node:util';
import { poolOptionsFromUrl } from '../db/connect.ts';

/** Where the demo's database lives unless --db says otherwise: the local MariaDB the README asks for. */
export const DEFAULT_DEMO_DB_URL = 'mysql://root@127.0.0.1:3306/b24xero_demo';

/**
 * The demo drops and re-creates its database, so it only ever touches one whose name says it is a demo database.
 * Letters, digits and '_' only: the name is spliced into DROP/CREATE DATABASE, which take no placeholders. At most
 * 48 characters, because it also names the demo's daemon instance (B24X_INSTANCE), whose lock is server-wide.
 */
export const DEMO_DB_NAME = /^b24xero_demo[A-Za-z0-9_]{0,36}$/;

export interface DemoArgs {
  dbUrl: string;
  /** The database name from dbUrl, checked against DEMO_DB_NAME. */
  database: string;
  /** Keep the simulator running after the story until Ctrl-C. */
  keep: boolean;
  /** Simulator port; 0 = an ephemeral one. */
  port: number;
}

/** Thrown for arguments the demo refuses; the CLI turns it into a usage error. */
export class DemoArgsError extends Error {
  override name = 'DemoArgsError';
}

export function parseDemoArgs(args: readonly string[]): DemoArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: { db: { type: 'string' }, keep: { type: 'boolean' }, port: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new DemoArgsError((error as Error).message);
  }
  const dbUrl = values.db ?? DEFAULT_DEMO_DB_URL;
  const database = demoDatabaseName(dbUrl);
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!/^\d{1,5}$/.test(values.port ?? '0') || port > 65535) {
    throw new DemoArgsError(`--port must be a TCP port number (1-65535, or 0 for any free port), got '${values.port}'`);
  }
  return { dbUrl, database, keep: values.keep ?? false, port };
}

/** The database named by a demo URL, refused unless it looks like a demo database (it is about to be dropped). */
export function demoDatabaseName(dbUrl: string): string {
  let database: string;
  try {
    database = poolOptionsFromUrl(dbUrl).database ?? '';
  } catch (error) {
    // The parser's messages never echo the URL, so a password in it stays out of the terminal.
    throw new DemoArgsError(`--db is not a usable database URL: ${error instanceof TypeError ? 'cannot parse it' : (error as Error).message}`);
  }
  if (!DEMO_DB_NAME.test(database)) {
    throw new DemoArgsError(
      `refusing to use database '${database}': the demo drops and re-creates its database, so its name must start with ` +
        `'b24xero_demo' (at most 48 letters, digits and '_'), e.g. ${DEFAULT_DEMO_DB_URL}`,
    );
  }
  return database;
}
