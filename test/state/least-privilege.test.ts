import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSettings, type OptionTables } from '../../daemon/src/config/settings.ts';
import { connect } from '../../daemon/src/db/connect.ts';
import { planGrants } from '../../daemon/src/state/grants.ts';
import { enqueueInbox } from '../../daemon/src/state/inbox.ts';
import { recordCreateIntent } from '../../daemon/src/state/links.ts';
import { migrate, migrationStatus } from '../../daemon/src/state/migrator.ts';
import { recordError } from '../../daemon/src/state/record-errors.ts';
import { finishRun, startRun } from '../../daemon/src/state/runs.ts';
import type { StateDb } from '../../daemon/src/state/tables.ts';
import { adminQuery, createTestDb, type TestDb } from '../helpers/test-db.ts';

/**
 * The daemon account the README recommends: SELECT on the Bitrix tables it reads, DML on the module tables, nothing
 * else. Proves the server itself enforces rule 1 (the daemon never writes Bitrix core tables).
 */
describe('least-privilege daemon database user', () => {
  let admin: TestDb;
  let daemon: Kysely<any>;
  const user = `b24xd_${randomBytes(4).toString('hex')}`;
  const password = `pw-${randomBytes(8).toString('hex')}`;

  beforeAll(async () => {
    admin = await createTestDb('least_privilege');
    // A sliver of a portal: a table the daemon reads, its options, and a table it must not even read.
    await sql`CREATE TABLE b_crm_contact (ID int NOT NULL AUTO_INCREMENT, NAME varchar(50) NULL, PRIMARY KEY (ID))`.execute(admin.db);
    await sql`INSERT INTO b_crm_contact (NAME) VALUES ('Ann')`.execute(admin.db);
    await sql`CREATE TABLE b_option (MODULE_ID varchar(50) NOT NULL, NAME varchar(100) NOT NULL, VALUE mediumtext NULL,
      DESCRIPTION varchar(255) NULL, SITE_ID char(2) NULL, PRIMARY KEY (MODULE_ID, NAME))`.execute(admin.db);
    await sql`CREATE TABLE b_user (ID int NOT NULL, PASSWORD varchar(255) NOT NULL, PRIMARY KEY (ID))`.execute(admin.db);
    await migrate(admin.db);

    await adminQuery(`CREATE USER '${user}'@'%' IDENTIFIED BY '${password}'`);
    const grants = await planGrants(admin.db, { user, host: '%' });
    await adminQuery(grants.join('\n'));
    const url = new URL(admin.url);
    url.username = user;
    url.password = password;
    daemon = connect<any>(url.toString(), { connectionLimit: 3 });
  });

  afterAll(async () => {
    await daemon?.destroy();
    await adminQuery(`DROP USER IF EXISTS '${user}'@'%'`);
    await admin?.drop();
  });

  it('grants per table: DML on module tables, SELECT only on the migrations table and the Bitrix tables read', async () => {
    const grants = await planGrants(admin.db, { user, host: '%' });
    expect(grants).toContain(`GRANT SELECT, INSERT, UPDATE, DELETE ON \`${admin.name}\`.\`b_b24xero_link\` TO '${user}'@'%';`);
    expect(grants).toContain(`GRANT SELECT ON \`${admin.name}\`.\`b_b24xero_migration\` TO '${user}'@'%';`);
    expect(grants).toContain(`GRANT SELECT ON \`${admin.name}\`.\`b_crm_contact\` TO '${user}'@'%';`);
    expect(grants.some((g) => g.includes('b_user`'))).toBe(false);
    expect(grants).toHaveLength(16 + 2);
  });

  it('lets the daemon run the migrations no-op check', async () => {
    const result = await migrate(daemon);
    expect(result.applied).toEqual([]);
    expect((await migrationStatus(daemon)).pending).toEqual([]);
  });

  it('lets the daemon read the Bitrix tables it needs and write its own state', async () => {
    const { rows } = await sql<{ NAME: string }>`SELECT NAME FROM b_crm_contact`.execute(daemon);
    expect(rows).toEqual([{ NAME: 'Ann' }]);
    expect((await readSettings(daemon as Kysely<OptionTables>)).problems).toEqual([]);
    const state = daemon as StateDb;
    const runId = await startRun(state, { instance: 'lp', kind: 'sync' });
    expect((await recordCreateIntent(state, { entityType: 'contact', entityId: 1, idempotencyKey: 'lp-1' })).created).toBe(true);
    await recordError(state, { entityType: 'contact', entityId: 1, operation: 'push', errorClass: 'retry', code: 'X', message: 'x', runId });
    await enqueueInbox(state, { entityType: 'contact', entityId: 1, action: 'set_fields', payload: { fields: { UF_CRM_XERO_ID: 'x' } } });
    await enqueueInbox(state, { entityType: 'contact', entityId: 1, action: 'set_fields', payload: { fields: { A: 1 } } });
    expect(await finishRun(state, runId, { status: 'ok' })).toBe(true);
  });

  it('refuses every write to a Bitrix table, and reading tables it was not granted', async () => {
    await expect(sql`INSERT INTO b_crm_contact (NAME) VALUES ('Bob')`.execute(daemon)).rejects.toThrow(/INSERT command denied/);
    await expect(sql`UPDATE b_crm_contact SET NAME = 'Eve'`.execute(daemon)).rejects.toThrow(/UPDATE command denied/);
    await expect(sql`DELETE FROM b_crm_contact`.execute(daemon)).rejects.toThrow(/DELETE command denied/);
    await expect(sql`UPDATE b_option SET VALUE = '1'`.execute(daemon)).rejects.toThrow(/UPDATE command denied/);
    await expect(sql`SELECT PASSWORD FROM b_user`.execute(daemon)).rejects.toThrow(/SELECT command denied/);
  });

  it('refuses schema changes and changes to the migration history', async () => {
    await expect(sql`CREATE TABLE b_crm_evil (ID int)`.execute(daemon)).rejects.toThrow(/CREATE command denied/);
    await expect(sql`DROP TABLE b_b24xero_link`.execute(daemon)).rejects.toThrow(/DROP command denied/);
    await expect(sql`DELETE FROM b_b24xero_migration`.execute(daemon)).rejects.toThrow(/DELETE command denied/);
  });
});
