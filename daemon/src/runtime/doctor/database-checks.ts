import { sql, type Kysely } from 'kysely';
import { scanIndexStatus } from '../../bitrix/scan.ts';
import { MODULE_ID } from '../../domain/settings.ts';
import { requiredPrivileges } from '../../state/grants.ts';
import { migrationStatus } from '../../state/migrator.ts';
import { note, ok, problem, type Finding } from './finding.ts';

/** Tables every supported portal has (crm with smart invoices, i.e. 21.1300+), and the module's registration tables. */
const BITRIX_CORE = ['b_option', 'b_user_field', 'b_crm_contact', 'b_crm_company', 'b_crm_product_row', 'b_crm_status', 'b_module', 'b_module_to_module', 'b_agent'];
const MODULE_FIELDS: ReadonlyArray<[entity: string, field: string]> = [
  ['CRM_SMART_INVOICE', 'UF_CRM_XERO_SYNC'], ['CRM_SMART_INVOICE', 'UF_CRM_XERO_STATUS'], ['CRM_SMART_INVOICE', 'UF_CRM_XERO_URL'],
  ['CRM_INVOICE', 'UF_CRM_XERO_SYNC'], ['CRM_INVOICE', 'UF_CRM_XERO_STATUS'], ['CRM_CONTACT', 'UF_CRM_XERO_ID'], ['CRM_COMPANY', 'UF_CRM_XERO_ID'],
];
const WRITE_PRIVILEGES = ['INSERT', 'UPDATE', 'DELETE', 'CREATE', 'DROP', 'ALTER', 'INDEX', 'ALL PRIVILEGES'];

async function tablesPresent(db: Kysely<any>): Promise<Set<string>> {
  const { rows } = await sql<{ name: string }>`SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()`.execute(db);
  return new Set(rows.map((r) => r.name.toLowerCase()));
}

export async function checkDatabase(db: Kysely<any>): Promise<Finding[]> {
  const { rows } = await sql<{ v: string; d: string | null }>`SELECT VERSION() AS v, DATABASE() AS d`.execute(db);
  const version = rows[0]?.v ?? '?';
  const out = [ok('database', `reachable: ${version}, database ${rows[0]?.d ?? '?'}`)];
  const m = /^(\d+)\.(\d+)/.exec(version);
  const [major, minor] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
  const maria = /mariadb/i.test(version);
  if (maria ? major * 100 + minor < 1006 : major < 8) {
    out.push(problem('database', `${version} is older than the supported MariaDB 10.6 / MySQL 8.0: upgrade the server`));
  }
  return out;
}

export async function checkBitrixSchema(db: Kysely<any>): Promise<Finding[]> {
  const present = await tablesPresent(db);
  const out: Finding[] = [];
  const missing = BITRIX_CORE.filter((t) => !present.has(t));
  if (missing.length > 0) out.push(problem('bitrix', `tables missing: ${missing.join(', ')} — is BITRIX_DB_URL the portal's database?`));
  if (!present.has('b_crm_dynamic_items_31')) {
    out.push(problem('bitrix', 'no smart-invoice table b_crm_dynamic_items_31: the crm module is older than 21.1300 or smart invoices were never enabled; update crm'));
  }
  if (!present.has('b_crm_invoice')) out.push(note('bitrix', 'no legacy invoices (b_crm_invoice): only smart invoices sync'));
  if (out.every((f) => f.level !== 'problem')) out.push(ok('bitrix', 'the tables the daemon reads are there (crm with smart invoices)'));
  return out;
}

export async function checkModule(db: Kysely<any>): Promise<Finding[]> {
  const present = await tablesPresent(db);
  const out: Finding[] = [];
  const fix = 'install it: Settings → Modules → b24xero.sync → Install (bitrix-module/README.md)';
  if (present.has('b_module')) {
    const row = await db.selectFrom('b_module').select('ID').where('ID', '=', MODULE_ID).executeTakeFirst();
    if (!row) out.push(problem('module', `${MODULE_ID} is not registered in b_module: ${fix}`));
  }
  if (present.has('b_user_field')) {
    const rows = await db.selectFrom('b_user_field').select(['ENTITY_ID', 'FIELD_NAME']).where('FIELD_NAME', 'like', 'UF_CRM_XERO_%').execute();
    const have = new Set(rows.map((r: { ENTITY_ID: string; FIELD_NAME: string }) => `${r.ENTITY_ID}.${r.FIELD_NAME}`));
    const lacking = MODULE_FIELDS.filter(([e, f]) => !have.has(`${e}.${f}`)).map(([e, f]) => `${f} on ${e}`);
    if (lacking.length > 0) out.push(problem('module', `user fields missing: ${lacking.join(', ')}: reinstall the module (its installer adds them)`));
  }
  if (present.has('b_module_to_module')) {
    const handlers = await db.selectFrom('b_module_to_module').select(sql<number>`COUNT(*)`.as('n')).where('TO_MODULE_ID', '=', MODULE_ID).executeTakeFirst();
    if (Number(handlers?.n ?? 0) === 0) out.push(problem('module', `no event handlers of ${MODULE_ID}: changes reach Xero only through the safety scan (every 15 min); reinstall the module`));
  }
  if (present.has('b_agent')) {
    const agent = await db.selectFrom('b_agent').select(['ACTIVE']).where('MODULE_ID', '=', MODULE_ID).executeTakeFirst();
    if (!agent) out.push(problem('module', `no applier agent of ${MODULE_ID} in b_agent: Xero changes will wait in the inbox; reinstall the module`));
    else if (agent.ACTIVE !== 'Y') out.push(problem('module', `the applier agent of ${MODULE_ID} is inactive: activate it (Settings → Tools → Agents)`));
  }
  if (out.length === 0) out.push(ok('module', `${MODULE_ID} installed: registration, user fields, event handlers, applier agent`));
  return out;
}

export async function checkMigrations(db: Kysely<any>): Promise<Finding[]> {
  const status = await migrationStatus(db);
  if (status.applied.length === 0) return [problem('schema', "the module tables do not exist: run 'b24xero migrate' as a user allowed to create tables")];
  const out: Finding[] = [];
  if (status.pending.length > 0) out.push(problem('schema', `migrations pending: ${status.pending.map((f) => f.name).join(', ')}: run 'b24xero migrate'`));
  if (status.changed.length > 0) out.push(problem('schema', `applied migrations edited since: ${status.changed.map((f) => f.name).join(', ')}: restore them from the release`));
  if (status.unknown.length > 0) out.push(problem('schema', `migrations applied by a newer b24xero: ${status.unknown.join(', ')}: upgrade this installation`));
  return out.length > 0 ? out : [ok('schema', `current (${status.applied.length} migrations applied)`)];
}

interface Privilege {
  scope: 'global' | 'schema' | 'table';
  table: string | null;
  privilege: string;
}

/** The connected account's privileges, from information_schema (which shows a user its own grants). */
async function currentPrivileges(db: Kysely<any>): Promise<Privilege[]> {
  const grantee = sql`CONCAT("'", SUBSTRING_INDEX(CURRENT_USER(), '@', 1), "'@'", SUBSTRING_INDEX(CURRENT_USER(), '@', -1), "'")`;
  const [globals, schemas, tables] = await Promise.all([
    sql<{ p: string }>`SELECT PRIVILEGE_TYPE AS p FROM information_schema.USER_PRIVILEGES WHERE GRANTEE = ${grantee}`.execute(db),
    sql<{ p: string }>`SELECT PRIVILEGE_TYPE AS p FROM information_schema.SCHEMA_PRIVILEGES WHERE GRANTEE = ${grantee} AND TABLE_SCHEMA = DATABASE()`.execute(db),
    sql<{ p: string; t: string }>`SELECT PRIVILEGE_TYPE AS p, TABLE_NAME AS t FROM information_schema.TABLE_PRIVILEGES WHERE GRANTEE = ${grantee} AND TABLE_SCHEMA = DATABASE()`.execute(db),
  ]);
  return [
    ...globals.rows.filter((r) => r.p !== 'USAGE').map((r) => ({ scope: 'global' as const, table: null, privilege: r.p })),
    ...schemas.rows.map((r) => ({ scope: 'schema' as const, table: null, privilege: r.p })),
    ...tables.rows.map((r) => ({ scope: 'table' as const, table: r.t.toLowerCase(), privilege: r.p })),
  ];
}

export async function checkGrants(db: Kysely<any>): Promise<Finding[]> {
  const privileges = await currentPrivileges(db);
  const has = (table: string, privilege: string) => privileges.some((p) =>
    (p.scope !== 'table' || p.table === table) && (p.privilege === privilege || p.privilege === 'ALL PRIVILEGES'));
  const out: Finding[] = [];
  const lacking = (await requiredPrivileges(db)).flatMap(({ table, privileges: needed }) =>
    needed.filter((p) => !has(table, p)).map((p) => `${p} on ${table}`));
  if (lacking.length > 0) {
    out.push(problem('grants', `the database user lacks ${lacking.slice(0, 6).join(', ')}${lacking.length > 6 ? ` and ${lacking.length - 6} more` : ''}: run the output of 'b24xero grants --user <user>' as an administrator`));
  }
  const broad = privileges.filter((p) => p.scope !== 'table' && WRITE_PRIVILEGES.includes(p.privilege));
  const bitrixWrites = privileges.filter((p) => p.scope === 'table' && p.table !== null && !p.table.startsWith('b_b24xero_') && WRITE_PRIVILEGES.includes(p.privilege));
  if (broad.length > 0 || bitrixWrites.length > 0) {
    const what = [...new Set([...broad.map((p) => `${p.privilege} on ${p.scope === 'global' ? '*.*' : 'the whole database'}`), ...bitrixWrites.map((p) => `${p.privilege} on ${p.table}`)])];
    out.push(problem('grants', `the database user may write Bitrix's own tables (${what.slice(0, 4).join(', ')}${what.length > 4 ? ', …' : ''}): give the daemon the least-privilege account of 'b24xero grants' (keep this one for 'migrate')`));
  }
  return out.length > 0 ? out : [ok('grants', 'the database user has what the daemon needs and cannot write Bitrix tables')];
}

export async function checkScanIndexes(db: Kysely<any>): Promise<Finding[]> {
  const status = await scanIndexStatus(db);
  const missing = Object.entries(status).filter(([, has]) => !has).map(([kind]) => kind);
  if (missing.length === 0) return [ok('scan', 'the (modification time, ID) indexes of the safety scan are present')];
  return [note('scan', `no (modification time, ID) index for ${missing.join(', ')}: each safety scan page reads the whole table (about 0.9 s per million rows); the module's options page can add the indexes`)];
}
