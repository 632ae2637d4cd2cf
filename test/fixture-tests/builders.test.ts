import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDb, type TestDb } from '../helpers/test-db.ts';
import { createBitrixSchema, type FixtureInfo } from '../fixture/bitrix-schema.ts';
import { buildContact } from '../fixture/builders/contact.ts';
import { buildCompany } from '../fixture/builders/company.ts';
import { buildProduct } from '../fixture/builders/product.ts';
import { buildSmartInvoice } from '../fixture/builders/smart-invoice.ts';
import { buildLegacyInvoice } from '../fixture/builders/legacy-invoice.ts';
import { addSmartInvoiceStage } from '../fixture/builders/stage.ts';
import { setModuleSettings } from '../fixture/builders/module-options.ts';
import { buildPortal, type BuiltPortal } from '../fixture/builders/portal.ts';

describe('fixture builders', () => {
  let t: TestDb;
  let info: FixtureInfo;
  let t23: TestDb;
  let info23: FixtureInfo;

  beforeAll(async () => {
    [t, t23] = await Promise.all([createTestDb('fx_builders'), createTestDb('fx_builders23')]);
    info = await createBitrixSchema(t.db);
    info23 = await createBitrixSchema(t23.db, { crm: '23', smartInvoiceCategoryId: 3 });
  });
  afterAll(async () => {
    await Promise.all([t?.drop(), t23?.drop()]);
  });

  it('builds a contact with several emails and phones, an address, a requisite with a tax id and a Xero id', async () => {
    const c = await buildContact(t.db, {
      name: 'Aroha', lastName: 'Ngata', emails: ['a@work.example', { value: 'a@home.example', valueType: 'HOME' }],
      phones: ['+64 9 555 0101', '+64 21 555 0101'], address: { address1: '1 High St', city: 'Auckland', postalCode: '1010', countryCode: 'NZ' },
      requisite: { vatId: '123-456-789', legalAddress: { address1: 'PO Box 1', city: 'Auckland' } }, xeroId: 'xero-contact-1',
      dateModify: '2025-01-02 03:04:05',
    });
    const row = await t.db.selectFrom('b_crm_contact').selectAll().where('ID', '=', c.contactId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ NAME: 'Aroha', LAST_NAME: 'Ngata', FULL_NAME: 'Aroha Ngata', DATE_MODIFY: '2025-01-02 03:04:05', HAS_EMAIL: 'Y', HAS_PHONE: 'Y' });
    const fm = await t.db.selectFrom('b_crm_field_multi').select(['TYPE_ID', 'VALUE_TYPE', 'COMPLEX_ID', 'VALUE'])
      .where('ENTITY_ID', '=', 'CONTACT').where('ELEMENT_ID', '=', c.contactId).orderBy('ID').execute();
    expect(fm).toEqual([
      { TYPE_ID: 'EMAIL', VALUE_TYPE: 'WORK', COMPLEX_ID: 'EMAIL_WORK', VALUE: 'a@work.example' },
      { TYPE_ID: 'EMAIL', VALUE_TYPE: 'HOME', COMPLEX_ID: 'EMAIL_HOME', VALUE: 'a@home.example' },
      { TYPE_ID: 'PHONE', VALUE_TYPE: 'WORK', COMPLEX_ID: 'PHONE_WORK', VALUE: '+64 9 555 0101' },
      { TYPE_ID: 'PHONE', VALUE_TYPE: 'MOBILE', COMPLEX_ID: 'PHONE_MOBILE', VALUE: '+64 21 555 0101' },
    ]);
    const addr = await t.db.selectFrom('b_crm_addr').select(['TYPE_ID', 'ENTITY_TYPE_ID', 'ENTITY_ID', 'ANCHOR_TYPE_ID', 'ANCHOR_ID', 'CITY'])
      .where('ANCHOR_TYPE_ID', '=', 3).where('ANCHOR_ID', '=', c.contactId).orderBy('ID').execute();
    expect(addr.map((a) => [Number(a.TYPE_ID), Number(a.ENTITY_TYPE_ID), Number(a.ENTITY_ID)])).toEqual([[1, 3, c.contactId], [6, 8, c.requisiteId]]);
    const rq = await t.db.selectFrom('b_crm_requisite').selectAll().where('ID', '=', c.requisiteId).executeTakeFirstOrThrow();
    expect(rq).toMatchObject({ ENTITY_ID: c.contactId, RQ_VAT_ID: '123-456-789', RQ_VAT_PAYER: 'Y' });
    expect(Number(rq.ENTITY_TYPE_ID)).toBe(3);
    const uts = await t.db.selectFrom('b_uts_crm_contact').selectAll().where('VALUE_ID', '=', c.contactId).executeTakeFirstOrThrow();
    expect(uts.UF_CRM_XERO_ID).toBe('xero-contact-1');
  });

  it('leaves no b_uts_crm_contact row when no Xero id was ever saved', async () => {
    const c = await buildContact(t.db, { name: 'No', lastName: 'Uts' });
    expect(await t.db.selectFrom('b_uts_crm_contact').selectAll().where('VALUE_ID', '=', c.contactId).execute()).toEqual([]);
  });

  it('builds a company with several contacts, exactly one primary, and points their legacy COMPANY_ID at it', async () => {
    const a = await buildContact(t.db, { name: 'A', lastName: 'One' });
    const b = await buildContact(t.db, { name: 'B', lastName: 'Two' });
    const co = await buildCompany(t.db, { title: 'Kauri Timber Ltd', contacts: [a.contactId, { contactId: b.contactId, primary: true }], requisite: { vatId: '98-765-432' } });
    const links = await t.db.selectFrom('b_crm_contact_company').select(['CONTACT_ID', 'SORT', 'IS_PRIMARY'])
      .where('COMPANY_ID', '=', co.companyId).orderBy('SORT').execute();
    expect(links.map((l) => [Number(l.CONTACT_ID), Number(l.SORT), l.IS_PRIMARY])).toEqual([[a.contactId, 10, 'N'], [b.contactId, 20, 'Y']]);
    const contacts = await t.db.selectFrom('b_crm_contact').select('COMPANY_ID').where('ID', 'in', [a.contactId, b.contactId]).execute();
    expect(contacts.map((c) => Number(c.COMPANY_ID))).toEqual([co.companyId, co.companyId]);
  });

  it('builds a catalog product across b_iblock_element, b_catalog_product and b_catalog_price', async () => {
    const p = await buildProduct(t.db, { name: 'Logo design', price: 1200, vatId: info.vat.gst15, vatIncluded: false });
    const el = await t.db.selectFrom('b_iblock_element').selectAll().where('ID', '=', p.productId).executeTakeFirstOrThrow();
    const cp = await t.db.selectFrom('b_catalog_product').selectAll().where('ID', '=', p.productId).executeTakeFirstOrThrow();
    const pr = await t.db.selectFrom('b_catalog_price').selectAll().where('ID', '=', p.priceId).executeTakeFirstOrThrow();
    expect(el).toMatchObject({ NAME: 'Logo design', XML_ID: String(p.productId), ACTIVE: 'Y' });
    expect(cp).toMatchObject({ VAT_ID: info.vat.gst15, VAT_INCLUDED: 'N' });
    expect(pr).toMatchObject({ PRODUCT_ID: p.productId, PRICE: '1200.00', CURRENCY: 'NZD' });
  });

  it('builds a smart invoice with payer company, primary and secondary contacts, a deal relation and priced rows', async () => {
    const a = await buildContact(t.db, {});
    const b = await buildContact(t.db, {});
    const co = await buildCompany(t.db, { contacts: [a.contactId, b.contactId] });
    const si = await buildSmartInvoice(t.db, info, {
      companyId: co.companyId, contactIds: [a.contactId, b.contactId], primaryContactId: b.contactId, dealId: 55,
      currency: 'AUD', stage: 'S', sync: 1, xmlId: 'f1e2d3c4-0000-4000-8000-000000000001',
      updatedTime: '2025-02-03 10:11:12', beginDate: '2025-02-01', closeDate: '2025-02-15',
      rows: [
        { name: 'Consulting', price: 150, quantity: 3, taxRate: 15, taxIncluded: false, discount: { type: 'percent', rate: 10 } },
        { name: 'Hosting', price: 57.5, quantity: 1, taxRate: 15, taxIncluded: true, discount: { type: 'amount', perUnit: 5.75 } },
        { name: 'Free text', price: 20, quantity: 2, taxRate: null },
      ],
    });
    const item = await t.db.selectFrom('b_crm_dynamic_items_31').selectAll().where('ID', '=', si.id).executeTakeFirstOrThrow();
    expect(item).toMatchObject({
      CATEGORY_ID: 7, STAGE_ID: 'DT31_7:S', COMPANY_ID: co.companyId, CONTACT_ID: b.contactId, CURRENCY_ID: 'AUD',
      UPDATED_TIME: '2025-02-03 10:11:12', BEGINDATE: '2025-02-01', CLOSEDATE: '2025-02-15', ACCOUNT_NUMBER: String(si.id),
      UF_CRM_XERO_SYNC: 1, XML_ID: 'f1e2d3c4-0000-4000-8000-000000000001', IS_MANUAL_OPPORTUNITY: 'N',
    });
    // 3 × 135 × 1.15 = 465.75; 51.75 × 1 = 51.75 (45 excl.); 40 → 557.50, tax 60.75 + 6.75 = 67.50
    expect(item.OPPORTUNITY).toBe('557.50');
    expect(item.TAX_VALUE).toBe('67.50');
    expect(si).toMatchObject({ opportunity: '557.50', taxValue: '67.50', stageId: 'DT31_7:S' });
    const bindings = await t.db.selectFrom('b_crm_entity_contact').select(['CONTACT_ID', 'IS_PRIMARY'])
      .where('ENTITY_TYPE_ID', '=', 31).where('ENTITY_ID', '=', si.id).orderBy('SORT').execute();
    expect(bindings.map((x) => [Number(x.CONTACT_ID), x.IS_PRIMARY])).toEqual([[a.contactId, 'N'], [b.contactId, 'Y']]);
    const rel = await t.db.selectFrom('b_crm_entity_relation').selectAll().where('DST_ENTITY_TYPE_ID', '=', 31).where('DST_ENTITY_ID', '=', si.id).execute();
    expect(rel.map((r) => [Number(r.SRC_ENTITY_TYPE_ID), Number(r.SRC_ENTITY_ID), r.RELATION_TYPE])).toEqual([[2, 55, 'BINDING']]);
    const rows = await t.db.selectFrom('b_crm_product_row').selectAll().where('OWNER_TYPE', '=', 'SI').where('OWNER_ID', '=', si.id).orderBy('SORT').execute();
    expect(rows.map((r) => [r.PRICE, r.DISCOUNT_TYPE_ID, r.DISCOUNT_SUM, r.TAX_INCLUDED])).toEqual([
      ['155.25000000', 2, '15.00000000', 'N'], ['51.75000000', 1, '5.00000000', 'Y'], ['20.00000000', 0, '0.00000000', 'N'],
    ]);
  });

  it('leaves UF_CRM_XERO_SYNC NULL when the flag was never touched, and stores 0 when it was unticked', async () => {
    const unset = await buildSmartInvoice(t.db, info, {});
    const off = await buildSmartInvoice(t.db, info, { sync: 0 });
    const rows = await t.db.selectFrom('b_crm_dynamic_items_31').select(['ID', 'UF_CRM_XERO_SYNC']).where('ID', 'in', [unset.id, off.id]).orderBy('ID').execute();
    expect(rows.map((r) => r.UF_CRM_XERO_SYNC)).toEqual([null, 0]);
  });

  it('puts invoices on a custom stage between the defaults', async () => {
    const stage = await addSmartInvoiceStage(t.db, info.smartInvoiceCategoryId, { code: 'UC_APPROVAL', name: 'Awaiting approval', sort: 25 });
    expect(stage).toBe('DT31_7:UC_APPROVAL');
    const si = await buildSmartInvoice(t.db, info, { stage: 'UC_APPROVAL' });
    const { rows } = await sql<{ STAGE_ID: string; SORT: number; SEMANTICS: string | null }>`
      SELECT i.STAGE_ID, s.SORT, s.SEMANTICS FROM b_crm_dynamic_items_31 i
      JOIN b_crm_status s ON s.STATUS_ID = i.STAGE_ID AND s.ENTITY_ID = CONCAT('SMART_INVOICE_STAGE_', i.CATEGORY_ID)
      WHERE i.ID = ${si.id}`.execute(t.db);
    expect(rows).toEqual([{ STAGE_ID: 'DT31_7:UC_APPROVAL', SORT: 25, SEMANTICS: null }]);
  });

  it('rounds crm 23.x rows to cents and still keeps OPPORTUNITY = Σ PRICE × QUANTITY', async () => {
    const si = await buildSmartInvoice(t23.db, info23, {
      rows: [
        { price: 49.9, quantity: 3, taxRate: 15, taxIncluded: true, discount: { type: 'percent', rate: 12.5 } },
        { price: 33.33, quantity: 0.5, taxRate: 15, taxIncluded: false, discount: { type: 'amount', perUnit: 1.11 } },
      ],
    });
    const { rows } = await sql<{ total: string; opp: string; stage: string }>`
      SELECT ROUND(SUM(p.PRICE * p.QUANTITY), 2) AS total, i.OPPORTUNITY AS opp, i.STAGE_ID AS stage
      FROM b_crm_dynamic_items_31 i JOIN b_crm_product_row p ON p.OWNER_TYPE = 'SI' AND p.OWNER_ID = i.ID
      WHERE i.ID = ${si.id} GROUP BY i.ID, i.OPPORTUNITY, i.STAGE_ID`.execute(t23.db);
    expect(rows[0]!.opp).toBe(si.opportunity);
    expect(Number(rows[0]!.total)).toBe(Number(rows[0]!.opp));
    expect(rows[0]!.stage).toBe('DT31_3:N');
  });

  it('builds a legacy invoice with basket VAT as a fraction, crm link fields, payer props and PAYED from the status SORT', async () => {
    const c = await buildContact(t.db, {});
    const co = await buildCompany(t.db, { contacts: [c.contactId] });
    const inv = await buildLegacyInvoice(t.db, {
      statusId: 'P', companyId: co.companyId, contactId: c.contactId, dealId: 9, accountNumber: 'INV-0042',
      lines: [
        { name: 'Consulting', price: 115, quantity: 2, vatRate: 15, vatIncluded: true, discountPerUnit: 11.5 },
        { name: 'Travel', price: 100, quantity: 1, vatRate: 15, vatIncluded: false },
      ],
      props: [{ code: 'COMPANY', value: 'Kauri Timber Ltd' }, { code: 'INN', value: '12-345-678' }],
      dateUpdate: '2025-03-01 12:00:00', sync: 1,
    });
    const head = await t.db.selectFrom('b_crm_invoice').selectAll().where('ID', '=', inv.id).executeTakeFirstOrThrow();
    // 2 × 103.50 = 207 (27 tax inside) + 100 + 15 tax = 322, tax 42
    expect(head).toMatchObject({ ACCOUNT_NUMBER: 'INV-0042', STATUS_ID: 'P', PAYED: 'Y', CANCELED: 'N', PRICE: '322.0000', TAX_VALUE: '42.00', PERSON_TYPE_ID: 2, DATE_UPDATE: '2025-03-01 12:00:00' });
    const basket = await t.db.selectFrom('b_crm_invoice_basket').select(['PRICE', 'BASE_PRICE', 'DISCOUNT_PRICE', 'VAT_RATE', 'VAT_INCLUDED', 'QUANTITY'])
      .where('ORDER_ID', '=', inv.id).orderBy('SORT').execute();
    expect(basket).toEqual([
      { PRICE: '103.5000', BASE_PRICE: '115.0000', DISCOUNT_PRICE: '11.5000', VAT_RATE: '0.1500', VAT_INCLUDED: 'Y', QUANTITY: 2 },
      { PRICE: '100.0000', BASE_PRICE: '100.0000', DISCOUNT_PRICE: '0.0000', VAT_RATE: '0.1500', VAT_INCLUDED: 'N', QUANTITY: 1 },
    ]);
    const uts = await t.db.selectFrom('b_uts_crm_invoice').selectAll().where('VALUE_ID', '=', inv.id).executeTakeFirstOrThrow();
    expect(uts).toMatchObject({ UF_DEAL_ID: 9, UF_COMPANY_ID: co.companyId, UF_CONTACT_ID: c.contactId, UF_QUOTE_ID: 0, UF_CRM_XERO_SYNC: 1 });
    const props = await t.db.selectFrom('b_crm_invoice_props_value').select(['CODE', 'VALUE', 'ORDER_PROPS_ID']).where('ORDER_ID', '=', inv.id).orderBy('ID').execute();
    expect(props).toEqual([{ CODE: 'COMPANY', VALUE: 'Kauri Timber Ltd', ORDER_PROPS_ID: 8 }, { CODE: 'INN', VALUE: '12-345-678', ORDER_PROPS_ID: 11 }]);
  });

  it('marks a declined legacy invoice CANCELED and not PAYED', async () => {
    const inv = await buildLegacyInvoice(t.db, { statusId: 'D', lines: [{ name: 'x', price: 10 }] });
    const head = await t.db.selectFrom('b_crm_invoice').select(['PAYED', 'CANCELED']).where('ID', '=', inv.id).executeTakeFirstOrThrow();
    expect(head).toEqual({ PAYED: 'N', CANCELED: 'Y' });
  });

  it('stores module settings in b_option under b24xero.sync, JSON for maps', async () => {
    const keys = await setModuleSettings(t.db, { defaultSalesAccount: '200', taxMap: { '15': 'OUTPUT2' } });
    expect(keys).toEqual(['default_sales_account', 'tax_map']);
    const rows = await t.db.selectFrom('b_option').select(['NAME', 'VALUE']).where('MODULE_ID', '=', 'b24xero.sync').orderBy('NAME').execute();
    // start_date: saved by the fixture as the installer would (the install day).
    expect(rows).toEqual([{ NAME: 'default_sales_account', VALUE: '200' }, { NAME: 'start_date', VALUE: '2000-01-01' }, { NAME: 'tax_map', VALUE: '{"15":"OUTPUT2"}' }]);
  });
});

describe('buildPortal', () => {
  let t: TestDb;
  let portal: BuiltPortal;

  beforeAll(async () => {
    t = await createTestDb('fx_portal');
    const info = await createBitrixSchema(t.db, { crm: '23', smartInvoiceCategoryId: 5 });
    portal = await buildPortal(t.db, info, { seed: 42 });
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('builds the requested numbers of parties, products and invoices', async () => {
    expect(portal.contactIds).toHaveLength(8);
    expect(portal.companyIds).toHaveLength(4);
    expect(portal.smartInvoiceIds).toHaveLength(16);
    expect(portal.legacyInvoiceIds).toHaveLength(4);
    const { rows } = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM b_crm_dynamic_items_31`.execute(t.db);
    expect(Number(rows[0]!.n)).toBe(16);
  });

  it('keeps every smart invoice total equal to Σ PRICE × QUANTITY of its rows', async () => {
    const { rows } = await sql<{ ID: number; OPPORTUNITY: string; total: string | null }>`
      SELECT i.ID, i.OPPORTUNITY, ROUND(SUM(p.PRICE * p.QUANTITY), 2) AS total
      FROM b_crm_dynamic_items_31 i LEFT JOIN b_crm_product_row p ON p.OWNER_TYPE = 'SI' AND p.OWNER_ID = i.ID
      GROUP BY i.ID, i.OPPORTUNITY`.execute(t.db);
    for (const r of rows) expect(Number(r.total ?? 0), `invoice ${r.ID}`).toBe(Number(r.OPPORTUNITY));
  });

  it('covers several currencies, the custom stage, all three sync states, discounts both ways and tax in and out', async () => {
    const { rows: cur } = await sql<{ c: string }>`SELECT DISTINCT CURRENCY_ID AS c FROM b_crm_dynamic_items_31`.execute(t.db);
    expect(cur.length).toBeGreaterThanOrEqual(4);
    const { rows: st } = await sql<{ s: string }>`SELECT DISTINCT STAGE_ID AS s FROM b_crm_dynamic_items_31`.execute(t.db);
    expect(st.map((r) => r.s)).toContain(portal.approvalStageId);
    const { rows: sync } = await sql<{ v: number | null }>`SELECT DISTINCT UF_CRM_XERO_SYNC AS v FROM b_crm_dynamic_items_31`.execute(t.db);
    expect(new Set(sync.map((r) => r.v))).toEqual(new Set([null, 0, 1]));
    const { rows: pr } = await sql<{ d: number | null; ti: string }>`SELECT DISTINCT DISCOUNT_TYPE_ID AS d, TAX_INCLUDED AS ti FROM b_crm_product_row`.execute(t.db);
    expect(new Set(pr.map((r) => Number(r.d)))).toEqual(new Set([0, 1, 2]));
    expect(new Set(pr.map((r) => r.ti))).toEqual(new Set(['Y', 'N']));
  });

  it('includes smart invoices that share one UPDATED_TIME second', async () => {
    const { rows } = await sql<{ n: number }>`
      SELECT COUNT(*) AS n FROM (SELECT UPDATED_TIME FROM b_crm_dynamic_items_31 GROUP BY UPDATED_TIME HAVING COUNT(*) > 1) d`.execute(t.db);
    expect(Number(rows[0]!.n)).toBeGreaterThan(0);
  });

  it('is deterministic for a seed', async () => {
    const other = await createTestDb('fx_portal2');
    try {
      const info = await createBitrixSchema(other.db, { crm: '23', smartInvoiceCategoryId: 5 });
      await buildPortal(other.db, info, { seed: 42 });
      const q = sql<{ ID: number; OPPORTUNITY: string; UPDATED_TIME: string; STAGE_ID: string }>`
        SELECT ID, OPPORTUNITY, UPDATED_TIME, STAGE_ID FROM b_crm_dynamic_items_31 ORDER BY ID`;
      expect((await q.execute(other.db)).rows).toEqual((await q.execute(t.db)).rows);
    } finally {
      await other.drop();
    }
  });
});
