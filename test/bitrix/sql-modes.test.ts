import { Kysely, MysqlDialect, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLegacyInvoices } from '../../daemon/src/bitrix/legacy-invoices.ts';
import { readModuleOptionsRaw } from '../../daemon/src/bitrix/module-options.ts';
import { readCompanies, readContacts } from '../../daemon/src/bitrix/parties.ts';
import { listProductIds, readProducts } from '../../daemon/src/bitrix/products.ts';
import { SCAN_KINDS, scanChanged, scanIndexStatus } from '../../daemon/src/bitrix/scan.ts';
import { readSmartInvoices } from '../../daemon/src/bitrix/smart-invoices.ts';
import { readStages } from '../../daemon/src/bitrix/stages.ts';
import { createPoolFromUrl } from '../../daemon/src/db/connect.ts';
import { changeFeedBacklog, claimChanges, completeChanges } from '../../daemon/src/state/change-feed.ts';
import { getCursor, setCursor } from '../../daemon/src/state/cursors.ts';
import { countLinks } from '../../daemon/src/state/links.ts';
import { migrationStatus } from '../../daemon/src/state/migrator.ts';
import { countOpenErrors, recordError } from '../../daemon/src/state/record-errors.ts';
import { createBitrixSchema } from '../fixture/bitrix-schema.ts';
import { buildCompany } from '../fixture/builders/company.ts';
import { buildPortal } from '../fixture/builders/portal.ts';
import { setModuleOption } from '../fixture/builders/module-options.ts';
import { insertWarts } from '../fixture/warts.ts';
import { createTestDb, type TestDb } from '../helpers/test-db.ts';
import { applyModuleSchema } from './module-schema.ts';

/**
 * The daemon's session gets the server's sql_mode: MySQL 8.0's default on a BitrixVM-style server, or '' where the
 * administrator set it globally the way Bitrix forces it per connection. Every read (and the state bookkeeping the
 * readers rely on) must work, and give the same answer, under both — including over rows holding zero dates,
 * which the strict modes would refuse to store but must still be able to read.
 */
const MYSQL80_DEFAULT = 'ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION';
const MODES = { 'MySQL 8.0 default': MYSQL80_DEFAULT, "Bitrix's empty": '' } as const;

let t: TestDb;

/** A Kysely whose every pooled connection runs in `mode` before it is handed out. */
function sessionWithMode(url: string, mode: string): Kysely<any> {
  const pool = createPoolFromUrl(url, { connectionLimit: 3 });
  // The pool emits 'connection' before a new connection's first use; mysql2 runs its commands in order.
  pool.on('connection', (conn) => {
    conn.query('SET SESSION sql_mode = ?', [mode], () => undefined);
  });
  return new Kysely<any>({ dialect: new MysqlDialect({ pool }) });
}

async function ids(table: string): Promise<number[]> {
  const { rows } = await sql<{ ID: number }>`SELECT ID FROM ${sql.table(table)} ORDER BY ID`.execute(t.db);
  return rows.map((r) => Number(r.ID));
}

/** Everything the daemon reads from Bitrix, in one comparable object. */
async function readEverything(db: Kysely<any>) {
  const scans: Record<string, number[]> = {};
  for (const kind of SCAN_KINDS) {
    const seen: number[] = [];
    for await (const page of scanChanged(db, kind, null, { limit: 7 })) seen.push(...page.ids);
    scans[kind] = seen;
  }
  return {
    smart: await readSmartInvoices(db, await ids('b_crm_dynamic_items_31')),
    legacy: await readLegacyInvoices(db, await ids('b_crm_invoice')),
    contacts: await readContacts(db, await ids('b_crm_contact')),
    companies: await readCompanies(db, await ids('b_crm_company')),
    products: await readProducts(db, await listProductIds(db, { limit: 1000 })),
    stages: await readStages(db),
    options: await readModuleOptionsRaw(db),
    indexes: await scanIndexStatus(db),
    scans,
  };
}

let reference: Awaited<ReturnType<typeof readEverything>>;

beforeAll(async () => {
  t = await createTestDb('sql_modes');
  const info = await createBitrixSchema(t.db, { crm: '25', smartInvoiceCategoryId: 4 });
  await buildPortal(t.db, info, { seed: 11, smartInvoices: 12, legacyInvoices: 4 });
  await insertWarts(t.db, info);
  await setModuleOption(t.db, 'invoice_kinds', '["smart","legacy"]');
  await applyModuleSchema(t.db);
  reference = await readEverything(t.db);
});
afterAll(async () => {
  await t?.drop();
});

describe.each(Object.entries(MODES))('under the %s sql_mode', (_name, mode) => {
  let db: Kysely<any>;
  beforeAll(() => {
    db = sessionWithMode(t.url, mode);
  });
  afterAll(async () => {
    await db?.destroy();
  });

  it('really runs its session in that mode', async () => {
    const { rows } = await sql<{ mode: string }>`SELECT @@SESSION.sql_mode AS mode`.execute(db);
    const actual = rows[0]!.mode.split(',').filter(Boolean).sort();
    expect(actual).toEqual(mode.split(',').filter(Boolean).sort());
  });

  it('reads invoices, parties, products, stages, options and scan pages exactly as under the server default', async () => {
    const result = await readEverything(db);
    expect(result.smart.invoices.length).toBeGreaterThan(10);
    expect(result.legacy.invoices.length).toBeGreaterThan(3);
    // The zero-dated wart rows are found by the scan, not lost to a failed comparison.
    expect(result.scans['smart_invoice']!.length).toBe((await ids('b_crm_dynamic_items_31')).length);
    expect(result).toEqual(reference);
  });

  it('claims and completes change-feed rows, stores cursors and counts state (GROUP BY) without errors', async () => {
    await sql`INSERT INTO b_b24xero_change (ENTITY_TYPE, ENTITY_ID, ACTION, CREATED_AT)
      VALUES ('smart_invoice', 1, 'update', UTC_TIMESTAMP(3)), ('contact', 2, 'add', UTC_TIMESTAMP(3))`.execute(db);
    const claim = await claimChanges(db, { claimer: `mode-${mode.length}`, limit: 10 });
    expect(claim.items.map((i) => i.entityType)).toEqual(['smart_invoice', 'contact']);
    expect(await completeChanges(db, claim.claimer, claim.changeIds)).toBe(2);
    expect(await changeFeedBacklog(db)).toEqual({ waiting: 0, leased: 0 });

    await setCursor(db, 'scan:smart_invoice', '2025-03-01 10:00:05|42');
    expect(await getCursor(db, 'scan:smart_invoice')).toBe('2025-03-01 10:00:05|42');

    await recordError(db, {
      entityType: 'smart_invoice', entityId: 7, operation: 'read', errorClass: 'needs_person', code: 'ROW', message: 'bad row',
    });
    expect((await countOpenErrors(db)).error).toBeGreaterThan(0);
    expect(await countLinks(db)).toBeDefined();
    expect((await migrationStatus(db)).pending).toEqual([]);
  });
});

describe('the connection character set', () => {
  it('reads names outside the Basic Multilingual Plane intact (utf8mb4, not utf8mb3)', async () => {
    const title = 'Ōtautahi Café 🦄 Ltd';
    const { companyId } = await buildCompany(t.db, { title });
    const { companies } = await readCompanies(t.db, [companyId]);
    expect(companies[0]?.title).toBe(title);
  });
});
