import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLegacyInvoices } from '../../daemon/src/bitrix/legacy-invoices.ts';
import { readModuleOptionsRaw } from '../../daemon/src/bitrix/module-options.ts';
import { readCompanies, readContacts } from '../../daemon/src/bitrix/parties.ts';
import { scanChanged, type ScanKind } from '../../daemon/src/bitrix/scan.ts';
import { readSmartInvoices } from '../../daemon/src/bitrix/smart-invoices.ts';
import type { DomainInvoice, RowProblem } from '../../daemon/src/domain/invoice.ts';
import { CRM_VERSIONS, createBitrixSchema, type FixtureInfo } from '../fixture/bitrix-schema.ts';
import { insertWarts, WARTS, type InsertedWart, type WartKey } from '../fixture/warts.ts';
import { createTestDb, type TestDb } from '../helpers/test-db.ts';

/**
 * Every wart of test/fixture/warts.ts, read on both crm generations. Harmless warts are normalised; the ones that would
 * produce a wrong Xero invoice become a RowProblem for that row only.
 */
describe.each(CRM_VERSIONS)('warts on a crm %s.x portal', (crm) => {
  let t: TestDb;
  let info: FixtureInfo;
  let warts: Record<WartKey, InsertedWart>;
  const id = (key: WartKey) => Number(warts[key].id);

  beforeAll(async () => {
    t = await createTestDb(`warts_${crm}`);
    info = await createBitrixSchema(t.db, { crm, smartInvoiceCategoryId: 5 });
    warts = await insertWarts(t.db, info);
  });
  afterAll(async () => {
    await t?.drop();
  });

  async function smartInvoice(key: WartKey): Promise<DomainInvoice> {
    const { invoices, problems } = await readSmartInvoices(t.db, [id(key)]);
    expect(problems).toEqual([]);
    return invoices[0]!;
  }
  async function smartProblem(key: WartKey): Promise<RowProblem> {
    const { invoices, problems } = await readSmartInvoices(t.db, [id(key)]);
    expect(invoices).toEqual([]);
    return problems[0]!;
  }
  async function ownerOf(rowKey: WartKey): Promise<DomainInvoice> {
    const row = await t.db.selectFrom('b_crm_product_row').select('OWNER_ID').where('ID', '=', id(rowKey)).executeTakeFirstOrThrow();
    const { invoices, problems } = await readSmartInvoices(t.db, [row.OWNER_ID]);
    expect(problems).toEqual([]);
    return invoices[0]!;
  }
  const line = async (rowKey: WartKey) => (await ownerOf(rowKey)).lines.find((l) => l.rowId === id(rowKey))!;

  it('has an assertion below for every wart in the catalogue', () => {
    expect(Object.keys(warts).sort()).toEqual(WARTS.map((w) => w.key).sort());
    // A wart added to the catalogue without a test here must fail this file, not pass unnoticed.
    const source = readFileSync(fileURLToPath(import.meta.url), 'utf8');
    expect(WARTS.map((w) => w.key).filter((key) => !source.includes(key))).toEqual([]);
  });

  it('reads the whole page of wart invoices at once, with one problem per malformed row', async () => {
    const smartKeys = WARTS.filter((w) => w.table === 'b_crm_dynamic_items_31').map((w) => w.key);
    const { invoices, problems } = await readSmartInvoices(t.db, smartKeys.map(id));
    expect(problems.map((p) => p.id).sort((a, b) => a - b)).toEqual(
      [id('si_empty_currency'), id('si_implicit_defaults'), id('si_unknown_stage'), id('si_dangling_payer')].sort((a, b) => a - b));
    expect(invoices.length + problems.length).toBe(smartKeys.length);
  });

  it('si_zero_dates: zero BEGINDATE/CLOSEDATE read as no dates', async () => {
    expect(await smartInvoice('si_zero_dates')).toMatchObject({ issueDate: null, dueDate: null });
  });

  it('si_empty_title: an empty title stays empty (the planner builds a reference)', async () => {
    expect((await smartInvoice('si_empty_title')).title).toBe('');
  });

  it('si_no_payer: company 0 and no contacts read as "no payer", for the planner to report', async () => {
    expect(await smartInvoice('si_no_payer')).toMatchObject({ company: null, contacts: [] });
  });

  it('si_empty_currency and si_implicit_defaults: no currency is a problem of that invoice', async () => {
    expect((await smartProblem('si_empty_currency')).message).toMatch(/CURRENCY_ID is empty/);
    expect(await smartProblem('si_implicit_defaults')).toEqual({ entity: 'smart_invoice', id: id('si_implicit_defaults'), message: expect.stringMatching(/no currency/) });
  });

  it('si_zero_updated_time: read with no update time, and found by every scan pass', async () => {
    expect((await smartInvoice('si_zero_updated_time')).updatedAt).toBeNull();
    const found: number[] = [];
    for await (const page of scanChanged(t.db, 'smart_invoice', { time: '2025-03-10 09:30:00', id: 999_999 })) found.push(...page.ids);
    expect(found).toContain(id('si_zero_updated_time'));
  });

  it('si_unknown_stage: a deleted stage is a problem naming it', async () => {
    expect((await smartProblem('si_unknown_stage')).message).toBe('stage "DT31_5:UC_GONE" is not a stage of smart-invoice category 5');
  });

  it('si_dangling_payer: a payer that was deleted is a problem, not a guess', async () => {
    expect((await smartProblem('si_dangling_payer')).message).toBe('payer company 987001 does not exist');
  });

  it('si_two_primary_contacts: the contact the item row names leads', async () => {
    const invoice = await smartInvoice('si_two_primary_contacts');
    expect(invoice.contacts.map((c) => c.fullName)).toEqual(['Primary Two', 'Primary One']);
  });

  it('si_empty_xml_id: an empty XML_ID is no binding', async () => {
    expect((await smartInvoice('si_empty_xml_id')).xmlId).toBeNull();
  });

  it('si_manual_opportunity: the stored total is reported as is, next to the lines it disagrees with', async () => {
    const invoice = await smartInvoice('si_manual_opportunity');
    expect(invoice.total).toBe(999.99);
    expect(invoice.lines.reduce((sum, l) => sum + l.totalInclTax, 0)).toBeCloseTo(230, 6);
  });

  it('si_duplicate_account_number: a shared number is read as stored', async () => {
    expect((await smartInvoice('si_duplicate_account_number')).number).toBe('INV-DUP');
  });

  it('si_uf_sync_empty_string: the unticked checkbox stored as 0 means sync off', async () => {
    expect((await smartInvoice('si_uf_sync_empty_string')).syncEnabled).toBe(false);
    expect((await smartInvoice('si_zero_dates')).syncEnabled).toBe(true);
  });

  it('pr_null_tax: no tax rate means a line without tax, price entered without tax', async () => {
    expect(await line('pr_null_tax')).toMatchObject({ taxRate: null, taxIncluded: false, unitPrice: 10, totalInclTax: 10 });
  });

  it('pr_zero_quantity: a zero-quantity placeholder line is kept with a zero total', async () => {
    expect(await line('pr_zero_quantity')).toMatchObject({ quantity: 0, totalInclTax: 0 });
  });

  it('pr_orphan: a product row of a deleted invoice belongs to no invoice read', async () => {
    const all = await t.db.selectFrom('b_crm_dynamic_items_31').select('ID').execute();
    const { invoices } = await readSmartInvoices(t.db, all.map((r) => r.ID));
    expect(invoices.flatMap((i) => i.lines).some((l) => l.rowId === id('pr_orphan'))).toBe(false);
  });

  it('pr_legacy_nulls: missing name and derived prices are filled in, the deleted product id is kept', async () => {
    expect(await line('pr_legacy_nulls')).toMatchObject({
      description: '', productId: 987004, unitPrice: 10, discountType: 'none', discountPerUnit: 0, totalInclTax: 10,
    });
  });

  it('pr_negative_price: a negative discount line is kept as a negative line', async () => {
    const invoice = await ownerOf('pr_negative_price');
    expect(invoice.lines.map((l) => [l.description, l.unitPrice, l.totalInclTax])).toEqual([['Work', 100, 100], ['Discount', -20, -20]]);
  });

  it('contact_last_name_only and contact_no_names: names are normalised, never null', async () => {
    const { contacts } = await readContacts(t.db, [id('contact_last_name_only'), id('contact_no_names')]);
    expect(contacts.map((c) => [c.firstName, c.lastName, c.fullName])).toEqual([['', 'Tane', 'Tane'], ['', '', '']]);
    expect(contacts[1]!.emails).toEqual([{ kind: 'WORK', address: 'nobody@example.nz' }]);
  });

  it('contact_date_modify_null / _zero: no modification time, and both found by the contact scan', async () => {
    const { contacts } = await readContacts(t.db, [id('contact_date_modify_null'), id('contact_date_modify_zero')]);
    expect(contacts.map((c) => c.modifiedAt)).toEqual([null, null]);
    const found: number[] = [];
    for await (const page of scanChanged(t.db, 'contact' as ScanKind, { time: '2099-01-01 00:00:00', id: 0 })) found.push(...page.ids);
    expect(found).toEqual(expect.arrayContaining([id('contact_date_modify_null'), id('contact_date_modify_zero')]));
  });

  it('email_empty_value and email_malformed: empty and non-address emails are dropped, real ones trimmed', async () => {
    const owners = await t.db.selectFrom('b_crm_field_multi').select('ELEMENT_ID')
      .where('ID', 'in', [id('email_empty_value'), id('email_malformed')]).orderBy('ID').execute();
    const { contacts } = await readContacts(t.db, owners.map((o) => o.ELEMENT_ID));
    expect(contacts.map((c) => c.emails.map((e) => e.address))).toEqual([['real@example.nz'], ['SHOUT@Example.NZ']]);
  });

  it('company_title_null / _empty and address_all_null: empty title, and an all-empty address is no address', async () => {
    const emptyAddressOwner = await t.db.selectFrom('b_crm_addr').select('ENTITY_ID').where('ID', '=', id('address_all_null')).executeTakeFirstOrThrow();
    const { companies } = await readCompanies(t.db, [id('company_title_null'), id('company_title_empty'), emptyAddressOwner.ENTITY_ID]);
    expect(companies.map((c) => c.title)).toEqual(['', '', 'Empty Address Ltd']);
    expect(companies[2]!.addresses).toEqual([]);
  });

  it('li_zero_dates: zero and NULL legacy dates read as no dates; the 0 links as no payer', async () => {
    const { invoices, problems } = await readLegacyInvoices(t.db, [id('li_zero_dates')]);
    expect(problems).toEqual([]);
    expect(invoices[0]).toMatchObject({ issueDate: null, dueDate: null, company: null, contacts: [], syncEnabled: true });
  });

  it('li_no_uts_row: no user-field row means no payer and the default sync flag', async () => {
    const { invoices } = await readLegacyInvoices(t.db, [id('li_no_uts_row')]);
    expect(invoices[0]).toMatchObject({ number: 'W-NOUTS', company: null, contacts: [], syncEnabled: true });
  });

  it('li_empty_currency_unknown_status: a problem for that invoice; li_null_account_number reads as no number', async () => {
    const { invoices, problems } = await readLegacyInvoices(t.db, [id('li_empty_currency_unknown_status'), id('li_null_account_number')]);
    expect(problems).toEqual([{ entity: 'legacy_invoice', id: id('li_empty_currency_unknown_status'), message: 'status "Z" is not an INVOICE_STATUS' }]);
    expect(invoices.map((i) => i.number)).toEqual(['']);
  });

  it('basket_null_vat_zero_quantity: no VAT rate and zero quantity are kept as such', async () => {
    const order = await t.db.selectFrom('b_crm_invoice_basket').select('ORDER_ID').where('ID', '=', id('basket_null_vat_zero_quantity')).executeTakeFirstOrThrow();
    const { invoices } = await readLegacyInvoices(t.db, [order.ORDER_ID!]);
    expect(invoices[0]!.lines).toEqual([expect.objectContaining({ taxRate: null, quantity: 0, totalInclTax: 0, unitPrice: 10 })]);
  });

  it('option_bad_json and option_empty: options are handed over raw; parsing is config\'s job', async () => {
    // start_date is what the installer saves (the fixture's install day), beside the two warts.
    expect(await readModuleOptionsRaw(t.db)).toEqual({ start_date: '2000-01-01', status_map: '', tax_map: '{"15": OUTPUT2' });
  });
});
