import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSettings, readSettings, type OptionTables } from '../../daemon/src/config/settings.ts';
import { DEFAULT_SETTINGS } from '../../daemon/src/domain/settings.ts';
import { createTestDb, type TestDb } from '../helpers/test-db.ts';

describe('readSettings from b_option', () => {
  let t: TestDb;
  let db: Kysely<OptionTables>;
  beforeAll(async () => {
    t = await createTestDb('settings');
    db = t.db as Kysely<OptionTables>;
    await sql`CREATE TABLE b_option (
      MODULE_ID varchar(50) NOT NULL, NAME varchar(100) NOT NULL, VALUE mediumtext NULL,
      DESCRIPTION varchar(255) NULL, SITE_ID char(2) NULL, PRIMARY KEY (MODULE_ID, NAME))`.execute(t.db);
  });
  afterAll(async () => { await t?.drop(); });

  async function setOptions(rows: Array<[string, string, string | null]>): Promise<void> {
    await sql`DELETE FROM b_option`.execute(t.db);
    for (const [module, name, value] of rows) {
      await sql`INSERT INTO b_option (MODULE_ID, NAME, VALUE) VALUES (${module}, ${name}, ${value})`.execute(t.db);
    }
  }

  it('uses the defaults when nothing is saved', async () => {
    await setOptions([]);
    expect(await readSettings(db)).toEqual({ settings: DEFAULT_SETTINGS, problems: [] });
  });

  it('reads every option the module saves', async () => {
    await setOptions([
      ['b24xero.sync', 'status_map', JSON.stringify({ push: { createAs: 'AUTHORISED' }, pull: { smart: { PAID: 'DT31_5:P', SENT: 'DT31_5:S' } }, skipStages: ['DT31_5:D'] })],
      ['b24xero.sync', 'default_sales_account', '200'],
      ['b24xero.sync', 'product_accounts', '{"17": "210", "18": 220}'],
      ['b24xero.sync', 'tax_map', '{"15": "OUTPUT2", "0": "NONE"}'],
      ['b24xero.sync', 'invoice_number_policy', 'xero'],
      ['b24xero.sync', 'invoice_kinds', '["smart"]'],
      ['b24xero.sync', 'sync_schedule', '*/2 * * * *'],
      ['b24xero.sync', 'scan_schedule', '0 * * * *'],
      ['b24xero.sync', 'start_date', '2026-06-01'],
      ['b24xero.sync', 'contact_import', 'customers'],
      ['crm', 'status_map', 'not ours'],
    ]);
    const { settings, problems } = await readSettings(db);
    expect(problems).toEqual([]);
    expect(settings).toEqual({
      statusMap: { push: { createAs: 'AUTHORISED' }, pull: { smart: { PAID: 'DT31_5:P', SENT: 'DT31_5:S' } }, skipStages: ['DT31_5:D'] },
      defaultSalesAccount: '200',
      productAccounts: { 17: '210', 18: '220' },
      taxMap: { 15: 'OUTPUT2', 0: 'NONE' },
      invoiceNumberPolicy: 'xero',
      invoiceKinds: ['smart'],
      syncSchedule: '*/2 * * * *',
      scanSchedule: '0 * * * *',
      startDate: '2026-06-01',
      importContacts: 'customers',
    });
    expect(Object.isFrozen(settings.statusMap)).toBe(true);
  });

  it('reports a malformed JSON value by its key, uses the default for it, and keeps the other options', async () => {
    await setOptions([
      ['b24xero.sync', 'tax_map', '{"15": "OUTPUT2",'],
      ['b24xero.sync', 'default_sales_account', '260'],
    ]);
    const { settings, problems } = await readSettings(db);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.key).toBe('tax_map');
    expect(problems[0]!.message).toMatch(/option 'tax_map' of b24xero\.sync: is not valid JSON .*; using the default/);
    expect(settings.taxMap).toEqual({});
    expect(settings.defaultSalesAccount).toBe('260');
  });

  it('treats empty and NULL values as not set', async () => {
    await setOptions([['b24xero.sync', 'status_map', ''], ['b24xero.sync', 'tax_map', null]]);
    expect(await readSettings(db)).toEqual({ settings: DEFAULT_SETTINGS, problems: [] });
  });
});

describe('parseSettings', () => {
  it('rejects values of the wrong shape with a message naming the key', () => {
    const { settings, problems } = parseSettings(new Map([
      ['status_map', '{"pull": {"smart": {"PAYED": "X"}}}'],
      ['invoice_kinds', '["smart", "deals"]'],
      ['invoice_number_policy', 'mine'],
      ['product_accounts', '{"1": {"code": 200}}'],
      ['sync_schedule', 'every minute'],
    ]));
    expect(problems.map((p) => p.key)).toEqual(['status_map', 'product_accounts', 'invoice_number_policy', 'invoice_kinds', 'sync_schedule']);
    expect(problems[0]!.message).toMatch(/unknown Xero status 'PAYED'/);
    expect(settings).toEqual(DEFAULT_SETTINGS);
  });

  it('hands out copies of the defaults, never DEFAULT_SETTINGS itself', () => {
    const { settings } = parseSettings(new Map());
    expect(settings.invoiceKinds).not.toBe(DEFAULT_SETTINGS.invoiceKinds);
    expect(settings.statusMap).not.toBe(DEFAULT_SETTINGS.statusMap);
  });
});
