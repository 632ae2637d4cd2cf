import { readSettings } from '../../config/settings.ts';
import type { Composition } from '../compose.ts';
import { tokenStoreFor } from '../compose.ts';
import { checkBitrixSchema, checkDatabase, checkGrants, checkMigrations, checkModule, checkScanIndexes } from './database-checks.ts';
import { problem, type Finding } from './finding.ts';
import { checkClock, checkXero } from './xero-checks.ts';

/** mysql://user@host:port/db without the password, for messages that name BITRIX_DB_URL. */
function describeDbUrl(url: string): string {
  try {
    const u = new URL(url);
    return `user ${decodeURIComponent(u.username) || '(none)'} at ${u.hostname}:${u.port || 3306}, database ${u.pathname.slice(1)}`;
  } catch {
    return 'an unparsable URL';
  }
}

/**
 * Every check of `b24xero doctor`, in the order an administrator fixes things: the database first (nothing else
 * can be checked without it), then the Bitrix side, the module, the schema and grants, then Xero. A failing check
 * never stops the ones that do not depend on it.
 */
export async function runDoctor(app: Composition, emit: (finding: Finding) => void): Promise<Finding[]> {
  const all: Finding[] = [];
  const add = (list: Finding[]) => { for (const f of list) { all.push(f); emit(f); } };
  const { config, db } = app;
  try {
    add(await checkDatabase(db));
  } catch (error) {
    const e = error as { code?: string; message?: string };
    const hint = e.code === 'ER_ACCESS_DENIED_ERROR' ? 'the user or password is wrong (a password with # ? / @ must be percent-encoded)'
      : e.code === 'ER_BAD_DB_ERROR' ? 'that database does not exist' : 'is the server running and reachable from here?';
    add([problem('database', `cannot connect with BITRIX_DB_URL (${describeDbUrl(config.bitrixDbUrl)}): ${e.code ?? ''} ${e.message ?? ''} — ${hint}`.replace(/\s+/g, ' '))]);
    return all;
  }
  for (const check of [checkBitrixSchema, checkModule, checkMigrations, checkGrants, checkScanIndexes]) {
    try {
      add(await check(db));
    } catch (error) {
      add([problem(check.name.replace(/^check/, '').toLowerCase(), `could not be checked: ${(error as Error).message}`)]);
    }
  }
  if (config.xero.clientId === null || config.xero.clientSecret === null) {
    add([problem('xero', 'XERO_CLIENT_ID and XERO_CLIENT_SECRET are not set: create a Custom Connection (developer.xero.com → My Apps) and put its credentials in the env file')]);
    return all;
  }
  let settings;
  try {
    const read = await readSettings(db);
    settings = read.settings;
    add(read.problems.map((p) => problem('settings', p.message)));
  } catch (error) {
    add([problem('settings', `the module options cannot be read from b_option: ${(error as Error).message}`)]);
    return all;
  }
  add(await checkXero({
    config, gateway: app.gateway(), redactor: app.redactor, db, settings,
    tokenStore: tokenStoreFor({ instance: config.instance, clientSecret: config.xero.clientSecret }, db),
  }));
  add(await checkClock(config));
  return all;
}
