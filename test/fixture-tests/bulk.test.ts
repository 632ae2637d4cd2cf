import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDb, type TestDb } from '../helpers/test-db.ts';
import { createBitrixSchema, type FixtureInfo } from '../fixture/bitrix-schema.ts';
import { buildSmartInvoice } from '../fixture/builders/smart-invoice.ts';
import { loadBulkInvoices, type BulkResult } from '../fixture/bulk.ts';

async function count(t: TestDb, query: ReturnType<typeof sql<{ n: number | string }>>): Promise<number> {
  return Number((await query.execute(t.db)).rows[0]!.n);
}

describe('bulk invoice loader', () => {
  let t: TestDb;
  let info: FixtureInfo;
  let result: BulkResult;
  let existingId: number;
  const lines: string[] = [];

  beforeAll(async () => {
    t = await createTestDb('fx_bulk');
    info = await createBitrixSchema(t.db, { crm: '23' });
    // A hand-built invoice already there: the bulk load must append after it, not collide.
    existingId = (await buildSmartInvoice(t.db, info, { rows: [{ price: 10 }] })).id;
    result = await loadBulkInvoices(t.db, info, { count: 5_000, batchSize: 1_000, log: (l) => lines.push(l) });
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('loads exactly the requested number of invoices, each with one product row and one primary contact binding', async () => {
    expect(result).toMatchObject({ invoices: 5_000, productRows: 5_000, firstInvoiceId: existingId + 1, lastInvoiceId: existingId + 5_000 });
    expect(await count(t, sql`SELECT COUNT(*) AS n FROM b_crm_dynamic_items_31 WHERE ID > ${existingId}`)).toBe(5_000);
    expect(await count(t, sql`SELECT COUNT(*) AS n FROM b_crm_product_row WHERE OWNER_TYPE = 'SI' AND OWNER_ID > ${existingId}`)).toBe(5_000);
    expect(await count(t, sql`SELECT COUNT(DISTINCT OWNER_ID) AS n FROM b_crm_product_row WHERE OWNER_TYPE = 'SI' AND OWNER_ID > ${existingId}`)).toBe(5_000);
    expect(await count(t, sql`SELECT COUNT(*) AS n FROM b_crm_entity_contact WHERE ENTITY_TYPE_ID = 31 AND IS_PRIMARY = 'Y' AND ENTITY_ID > ${existingId}`)).toBe(5_000);
  });

  it('keeps OPPORTUNITY = PRICE × QUANTITY and TAX_VALUE consistent on every loaded invoice', async () => {
    expect(await count(t, sql`
      SELECT COUNT(*) AS n FROM b_crm_dynamic_items_31 i JOIN b_crm_product_row p ON p.OWNER_TYPE = 'SI' AND p.OWNER_ID = i.ID
      WHERE i.ID > ${existingId} AND (i.OPPORTUNITY <> ROUND(p.PRICE * p.QUANTITY, 2)
        OR i.TAX_VALUE <> ROUND((p.PRICE - p.PRICE_EXCLUSIVE) * p.QUANTITY, 2))`)).toBe(0);
  });

  it('binds every invoice to an existing contact and, for companies, an existing company, on existing stages', async () => {
    expect(await count(t, sql`
      SELECT COUNT(*) AS n FROM b_crm_dynamic_items_31 i LEFT JOIN b_crm_contact c ON c.ID = i.CONTACT_ID
      WHERE i.ID > ${existingId} AND c.ID IS NULL`)).toBe(0);
    expect(await count(t, sql`
      SELECT COUNT(*) AS n FROM b_crm_dynamic_items_31 i LEFT JOIN b_crm_company c ON c.ID = i.COMPANY_ID
      WHERE i.ID > ${existingId} AND i.COMPANY_ID <> 0 AND c.ID IS NULL`)).toBe(0);
    expect(await count(t, sql`
      SELECT COUNT(*) AS n FROM b_crm_dynamic_items_31 i LEFT JOIN b_crm_status s
        ON s.STATUS_ID = i.STAGE_ID AND s.ENTITY_ID = CONCAT('SMART_INVOICE_STAGE_', i.CATEGORY_ID)
      WHERE s.ID IS NULL`)).toBe(0);
  });

  it('spreads UPDATED_TIME with many same-second duplicates and not in ID order', async () => {
    const dupSeconds = await count(t, sql`
      SELECT COUNT(*) AS n FROM (SELECT UPDATED_TIME FROM b_crm_dynamic_items_31 WHERE ID > ${existingId}
        GROUP BY UPDATED_TIME HAVING COUNT(*) >= 10) d`);
    expect(dupSeconds).toBeGreaterThan(50);
    const outOfOrder = await count(t, sql`
      SELECT COUNT(*) AS n FROM b_crm_dynamic_items_31 a JOIN b_crm_dynamic_items_31 b ON b.ID = a.ID + 1
      WHERE a.ID > ${existingId} AND b.UPDATED_TIME < a.UPDATED_TIME`);
    expect(outOfOrder).toBeGreaterThan(0);
    const { rows } = await sql<{ lo: string; hi: string }>`
      SELECT MIN(UPDATED_TIME) AS lo, MAX(UPDATED_TIME) AS hi FROM b_crm_dynamic_items_31 WHERE ID > ${existingId}`.execute(t.db);
    expect(rows[0]!.hi).toBe('2025-06-30 18:00:00');
    expect(rows[0]!.lo < '2023-08-01 00:00:00').toBe(true);
  });

  it('mixes sync flags, currencies and Xero bindings', async () => {
    const { rows } = await sql<{ s: number | null; n: number }>`
      SELECT UF_CRM_XERO_SYNC AS s, COUNT(*) AS n FROM b_crm_dynamic_items_31 WHERE ID > ${existingId} GROUP BY UF_CRM_XERO_SYNC`.execute(t.db);
    expect(new Set(rows.map((r) => r.s))).toEqual(new Set([null, 0, 1]));
    expect(await count(t, sql`SELECT COUNT(DISTINCT CURRENCY_ID) AS n FROM b_crm_dynamic_items_31 WHERE ID > ${existingId}`)).toBe(5);
    expect(await count(t, sql`SELECT COUNT(*) AS n FROM b_crm_dynamic_items_31 WHERE ID > ${existingId} AND XML_ID <> ''`)).toBe(1_500);
  });

  it('reports progress with rows/s per batch', () => {
    expect(lines.filter((l) => /rows\/s/.test(l))).toHaveLength(5);
    expect(result.invoicesPerSecond).toBeGreaterThan(0);
  });

  it('refuses a non-positive count before writing anything', async () => {
    await expect(loadBulkInvoices(t.db, info, { count: 0 })).rejects.toThrow(/count must be an integer >= 1/);
  });
});
