import { Kysely, MysqlDialect } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLegacyInvoices } from '../../daemon/src/bitrix/legacy-invoices.ts';
import { readSmartInvoices } from '../../daemon/src/bitrix/smart-invoices.ts';
import { createPoolFromUrl } from '../../daemon/src/db/connect.ts';
import type { DomainInvoice } from '../../daemon/src/domain/invoice.ts';
import type { Company, Person } from '../../daemon/src/domain/party.ts';
import { createBitrixSchema, type FixtureInfo } from '../fixture/bitrix-schema.ts';
import { buildCompany } from '../fixture/builders/company.ts';
import { buildContact } from '../fixture/builders/contact.ts';
import { buildLegacyInvoice } from '../fixture/builders/legacy-invoice.ts';
import { buildSmartInvoice } from '../fixture/builders/smart-invoice.ts';
import { addLegacyInvoiceStatus, addSmartInvoiceStage } from '../fixture/builders/stage.ts';
import { createTestDb, type TestDb } from '../helpers/test-db.ts';

let t: TestDb;
let portal: FixtureInfo;

/** Ids of what beforeAll builds. */
const ids = {} as Record<'mere' | 'james' | 'hana' | 'walker' | 'kauri' | 'companyInvoice' | 'personInvoice' | 'euroInvoice' | 'legacyCompany' | 'legacyPerson', number>;

const noAddress: never[] = [];

beforeAll(async () => {
  t = await createTestDb('invoices');
  portal = await createBitrixSchema(t.db, { crm: '25', smartInvoiceCategoryId: 7 });

  ids.mere = (await buildContact(t.db, {
    name: 'Mere', lastName: 'Parata',
    emails: ['mere@work.example', { value: 'mere@home.example', valueType: 'HOME' }],
    phones: ['+64 9 555 0101', '+64 21 555 1001'],
    address: { address1: '12 High St', city: 'Auckland', postalCode: '1010', country: 'New Zealand', countryCode: 'nz' },
    requisite: { vatId: '111-222-333' }, xeroId: 'c1c1c1c1-0000-4000-8000-000000000001', dateModify: '2025-03-01 09:00:00',
  })).contactId;
  ids.james = (await buildContact(t.db, { name: 'James', lastName: 'Smith', emails: ['james@work.example'], dateModify: '2025-03-02 09:00:00' })).contactId;
  ids.hana = (await buildContact(t.db, { name: 'Hana', lastName: 'Li', requisite: { inn: '7707083893' }, dateModify: '2025-03-02 10:00:00' })).contactId;
  ids.walker = (await buildContact(t.db, { name: null, lastName: 'Walker', emails: [''], dateModify: '2025-03-02 11:00:00' })).contactId;
  ids.kauri = (await buildCompany(t.db, {
    title: 'Kauri Timber Ltd', emails: ['accounts@kauri.example'], phones: ['+64 4 555 0200'],
    address: { address1: '5 Wharf Rd', address2: 'Level 2', city: 'Wellington', postalCode: '6011', countryCode: 'NZ' },
    legalAddress: { address1: 'PO Box 123', city: 'Wellington', postalCode: '6011', countryCode: 'NZ' },
    requisite: { vatId: '49-091-850', inn: '7707083893' },
    contacts: [ids.hana, { contactId: ids.james, primary: true }],
    xeroId: 'c0c0c0c0-0000-4000-8000-000000000002', dateModify: '2025-03-03 09:00:00',
  })).companyId;

  ids.companyInvoice = (await buildSmartInvoice(t.db, portal, {
    title: 'Website 2025-001', accountNumber: 'INV-2025-001', stage: 'S', companyId: ids.kauri,
    contactIds: [ids.mere, ids.james], primaryContactId: ids.james, currency: 'NZD', beginDate: '2025-03-01', closeDate: '2025-03-15',
    rows: [{ name: 'Consulting hour', price: 150, quantity: 2, taxRate: 15, taxIncluded: false }],
    comments: 'Thanks for your business', updatedTime: '2025-03-05 10:00:00',
  })).id;

  const approval = await addSmartInvoiceStage(t.db, 7, { code: 'UC_APPROVAL', name: 'Awaiting approval', sort: 25 });
  ids.personInvoice = (await buildSmartInvoice(t.db, portal, {
    title: 'Design', accountNumber: 'INV-2025-002', stage: approval, contactIds: [ids.walker], currency: 'USD',
    beginDate: '2025-03-02', closeDate: '2025-03-30', sync: 0, xmlId: 'aaaaaaaa-0000-4000-8000-000000000003',
    rows: [
      { productId: 0, name: 'Logo design', price: 1150, taxRate: 15, taxIncluded: true, discount: { type: 'percent', rate: 10 } },
      { name: 'Hosting (month)', price: 115, quantity: 3, taxRate: 15, taxIncluded: true, discount: { type: 'amount', perUnit: 11.5 } },
      { name: 'Domain renewal', price: 35.5, taxRate: null, taxIncluded: true, measureName: null },
    ],
    updatedTime: '2025-03-06 10:00:00',
  })).id;

  const won = await addSmartInvoiceStage(t.db, 7, { code: 'UC_WON', name: 'Settled', sort: 35, semantics: 'S' });
  ids.euroInvoice = (await buildSmartInvoice(t.db, portal, {
    title: 'Training', stage: won, contactIds: [ids.mere], currency: 'EUR', sync: 1, xmlId: '',
    rows: [{ name: 'Training day', price: 1000, taxRate: 0, taxIncluded: false, discount: { type: 'amount', perUnit: 50 } }],
    beginDate: '2025-03-03', closeDate: '2025-03-17', updatedTime: '2025-03-07 10:00:00',
  })).id;

  await addLegacyInvoiceStatus(t.db, { id: 'A', name: 'Paid by card', sort: 135 });
  ids.legacyCompany = (await buildLegacyInvoice(t.db, {
    accountNumber: 'L-1', topic: 'Support February', statusId: 'A', companyId: ids.kauri, contactId: ids.james, currency: 'AUD',
    lines: [
      { name: 'Support', price: 115, quantity: 2, vatRate: 15, vatIncluded: true, discountPerUnit: 11.5 },
      { name: 'Training', price: 200, vatRate: 15, vatIncluded: false },
    ],
    dateBill: '2025-02-01 00:00:00', datePayBefore: '2025-02-15 00:00:00', dateUpdate: '2025-02-02 11:00:00',
    xmlId: '', comments: 'Legacy comment',
  })).id;
  ids.legacyPerson = (await buildLegacyInvoice(t.db, {
    accountNumber: 'L-2', topic: 'Refused work', statusId: 'D', contactId: ids.mere, currency: 'NZD', sync: 0,
    lines: [{ name: 'Work', price: 100, vatRate: null }], dateBill: '2025-02-03 00:00:00', datePayBefore: null,
    dateUpdate: '2025-02-04 11:00:00', xmlId: 'bbbbbbbb-0000-4000-8000-000000000004',
  })).id;
});
afterAll(async () => {
  await t?.drop();
});

const mere = (): Person => ({
  id: ids.mere, firstName: 'Mere', lastName: 'Parata', secondName: '', fullName: 'Mere Parata',
  emails: [{ kind: 'WORK', address: 'mere@work.example' }, { kind: 'HOME', address: 'mere@home.example' }],
  phones: [{ kind: 'WORK', number: '+64 9 555 0101' }, { kind: 'MOBILE', number: '+64 21 555 1001' }],
  addresses: [{ typeId: 1, line1: '12 High St', line2: '', city: 'Auckland', region: '', postalCode: '1010', country: 'New Zealand', countryCode: 'NZ' }],
  taxNumber: '111-222-333', xeroId: 'c1c1c1c1-0000-4000-8000-000000000001', modifiedAt: '2025-03-01 09:00:00',
});
const james = (): Person => ({
  id: ids.james, firstName: 'James', lastName: 'Smith', secondName: '', fullName: 'James Smith',
  emails: [{ kind: 'WORK', address: 'james@work.example' }], phones: [], addresses: noAddress, taxNumber: '', xeroId: null,
  modifiedAt: '2025-03-02 09:00:00',
});
const hana = (): Person => ({
  id: ids.hana, firstName: 'Hana', lastName: 'Li', secondName: '', fullName: 'Hana Li', emails: [], phones: [], addresses: noAddress,
  taxNumber: '7707083893', xeroId: null, modifiedAt: '2025-03-02 10:00:00',
});
const kauri = (): Company => ({
  id: ids.kauri, title: 'Kauri Timber Ltd',
  emails: [{ kind: 'WORK', address: 'accounts@kauri.example' }], phones: [{ kind: 'WORK', number: '+64 4 555 0200' }],
  addresses: [
    { typeId: 1, line1: '5 Wharf Rd', line2: 'Level 2', city: 'Wellington', region: '', postalCode: '6011', country: '', countryCode: 'NZ' },
    { typeId: 6, line1: 'PO Box 123', line2: '', city: 'Wellington', region: '', postalCode: '6011', country: '', countryCode: 'NZ' },
  ],
  // A VAT id wins over an INN on the same requisite.
  taxNumber: '49-091-850', xeroId: 'c0c0c0c0-0000-4000-8000-000000000002',
  contacts: [james(), hana()], modifiedAt: '2025-03-03 09:00:00',
});

async function smart(id: number): Promise<DomainInvoice> {
  const { invoices, problems } = await readSmartInvoices(t.db, [id]);
  expect(problems).toEqual([]);
  return invoices[0]!;
}
async function legacy(id: number): Promise<DomainInvoice> {
  const { invoices, problems } = await readLegacyInvoices(t.db, [id]);
  expect(problems).toEqual([]);
  return invoices[0]!;
}

describe('smart invoice reader', () => {
  it('reads a company-paid invoice with its company, the company\'s people and the invoice\'s contacts, primary first', async () => {
    const invoice = await smart(ids.companyInvoice);
    expect(invoice).toEqual({
      kind: 'smart', id: ids.companyInvoice, number: 'INV-2025-001', title: 'Website 2025-001',
      stage: { id: 'DT31_7:S', name: 'Sent', semantics: 'process', sort: 20 }, categoryId: 7,
      currency: 'NZD', total: 345, taxTotal: 45, issueDate: '2025-03-01', dueDate: '2025-03-15',
      updatedAt: '2025-03-05 10:00:00', syncEnabled: true, xmlId: null,
      company: kauri(), contacts: [james(), mere()],
      lines: [{
        rowId: expect.any(Number), productId: null, description: 'Consulting hour', quantity: 2, unitPrice: 150,
        discountType: 'none', discountRate: 0, discountPerUnit: 0, taxRate: 15, taxIncluded: false, totalInclTax: 345,
        sort: 10, unit: 'pcs',
      }],
      comments: 'Thanks for your business',
    } satisfies DomainInvoice);
  });

  it('reads a person-paid invoice with percent and amount discounts on tax-inclusive prices, in a foreign currency', async () => {
    const invoice = await smart(ids.personInvoice);
    expect(invoice.company).toBeNull();
    // NULL first name and an '' email are harmless warts: normalised, not reported.
    expect(invoice.contacts).toEqual([{
      id: ids.walker, firstName: '', lastName: 'Walker', secondName: '', fullName: 'Walker', emails: [], phones: [],
      addresses: [], taxNumber: '', xeroId: null, modifiedAt: '2025-03-02 11:00:00',
    }]);
    expect(invoice.stage).toEqual({ id: 'DT31_7:UC_APPROVAL', name: 'Awaiting approval', semantics: 'process', sort: 25 });
    expect(invoice.currency).toBe('USD');
    expect(invoice.syncEnabled).toBe(false);
    expect(invoice.xmlId).toBe('aaaaaaaa-0000-4000-8000-000000000003');
    expect(invoice.total).toBe(1381);
    expect(invoice.taxTotal).toBe(175.5);
    expect(invoice.lines.map(({ rowId: _id, ...line }) => line)).toEqual([
      // 1150 incl. 15 % = 1000 net; 10 % off the net = 900 net = 1035 incl.: 115 off per unit in the entered basis.
      { productId: null, description: 'Logo design', quantity: 1, unitPrice: 1150, discountType: 'percent', discountRate: 10,
        discountPerUnit: 115, taxRate: 15, taxIncluded: true, totalInclTax: 1035, sort: 10, unit: 'pcs' },
      { productId: null, description: 'Hosting (month)', quantity: 3, unitPrice: 115, discountType: 'amount', discountRate: 0,
        discountPerUnit: 11.5, taxRate: 15, taxIncluded: true, totalInclTax: 310.5, sort: 20, unit: 'pcs' },
      { productId: null, description: 'Domain renewal', quantity: 1, unitPrice: 35.5, discountType: 'none', discountRate: 0,
        discountPerUnit: 0, taxRate: null, taxIncluded: true, totalInclTax: 35.5, sort: 30, unit: '' },
    ]);
  });

  it('takes stage semantics from a custom stage, reads a ticked sync flag as on and an empty XML_ID as unbound', async () => {
    const invoice = await smart(ids.euroInvoice);
    expect(invoice.stage).toEqual({ id: 'DT31_7:UC_WON', name: 'Settled', semantics: 'success', sort: 35 });
    expect(invoice.currency).toBe('EUR');
    expect(invoice.syncEnabled).toBe(true);
    expect(invoice.xmlId).toBeNull();
    expect(invoice.contacts.map((c) => c.id)).toEqual([ids.mere]);
    expect(invoice.lines[0]).toMatchObject({ unitPrice: 1000, discountType: 'amount', discountPerUnit: 50, taxRate: 0, totalInclTax: 950 });
    expect(invoice.total).toBe(950);
  });

  it('keeps the order asked for, leaves out ids that do not exist, and reads a duplicate id once', async () => {
    const { invoices, problems } = await readSmartInvoices(t.db, [ids.euroInvoice, 987654, ids.companyInvoice, ids.euroInvoice]);
    expect(invoices.map((i) => i.id)).toEqual([ids.euroInvoice, ids.companyInvoice]);
    expect(problems).toEqual([]);
  });

  it('reads a page in the same few queries whatever its size (no query per invoice)', async () => {
    let queries = 0;
    const counting = new Kysely<any>({
      dialect: new MysqlDialect({ pool: createPoolFromUrl(t.url) }),
      log: (event) => { if (event.level === 'query') queries++; },
    });
    try {
      const extra: number[] = [];
      for (let i = 0; i < 12; i++) {
        extra.push((await buildSmartInvoice(t.db, portal, {
          companyId: ids.kauri, contactIds: [ids.mere, ids.hana], rows: [{ name: 'x', price: 10 }, { name: 'y', price: 20 }],
        })).id);
      }
      await readSmartInvoices(counting, [ids.companyInvoice]);
      const forOne = queries;
      queries = 0;
      const page = await readSmartInvoices(counting, [ids.companyInvoice, ids.personInvoice, ids.euroInvoice, ...extra]);
      expect(page.invoices).toHaveLength(15);
      expect(queries).toBe(forOne);
      expect(queries).toBeLessThanOrEqual(13);
    } finally {
      await counting.destroy();
    }
  });

  it('turns a malformed row into a problem for that row only', async () => {
    const good = (await buildSmartInvoice(t.db, portal, { contactIds: [ids.mere], rows: [{ name: 'ok', price: 1 }] })).id;
    const unknownStage = (await buildSmartInvoice(t.db, portal, { stage: 'DT31_7:GONE', contactIds: [ids.mere] })).id;
    const otherCategory = (await buildSmartInvoice(t.db, portal, { stage: 'DT31_99:N', categoryId: 99, contactIds: [ids.mere] })).id;
    const noCurrency = (await buildSmartInvoice(t.db, portal, { currency: '', contactIds: [ids.mere] })).id;
    const badCurrency = (await buildSmartInvoice(t.db, portal, { currency: 'dollars', contactIds: [ids.mere] })).id;
    const ghostCompany = (await buildSmartInvoice(t.db, portal, { companyId: 987654, contactIds: [ids.mere] })).id;
    const ghostContact = (await buildSmartInvoice(t.db, portal, { contactIds: [987655] })).id;

    const { invoices, problems } = await readSmartInvoices(t.db, [unknownStage, good, otherCategory, noCurrency, badCurrency, ghostCompany, ghostContact]);
    expect(invoices.map((i) => i.id)).toEqual([good]);
    expect(problems).toEqual([
      { entity: 'smart_invoice', id: unknownStage, message: expect.stringMatching(/stage "DT31_7:GONE" is not a stage of smart-invoice category 7/) },
      { entity: 'smart_invoice', id: otherCategory, message: expect.stringMatching(/DT31_99:N.*category 99/) },
      { entity: 'smart_invoice', id: noCurrency, message: expect.stringMatching(/no currency/) },
      { entity: 'smart_invoice', id: badCurrency, message: expect.stringMatching(/not an ISO 4217 code/) },
      { entity: 'smart_invoice', id: ghostCompany, message: 'payer company 987654 does not exist' },
      { entity: 'smart_invoice', id: ghostContact, message: 'payer contact 987655 does not exist' },
    ]);
  });
});

describe('legacy invoice reader', () => {
  it('reads a company-paid legacy invoice: payer from b_uts_crm_invoice, VAT fraction as percent, SORT-based success', async () => {
    const invoice = await legacy(ids.legacyCompany);
    expect(invoice).toEqual({
      kind: 'legacy', id: ids.legacyCompany, number: 'L-1', title: 'Support February',
      // 'A' sorts between P (130) and D (140): CCrmInvoice counts it as paid.
      stage: { id: 'A', name: 'Paid by card', semantics: 'success', sort: 135 }, categoryId: null,
      currency: 'AUD', total: 437, taxTotal: 57, issueDate: '2025-02-01', dueDate: '2025-02-15',
      updatedAt: '2025-02-02 11:00:00', syncEnabled: true, xmlId: null,
      company: kauri(), contacts: [james()],
      lines: [
        { rowId: expect.any(Number), productId: null, description: 'Support', quantity: 2, unitPrice: 115, discountType: 'amount',
          discountRate: 0, discountPerUnit: 11.5, taxRate: 15, taxIncluded: true, totalInclTax: 207, sort: 100, unit: 'pcs' },
        { rowId: expect.any(Number), productId: null, description: 'Training', quantity: 1, unitPrice: 200, discountType: 'none',
          discountRate: 0, discountPerUnit: 0, taxRate: 15, taxIncluded: false, totalInclTax: 230, sort: 200, unit: 'pcs' },
      ],
      comments: 'Legacy comment',
    } satisfies DomainInvoice);
  });

  it('reads a contact-paid refused invoice: no company, failure stage, no due date, no tax, sync off', async () => {
    const invoice = await legacy(ids.legacyPerson);
    expect(invoice.company).toBeNull();
    expect(invoice.contacts).toEqual([mere()]);
    expect(invoice.stage).toEqual({ id: 'D', name: 'Declined', semantics: 'failure', sort: 140 });
    expect(invoice.dueDate).toBeNull();
    expect(invoice.syncEnabled).toBe(false);
    expect(invoice.xmlId).toBe('bbbbbbbb-0000-4000-8000-000000000004');
    expect(invoice.lines).toEqual([expect.objectContaining({ taxRate: null, unitPrice: 100, totalInclTax: 100 })]);
  });

  it('classifies legacy statuses by SORT around P and D', async () => {
    await addLegacyInvoiceStatus(t.db, { id: 'B', name: 'Written off', sort: 150 });
    const byStatus = new Map<string, string>();
    for (const statusId of ['N', 'S', 'P', 'A', 'D', 'B']) {
      const id = (await buildLegacyInvoice(t.db, { statusId, contactId: ids.mere, lines: [{ name: 'x', price: 1 }] })).id;
      byStatus.set(statusId, (await legacy(id)).stage.semantics);
    }
    expect(Object.fromEntries(byStatus)).toEqual({ N: 'process', S: 'process', P: 'success', A: 'success', D: 'failure', B: 'failure' });
  });

  it('reports an unknown status or a payer that does not exist, and reads the rest of the page', async () => {
    const good = (await buildLegacyInvoice(t.db, { contactId: ids.mere, lines: [{ name: 'x', price: 1 }] })).id;
    const ghost = (await buildLegacyInvoice(t.db, { companyId: 987654, lines: [{ name: 'x', price: 1 }] })).id;
    const oddStatus = (await buildLegacyInvoice(t.db, { contactId: ids.mere })).id;
    await t.db.updateTable('b_crm_invoice').set({ STATUS_ID: 'Z' }).where('ID', '=', oddStatus).execute();
    const { invoices, problems } = await readLegacyInvoices(t.db, [ghost, good, oddStatus]);
    expect(invoices.map((i) => i.id)).toEqual([good]);
    expect(problems).toEqual([
      { entity: 'legacy_invoice', id: ghost, message: 'payer company 987654 does not exist' },
      { entity: 'legacy_invoice', id: oddStatus, message: 'status "Z" is not an INVOICE_STATUS' },
    ]);
  });
});
