import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../sim/index.ts';
import { XeroApiError } from '../../daemon/src/xero/errors.ts';
import { CurrencyCode, InvoiceStatus, InvoiceType, type Invoice } from '../../daemon/src/xero/models.ts';
import { XeroGateway } from '../../daemon/src/xero/xero-gateway.ts';
import { gatewayOptionsFor, rejection, startSim } from './support/sim-gateway.ts';

/** Batch writes and validation through the gateway: what the push relies on. */
let sim: RunningSimulator;
let gw: XeroGateway;
let tenantId: string;
let keys = 0;
/** A suffix unique to this run, so numbers and names never meet those of an earlier test. */
const run = Date.now().toString(36);

beforeAll(async () => {
  sim = await startSim();
  gw = new XeroGateway(gatewayOptionsFor(sim));
  tenantId = await gw.connect();
});
afterAll(async () => {
  await sim.close();
});

function invoice(number: string, extra: Partial<Invoice> = {}): Invoice {
  return {
    type: InvoiceType.ACCREC,
    contact: { name: 'Gateway Test Customer' },
    invoiceNumber: number,
    reference: `B24 ${number}`,
    date: '2026-11-20',
    dueDate: '2026-12-20',
    status: InvoiceStatus.DRAFT,
    lineItems: [{ description: 'Consulting', quantity: 2, unitAmount: 12.3456, accountCode: '200' }],
    ...extra,
  };
}

const key = (label: string) => `h6-${label}-${run}-${++keys}`;

function admin(action: string, body: unknown = {}) {
  const res = sim.tenantAdmin(tenantId, action, 'POST', body);
  if (res.status >= 400) throw new Error(`admin ${action}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

describe('createInvoices (summarizeErrors=false)', () => {
  it('saves the valid invoices of a batch and reports each failed one on its own, classified', async () => {
    const taken = `GW-DUP-${run}`;
    await gw.createInvoices([invoice(taken)], { idempotencyKey: key('dup') });
    const result = await gw.createInvoices([
      invoice(`GW-A-${run}`),
      invoice(taken),
      invoice(`GW-B-${run}`, { currencyCode: CurrencyCode.JPY }),
      invoice(`GW-C-${run}`),
    ], { idempotencyKey: key('batch') });

    expect(result.elements.map((e) => e.ok)).toEqual([true, false, false, true]);
    expect(result.succeeded.map((i) => i.invoiceNumber)).toEqual([`GW-A-${run}`, `GW-C-${run}`]);
    expect(result.failed.map((f) => ({ index: f.index, code: f.error.code, classification: f.error.classification, messages: f.error.messages }))).toEqual([
      { index: 1, code: 'xero_duplicate', classification: 'needs_person', messages: ['Invoice # must be unique.'] },
      { index: 2, code: 'xero_currency', classification: 'needs_person', messages: ['Organisation is not subscribed to currency JPY'] },
    ]);
    const saved = await gw.getInvoices({ numbers: [`GW-A-${run}`, `GW-B-${run}`, `GW-C-${run}`] });
    expect(saved.items.map((i) => i.invoiceNumber).sort()).toEqual([`GW-A-${run}`, `GW-C-${run}`]);
  });

  it('sends 4-decimal unit amounts (unitdp=4) and reads them back unrounded', async () => {
    const number = `GW-DP-${run}`;
    const { succeeded } = await gw.createInvoices([invoice(number)], { idempotencyKey: key('dp') });
    // Xero includes line items in GET /Invoices only when a page is asked for.
    const [read] = (await gw.getInvoices({ ids: [succeeded[0]!.invoiceID!], page: 1 })).items;
    expect(read?.lineItems?.[0]?.unitAmount).toBe(12.3456);
  });

  it('sends the Idempotency-Key, so a repeated create returns the first answer instead of a second invoice', async () => {
    const k = key('idem');
    const number = `GW-IDEM-${run}`;
    const first = await gw.createInvoices([invoice(number)], { idempotencyKey: k });
    const again = await gw.createInvoices([invoice(number)], { idempotencyKey: k });
    expect(again.succeeded[0]?.invoiceID).toBe(first.succeeded[0]?.invoiceID);
    expect((await gw.getInvoices({ numbers: [number] })).items).toHaveLength(1);
  });

  it('refuses a batch over 50, an empty batch and a missing key before calling Xero', async () => {
    const before = sim.counters().total;
    await expect(gw.createInvoices(Array.from({ length: 51 }, (_, i) => invoice(`X-${i}`)), { idempotencyKey: 'k' })).rejects.toThrow(RangeError);
    await expect(gw.createInvoices([], { idempotencyKey: 'k' })).rejects.toThrow(RangeError);
    await expect(gw.createInvoices([invoice('X')], { idempotencyKey: '' })).rejects.toThrow(RangeError);
    expect(sim.counters().total).toBe(before);
  });
});

describe('single-object writes', () => {
  it('throw a typed validation error with Xero’s messages (unsubscribed currency needs a person)', async () => {
    const { succeeded } = await gw.createInvoices([invoice(`GW-CUR-${run}`)], { idempotencyKey: key('cur') });
    const err = await rejection(gw.updateInvoice(succeeded[0]!.invoiceID!, { currencyCode: CurrencyCode.JPY } as Invoice));
    expect(err).toBeInstanceOf(XeroApiError);
    expect(err).toMatchObject({
      type: 'validation', status: 400, code: 'xero_currency', classification: 'needs_person',
      validationMessages: ['Organisation is not subscribed to currency JPY'],
    });
  });

  it('never retry an edit of an invoice Xero has approved', async () => {
    const { succeeded } = await gw.createInvoices([invoice(`GW-APP-${run}`)], { idempotencyKey: key('app') });
    const id = succeeded[0]!.invoiceID!;
    admin(`invoices/${id}/approve`);
    admin(`invoices/${id}/pay`, { amount: 1 });
    const err = await rejection(gw.updateInvoice(id, { lineItems: [{ description: 'Edited in Bitrix', quantity: 1, unitAmount: 5, accountCode: '200' }] } as Invoice));
    expect(err).toMatchObject({ type: 'validation', classification: 'never' });
    expect(await gw.getOnlineInvoice(id)).toMatch(/^https:\/\//);
  });
});

describe('contacts and items', () => {
  it('finds contacts by ContactNumber and reports a duplicate name per element', async () => {
    const created = await gw.createContacts([
      { name: `Gateway Co ${run}`, contactNumber: `B24-CO-${run}` },
      { name: `Gateway Person ${run}`, contactNumber: `B24-C-${run}`, firstName: 'Gate', lastName: 'Way' },
    ], { idempotencyKey: key('contacts') });
    expect(created.failed).toEqual([]);
    const found = await gw.getContacts({ contactNumbers: [`B24-CO-${run}`, `B24-C-${run}`, 'B24-CO-none'] });
    expect(found.items.map((c) => c.contactNumber).sort()).toEqual([`B24-C-${run}`, `B24-CO-${run}`]);

    const dup = await gw.createContacts([{ name: `Gateway Co ${run}` }], { idempotencyKey: key('dupc') });
    expect(dup.failed[0]?.error).toMatchObject({ code: 'xero_duplicate', classification: 'needs_person' });
  });

  it('creates items and reports a duplicate code per element', async () => {
    const code = `GW-IT-${run}`;
    const first = await gw.createItems([{ code, name: 'Gateway item', salesDetails: { unitPrice: 9.9999, accountCode: '200' } }], { idempotencyKey: key('item') });
    expect(first.failed).toEqual([]);
    const second = await gw.createItems([{ code, name: 'again' }, { code: `${code}-2`, name: 'other' }], { idempotencyKey: key('item2') });
    expect(second.elements.map((e) => e.ok)).toEqual([false, true]);
    expect((await gw.getItems({ where: `Code==${JSON.stringify(code)}` })).map((i) => i.salesDetails?.unitPrice)).toEqual([9.9999]);
  });
});

describe('reads', () => {
  it('pass If-Modified-Since: nothing changed after tomorrow', async () => {
    const tomorrow = new Date(sim.now().getTime() + 86_400_000);
    expect((await gw.getContacts({ modifiedSince: tomorrow })).items).toEqual([]);
    expect((await gw.getInvoices({ modifiedSince: tomorrow })).items).toEqual([]);
    expect((await gw.getContacts({ modifiedSince: new Date(0) })).items.length).toBeGreaterThan(0);
  });

  it('page payments and report pagination', async () => {
    const page = await gw.getPayments({ page: 1, pageSize: 10 });
    expect(page.items.length).toBeGreaterThan(0); // the paid invoice above
    expect(page.pagination).toMatchObject({ page: 1, pageSize: 10 });
  });

  it('filter invoices by status and read the organisation’s settings', async () => {
    const authorised = await gw.getInvoices({ statuses: ['AUTHORISED', 'PAID'] });
    expect(authorised.items.every((i) => ['AUTHORISED', 'PAID'].includes(String(i.status)))).toBe(true);
    const [org, taxRates, accounts, currencies] = await Promise.all([gw.getOrganisation(), gw.getTaxRates(), gw.getAccounts(), gw.getCurrencies()]);
    expect(org.organisationID).toBe(tenantId);
    expect(taxRates.length).toBeGreaterThan(0);
    expect(accounts.some((a) => a.code === '200')).toBe(true);
    expect(currencies.map((c) => String(c.code))).toContain(String(org.baseCurrency));
  });
});

