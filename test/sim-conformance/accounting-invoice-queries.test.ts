/**
 * Reading invoices: by id and number, the explicit filters, Xero's `where` and `order`, paging, If-Modified-Since,
 * summaryOnly and includeArchived — against a small, known set of invoices.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Invoice } from 'xero-node';
import { accountingSuite, createContact, rejection, salesInvoice } from './accounting-helpers.ts';

const h = await accountingSuite();
const { xero, tenantId } = h;
let alice: string;
let bob: string;
const ids: Record<string, string> = {};
let numbers: Record<string, string> = {};
let afterSetup: Date;

const line = (unitAmount: number) => ({ description: 'Service', quantity: 1, unitAmount, accountCode: '200', taxType: 'OUTPUT2' });

beforeAll(async () => {
  alice = (await createContact(xero, tenantId, 'Alice Ltd')).contactID!;
  bob = (await createContact(xero, tenantId, 'Bob Ltd')).contactID!;
  const res = await xero.accountingApi.createInvoices(tenantId, { invoices: [
    salesInvoice(alice, [line(100)], { date: '2025-12-15', reference: 'ORDER-1' }),
    salesInvoice(alice, [line(200)], { date: '2026-01-10', reference: 'ORDER-2', status: Invoice.StatusEnum.AUTHORISED }),
    salesInvoice(bob, [line(300)], { date: '2026-02-01', reference: 'WEB-3', status: Invoice.StatusEnum.AUTHORISED }),
    salesInvoice(bob, [line(400)], { date: '2026-02-20', reference: 'WEB-4', status: Invoice.StatusEnum.SUBMITTED }),
  ] });
  res.body.invoices!.forEach((inv, i) => { ids[`i${i + 1}`] = inv.invoiceID!; });
  numbers = Object.fromEntries(res.body.invoices!.map((inv, i) => [`i${i + 1}`, inv.invoiceNumber!]));
  await h.orgAdmin(`invoices/${ids.i3}/pay`, { amount: 345 }); // i3 becomes PAID
  h.sim.clock.advance(5_000);
  afterSetup = h.sim.clock.now();
  h.sim.clock.advance(5_000);
});

const refs = (invoices: Invoice[] | undefined) => (invoices ?? []).map((i) => i.reference);

describe('getting one invoice', () => {
  it('finds an invoice by InvoiceID and by InvoiceNumber', async () => {
    const byId = await xero.accountingApi.getInvoice(tenantId, ids.i2!);
    const byNumber = await xero.accountingApi.getInvoice(tenantId, numbers.i2!);
    expect(byId.body.invoices![0]!.reference).toBe('ORDER-2');
    expect(byNumber.body.invoices![0]!.invoiceID).toBe(ids.i2);
    expect(byId.body.invoices![0]!.lineItems).toHaveLength(1);
  });

  it('answers an unknown id with a 404 whose body is text, not JSON', async () => {
    const failure = await rejection(xero.accountingApi.getInvoice(tenantId, '6f0e8c5e-0000-4000-8000-000000000000'));
    expect(failure.status).toBe(404);
    expect(failure.body).toBe("The resource you're looking for cannot be found");
    expect(failure.headers['content-type']).toMatch(/^text\/html/);
  });
});

describe('filters', () => {
  it('filters by IDs, InvoiceNumbers, ContactIDs and Statuses', async () => {
    const api = xero.accountingApi;
    expect(refs((await api.getInvoices(tenantId, undefined, undefined, undefined, [ids.i1!, ids.i4!])).body.invoices)).toEqual(['ORDER-1', 'WEB-4']);
    expect(refs((await api.getInvoices(tenantId, undefined, undefined, undefined, undefined, [numbers.i2!])).body.invoices)).toEqual(['ORDER-2']);
    expect(refs((await api.getInvoices(tenantId, undefined, undefined, undefined, undefined, undefined, [bob])).body.invoices)).toEqual(['WEB-3', 'WEB-4']);
    expect(refs((await api.getInvoices(tenantId, undefined, undefined, undefined, undefined, undefined, undefined, ['PAID', 'DRAFT'])).body.invoices))
      .toEqual(['ORDER-1', 'WEB-3']);
  });

  it.each([
    ['Status=="DRAFT"', ['ORDER-1']],
    [`Type=="ACCREC" AND Contact.ContactID==Guid("{bob}")`, ['WEB-3', 'WEB-4']],
    ['Reference=="ORDER-2"', ['ORDER-2']],
    ['Date>=DateTime(2026,01,01)', ['ORDER-2', 'WEB-3', 'WEB-4']],
    ['Date < DateTime(2026, 02, 01) && Status != "DRAFT"', ['ORDER-2']],
    ['AmountDue>0 AND Status=="AUTHORISED"', ['ORDER-2']],
    ['Reference.StartsWith("WEB")', ['WEB-3', 'WEB-4']],
    ['Reference.Contains("der")', ['ORDER-1', 'ORDER-2']],
    ['(Status=="PAID" OR Status=="SUBMITTED") AND Total>400', ['WEB-4']],
    ['Contact.Name=="alice ltd"', ['ORDER-1', 'ORDER-2']],
    ['NOT (Status=="DRAFT")', ['ORDER-2', 'WEB-3', 'WEB-4']],
    ['FullyPaidOnDate!=null', ['WEB-3']],
  ])('where %s', async (where, expected) => {
    const res = await xero.accountingApi.getInvoices(tenantId, undefined, where.replace('{bob}', bob));
    expect(refs(res.body.invoices)).toEqual(expected);
  });

  it('rejects a where clause it cannot parse with a 400 QueryParseException', async () => {
    const bad = await rejection(xero.accountingApi.getInvoices(tenantId, undefined, 'Status=="DRAFT" AND'));
    expect(bad.status).toBe(400);
    expect(bad.body.Type).toBe('QueryParseException');
    const unknown = await rejection(xero.accountingApi.getInvoices(tenantId, undefined, 'Colour=="red"'));
    expect(unknown.body.Message).toBe("No property or field 'Colour' exists in type 'Invoice'");
  });

  it('orders by Date DESC and by several keys', async () => {
    const desc = await xero.accountingApi.getInvoices(tenantId, undefined, undefined, 'Date DESC');
    expect(refs(desc.body.invoices)).toEqual(['WEB-4', 'WEB-3', 'ORDER-2', 'ORDER-1']);
    const multi = await xero.accountingApi.getInvoices(tenantId, undefined, undefined, 'Status ASC, Total DESC');
    expect(refs(multi.body.invoices)).toEqual(['ORDER-2', 'ORDER-1', 'WEB-3', 'WEB-4']);
  });

  it('searches InvoiceNumber and Reference with searchTerm', async () => {
    const res = await xero.accountingApi.getInvoices(tenantId, undefined, undefined, undefined, undefined, undefined, undefined,
      undefined, undefined, undefined, undefined, undefined, undefined, undefined, 'web');
    expect(refs(res.body.invoices)).toEqual(['WEB-3', 'WEB-4']);
  });
});

describe('If-Modified-Since', () => {
  it('returns only invoices changed since the given time', async () => {
    expect((await xero.accountingApi.getInvoices(tenantId, afterSetup)).body.invoices).toEqual([]);
    await xero.accountingApi.updateInvoice(tenantId, ids.i1!, { invoices: [{ reference: 'ORDER-1b' }] });
    const changed = await xero.accountingApi.getInvoices(tenantId, afterSetup);
    expect(refs(changed.body.invoices)).toEqual(['ORDER-1b']);
    await xero.accountingApi.updateInvoice(tenantId, ids.i1!, { invoices: [{ reference: 'ORDER-1' }] });
  });

  it('compares to the second, so a change within the same second is still returned', async () => {
    h.sim.clock.advance(1_000);
    const res = await xero.accountingApi.updateInvoice(tenantId, ids.i4!, { invoices: [{ reference: 'WEB-4b' }] });
    const updated = res.body.invoices![0]!.updatedDateUTC!.getTime();
    const sameSecond = new Date(Math.floor(updated / 1000) * 1000 + 999);
    const changed = await xero.accountingApi.getInvoices(tenantId, sameSecond);
    expect(refs(changed.body.invoices)).toEqual(['WEB-4b']);
    await xero.accountingApi.updateInvoice(tenantId, ids.i4!, { invoices: [{ reference: 'WEB-4' }] });
  });

  it('counts a payment as a change to the invoice', async () => {
    h.sim.clock.advance(1_000);
    const since = h.sim.clock.now();
    h.sim.clock.advance(1_000);
    await h.orgAdmin(`invoices/${ids.i2}/pay`, { amount: 10 });
    const changed = await xero.accountingApi.getInvoices(tenantId, since);
    expect(refs(changed.body.invoices)).toEqual(['ORDER-2']);
  });
});

describe('paging and detail', () => {
  it('pages with page and pageSize and reports pagination', async () => {
    const res = await xero.accountingApi.getInvoices(tenantId, undefined, undefined, 'Date ASC', undefined, undefined, undefined,
      undefined, 2, undefined, undefined, undefined, undefined, 3);
    expect(refs(res.body.invoices)).toEqual(['WEB-4']);
    expect(res.response.data).toMatchObject({ pagination: { page: 2, pageSize: 3, pageCount: 2, itemCount: 4 } });
  });

  it('pages 100 invoices at a time by default', async () => {
    const res = await xero.accountingApi.getInvoices(tenantId, undefined, undefined, undefined, undefined, undefined, undefined, undefined, 1);
    expect(res.response.data.pagination).toEqual({ page: 1, pageSize: 100, pageCount: 1, itemCount: 4 });
  });

  it('includes line items on paged requests and leaves them out without page or with summaryOnly', async () => {
    const paged = await xero.accountingApi.getInvoices(tenantId, undefined, undefined, undefined, undefined, undefined, undefined, undefined, 1);
    expect(paged.body.invoices![0]!.lineItems).toHaveLength(1);
    const unpaged = await xero.accountingApi.getInvoices(tenantId);
    expect(unpaged.body.invoices![0]!.lineItems).toBeUndefined();
    const summary = await xero.accountingApi.getInvoices(tenantId, undefined, undefined, undefined, undefined, undefined, undefined,
      undefined, 1, undefined, undefined, undefined, true);
    expect(summary.body.invoices![0]!.lineItems).toBeUndefined();
    expect(summary.body.invoices![0]!.total).toBe(115);
  });

  it('leaves out invoices of archived contacts unless includeArchived=true', async () => {
    const carol = await createContact(xero, tenantId, 'Carol Ltd');
    await xero.accountingApi.createInvoices(tenantId, { invoices: [salesInvoice(carol.contactID!, [line(5)], { reference: 'ARCH-1' })] });
    await h.orgAdmin(`contacts/${carol.contactID}/archive`, {});
    const normal = await xero.accountingApi.getInvoices(tenantId, undefined, 'Reference=="ARCH-1"');
    expect(normal.body.invoices).toEqual([]);
    const all = await xero.accountingApi.getInvoices(tenantId, undefined, 'Reference=="ARCH-1"', undefined, undefined, undefined,
      undefined, undefined, undefined, true);
    expect(refs(all.body.invoices)).toEqual(['ARCH-1']);
  });
});
