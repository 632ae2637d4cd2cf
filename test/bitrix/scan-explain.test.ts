import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datedPageQuery, scanIndexStatus, undatedPageQuery } from '../../daemon/src/bitrix/scan.ts';
import { createBitrixSchema } from '../fixture/bitrix-schema.ts';
import { withBitrixSession } from '../fixture/bitrix-session.ts';
import { shiftNaive } from '../fixture/builders/naive-time.ts';
import { createTestDb, type TestDb } from '../helpers/test-db.ts';
import { explain } from './module-schema.ts';

let plain: TestDb;
let indexed: TestDb;

/**
 * Enough smart invoices, contacts and companies for the optimizer to care (on a handful of rows it scans whatever the
 * indexes): the columns the scan touches, the rest left to sql_mode='' defaults.
 */
async function fill(db: Kysely<any>): Promise<void> {
  await withBitrixSession(db, async (conn) => {
    for (let chunk = 0; chunk < 4; chunk++) {
      const invoices: string[] = [];
      const parties: string[] = [];
      const legacy: string[] = [];
      for (let i = 0; i < 1000; i++) {
        const at = shiftNaive('2024-01-01 00:00:00', (chunk * 1000 + i) * 613);
        invoices.push(`('Invoice', '${at}', '${at}', 7, 'DT31_7:N', 'NZD', '1')`);
        parties.push(`('${at}', 1)`);
        legacy.push(`('${at}', '${at}')`);
      }
      await sql.raw(`INSERT INTO b_crm_dynamic_items_31 (TITLE, CREATED_TIME, UPDATED_TIME, CATEGORY_ID, STAGE_ID, CURRENCY_ID, ASSIGNED_BY_ID) VALUES ${invoices.join(',')}`).execute(conn);
      await sql.raw(`INSERT INTO b_crm_contact (DATE_MODIFY, CREATED_BY_ID) VALUES ${parties.join(',')}`).execute(conn);
      await sql.raw(`INSERT INTO b_crm_company (DATE_MODIFY, CREATED_BY_ID) VALUES ${parties.join(',')}`).execute(conn);
      await sql.raw(`INSERT INTO b_crm_invoice (DATE_INSERT, DATE_UPDATE) VALUES ${legacy.join(',')}`).execute(conn);
    }
  });
  for (const table of ['b_crm_dynamic_items_31', 'b_crm_contact', 'b_crm_company', 'b_crm_invoice']) await sql.raw(`ANALYZE TABLE ${table}`).execute(db);
}

beforeAll(async () => {
  [plain, indexed] = await Promise.all([createTestDb('scan_plain'), createTestDb('scan_indexed')]);
  await createBitrixSchema(plain.db, { scanIndexes: false });
  await createBitrixSchema(indexed.db, { scanIndexes: true });
  await fill(plain.db);
  await fill(indexed.db);
});
afterAll(async () => {
  await Promise.all([plain?.drop(), indexed?.drop()]);
});

const recent = { time: '2024-01-28 00:00:00', id: 0 };

describe('safety scan query plans', () => {
  it('reports which tables have an index for the scan (legacy invoices always do)', async () => {
    expect(await scanIndexStatus(plain.db)).toEqual({ smart_invoice: false, legacy_invoice: true, contact: false, company: false });
    expect(await scanIndexStatus(indexed.db)).toEqual({ smart_invoice: true, legacy_invoice: true, contact: true, company: true });
  });

  it('uses the optional (UPDATED_TIME, ID) index on smart invoices when the portal has it', async () => {
    const [plan] = await explain(indexed.db, datedPageQuery(indexed.db, 'smart_invoice', recent, 500));
    expect(plan).toMatchObject({ key: 'IX_B24XERO_UPDATED_TIME_ID', type: 'range' });
    expect(plan?.Extra ?? '').not.toMatch(/filesort/i);
  });

  it('falls back to a full scan of smart invoices on a stock portal, which has no such index', async () => {
    const [plan] = await explain(plain.db, datedPageQuery(plain.db, 'smart_invoice', recent, 500));
    expect(plan).toMatchObject({ key: null, type: 'ALL' });
  });

  it('finds zero-dated rows through the same index when present', async () => {
    const [withIndex] = await explain(indexed.db, undatedPageQuery(indexed.db, 'smart_invoice', 0, 500));
    expect(withIndex).toMatchObject({ key: 'IX_B24XERO_UPDATED_TIME_ID', type: 'range' });
  });

  it('pages legacy invoices through crm\'s own DATE_UPDATE index, which every portal has, without sorting', async () => {
    const [plan] = await explain(plain.db, datedPageQuery(plain.db, 'legacy_invoice', recent, 500));
    expect(plan).toMatchObject({ key: 'IXS_DATE_UPDATE', type: 'range' });
    expect(plan?.Extra ?? '').not.toMatch(/filesort/i);
  });

  it('uses the (DATE_MODIFY, ID) indexes for contacts and companies when present, and scans without them', async () => {
    for (const kind of ['contact', 'company'] as const) {
      const [withIndex] = await explain(indexed.db, datedPageQuery(indexed.db, kind, recent, 500));
      expect(withIndex).toMatchObject({ key: 'IX_B24XERO_DATE_MODIFY_ID', type: 'range' });
      const [without] = await explain(plain.db, datedPageQuery(plain.db, kind, recent, 500));
      expect(without).toMatchObject({ key: null, type: 'ALL' });
    }
  });
});
