import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planGrants } from '../../daemon/src/state/grants.ts';
import { buildContact } from '../fixture/builders/contact.ts';
import { adminQuery } from '../helpers/test-db.ts';
import { createPushWorld, simInvoicesByKey, type PushWorld } from '../integration/support/push-harness.ts';
import { SMART } from '../integration/support/invoice-kinds.ts';
import { runCli, startCli, until } from '../integration/support/cli-process.ts';

let world: PushWorld;
const user = `b24xdoc_${randomBytes(3).toString('hex')}`;
const password = `pw#${randomBytes(6).toString('hex')}/x`;
let daemonUrl: string;

/** What the module's installer leaves in Bitrix's own registration tables (columns as in main's install.sql). */
async function installModuleRegistration(): Promise<void> {
  await sql`CREATE TABLE b_module (ID varchar(50) NOT NULL, DATE_ACTIVE timestamp NULL, PRIMARY KEY (ID))`.execute(world.db);
  await sql`CREATE TABLE b_module_to_module (ID int NOT NULL AUTO_INCREMENT, TIMESTAMP_X timestamp NULL, SORT int NOT NULL DEFAULT 100,
    FROM_MODULE_ID varchar(50) NOT NULL, MESSAGE_ID varchar(255) NOT NULL, TO_MODULE_ID varchar(50) NOT NULL, TO_PATH varchar(255) NULL,
    TO_CLASS varchar(255) NULL, TO_METHOD varchar(255) NULL, TO_METHOD_ARG varchar(255) NULL, VERSION int NULL, UNIQUE_ID varchar(32) NOT NULL,
    PRIMARY KEY (ID))`.execute(world.db);
  await sql`CREATE TABLE b_agent (ID int NOT NULL AUTO_INCREMENT, MODULE_ID varchar(50) NULL, SORT int NOT NULL DEFAULT 100, NAME text NULL,
    ACTIVE char(1) NOT NULL DEFAULT 'Y', LAST_EXEC datetime NULL, NEXT_EXEC datetime NOT NULL, DATE_CHECK datetime NULL,
    AGENT_INTERVAL int NULL DEFAULT 86400, IS_PERIOD char(1) NULL DEFAULT 'Y', USER_ID int NULL, RUNNING char(1) NOT NULL DEFAULT 'N',
    RETRY_COUNT int NULL, PRIMARY KEY (ID))`.execute(world.db);
  await sql`INSERT INTO b_module (ID, DATE_ACTIVE) VALUES ('b24xero.sync', NOW())`.execute(world.db);
  await sql`INSERT INTO b_module_to_module (FROM_MODULE_ID, MESSAGE_ID, TO_MODULE_ID, TO_CLASS, TO_METHOD, VERSION, UNIQUE_ID)
    VALUES ('crm', 'onCrmDynamicItemUpdate', 'b24xero.sync', '\\B24xero\\Sync\\ChangeFeed\\Handlers', 'onItemUpdate', 2, MD5('u'))`.execute(world.db);
  await sql`INSERT INTO b_agent (MODULE_ID, NAME, NEXT_EXEC) VALUES ('b24xero.sync', '\\B24xero\\Sync\\Inbox\\Agent::run();', NOW())`.execute(world.db);
}

beforeAll(async () => {
  world = await createPushWorld('doctor');
  await installModuleRegistration();
  await adminQuery(`CREATE USER '${user}'@'%' IDENTIFIED BY '${password}'`);
  await adminQuery((await planGrants(world.db, { user, host: '%' })).join('\n'));
  const url = new URL(world.t.url);
  url.username = user;
  url.password = encodeURIComponent(password);
  daemonUrl = url.toString();
});
afterAll(async () => {
  await adminQuery(`DROP USER IF EXISTS '${user}'@'%'`);
  await world?.close();
});

describe('b24xero doctor', () => {
  it('finds nothing wrong on a good setup run as the least-privilege user of `b24xero grants`', async () => {
    const run = await runCli(['doctor'], world.env({ BITRIX_DB_URL: daemonUrl }));
    expect(run.stdout).toContain('no problems found');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ok +database +reachable: \d+\.\d+/m);
    expect(run.stdout).toMatch(/^ok +grants +the database user has what the daemon needs/m);
    expect(run.stdout).toMatch(/^ok +xero +connected to "/m);
    expect(run.stdout).toMatch(/^ok +xero +scopes granted/m);
    expect(run.stdout).toMatch(/^ok +clock +within/m);
    // Said once, as an assumption, not a problem: where rows without tax go when the tax map does not say.
    expect(run.stdout.match(/^note +tax +assumption: rows without tax \(0 %, which crm 23 stores for "no tax"\) go to Xero as NONE "No GST"/gm)).toHaveLength(1);
    expect(run.stdout).toMatch(/^note +scan +no \(modification time, ID\) index for smart_invoice/m);
  });

  it('lists each problem of a deliberately broken setup, one actionable line each, and exits 1', async () => {
    await sql`DELETE FROM b_module WHERE ID = 'b24xero.sync'`.execute(world.db);
    await sql`UPDATE b_agent SET ACTIVE = 'N'`.execute(world.db);
    await sql`DELETE FROM b_b24xero_migration ORDER BY VERSION DESC LIMIT 1`.execute(world.db);
    await sql`INSERT INTO b_option (MODULE_ID, NAME, VALUE) VALUES ('b24xero.sync', 'tax_map', '{"15":"NOPE"}'), ('b24xero.sync', 'default_sales_account', '999')`.execute(world.db);
    try {
      // As root (which may write everything), with a wrong secret.
      const broken = await runCli(['doctor'], world.env({ XERO_CLIENT_SECRET: 'not-the-secret' }));
      expect(broken.code).toBe(1);
      const problems = broken.stdout.split('\n').filter((l) => l.startsWith('PROBLEM'));
      const expected = [
        /module +b24xero\.sync is not registered in b_module/,
        /module +the applier agent of b24xero\.sync is inactive/,
        /schema +migrations pending: \d{3}_\w+: run 'b24xero migrate'/,
        /grants +the database user may write Bitrix's own tables/,
        /xero +Xero refused the app's credentials .*: check XERO_CLIENT_ID and XERO_CLIENT_SECRET/,
      ];
      for (const re of expected) expect(problems.some((l) => re.test(l)), String(re)).toBe(true);
      expect(problems).toHaveLength(expected.length);
      expect(broken.stdout).toContain(`${expected.length} problem(s) found`);
      expect(broken.stdout + broken.stderr).not.toContain('not-the-secret');

      const settings = await runCli(['doctor', '--json'], world.env({ BITRIX_DB_URL: daemonUrl }));
      const report = JSON.parse(settings.stdout) as { findings: Array<{ level: string; area: string; text: string }> };
      const texts = report.findings.filter((f) => f.level === 'problem').map((f) => f.text);
      expect(texts).toContainEqual(expect.stringMatching(/tax_map maps "15" to tax type NOPE, which the organisation does not have/));
      expect(texts).toContainEqual(expect.stringMatching(/default_sales_account names account code 999/));
    } finally {
      await sql`INSERT INTO b_module (ID) VALUES ('b24xero.sync')`.execute(world.db);
      await sql`UPDATE b_agent SET ACTIVE = 'Y'`.execute(world.db);
      await sql`DELETE FROM b_option WHERE MODULE_ID = 'b24xero.sync'`.execute(world.db);
      expect((await runCli(['migrate'], world.env())).code).toBe(0);
    }
  });

  it('names BITRIX_DB_URL (never the password) when the database refuses the login', async () => {
    const url = new URL(daemonUrl);
    url.password = 'wrong-password-123';
    const run = await runCli(['doctor'], world.env({ BITRIX_DB_URL: url.toString() }));
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`PROBLEM database +cannot connect with BITRIX_DB_URL \\(user ${user} at 127\\.0\\.0\\.1:\\d+, database ${world.t.name}\\).*ER_ACCESS_DENIED_ERROR`));
    expect(run.stdout).not.toContain('wrong-password-123');
  });
});

describe('the documented GRANTs are enough for b24xero run', () => {
  it('runs the daemon as the least-privilege user: it takes its lock, pushes an invoice, and stops cleanly', async () => {
    const payer = (await buildContact(world.db, { name: 'Tui', lastName: 'Rangi', emails: ['tui@example.test'] })).contactId;
    const id = await SMART.create(world, { contactId: payer, lines: [{ name: 'Least privilege', price: 12 }] });
    const run = startCli(['run'], world.env({ BITRIX_DB_URL: daemonUrl, LOG_LEVEL: 'info', SYNC_SCHEDULE: '* * * * * *' }));
    try {
      await until(() => simInvoicesByKey(world, SMART.key(id)).length === 1 || undefined, 'the invoice in Xero', 60_000);
      run.child.kill('SIGTERM');
      expect((await run.exited).code).toBe(0);
      expect(run.stdout()).not.toMatch(/command denied/);
    } finally {
      run.child.kill('SIGKILL');
    }
  });
});
