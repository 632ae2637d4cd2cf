/** The engine behind the HTTP layer: change events for webhooks, snapshots, and organisation presets. */
import { describe, expect, it } from 'vitest';
import type { AccountingRequest, ChangeEvent, Organisation, SimClock } from '../contract.ts';
import { accountingEngine } from './index.ts';

class ManualClock implements SimClock {
  constructor(private ms = Date.UTC(2026, 2, 1, 9, 0, 0)) {}
  now(): Date { return new Date(this.ms); }
  tick(ms = 1000): void { this.ms += ms; }
}

function request(method: AccountingRequest['method'], path: string, body?: unknown, query: Record<string, string> = {}): AccountingRequest {
  return { method, path, query: new URLSearchParams(query), headers: { accept: 'application/json' }, body };
}

function setup(): { org: Organisation; clock: ManualClock; events: ChangeEvent[] } {
  const clock = new ManualClock();
  const org = accountingEngine.createOrganisation({ country: 'NZ', tenantId: 'A6E0C9A4-5E1C-4E3B-9D0F-1C2B3A4D5E6F' }, clock);
  const events: ChangeEvent[] = [];
  org.onChange((e) => events.push(e));
  return { org, clock, events };
}

const line = { Description: 'Consulting', Quantity: 1, UnitAmount: 100, AccountCode: '200', TaxType: 'OUTPUT2' };

describe('change events', () => {
  it('reports CONTACT and INVOICE CREATE, then INVOICE UPDATE, with the tenant and simulated time', () => {
    const { org, clock, events } = setup();
    org.handle(request('PUT', '/Invoices', { Invoices: [{ Type: 'ACCREC', Contact: { Name: 'New Co' }, LineItems: [line] }] }));
    const invoiceId = events.find((e) => e.category === 'INVOICE')!.resourceId;
    expect(events.map((e) => [e.category, e.type])).toEqual([['CONTACT', 'CREATE'], ['INVOICE', 'CREATE']]);
    expect(events[0]).toMatchObject({ tenantId: 'A6E0C9A4-5E1C-4E3B-9D0F-1C2B3A4D5E6F', eventDateUtc: '2026-03-01T09:00:00.000Z' });
    clock.tick();
    org.admin(`invoices/${invoiceId}/approve`, 'POST', {});
    expect(events.slice(2)).toEqual([expect.objectContaining({ category: 'INVOICE', type: 'UPDATE', resourceId: invoiceId,
      eventDateUtc: '2026-03-01T09:00:01.000Z' })]);
  });

  it('reports nothing for a batch that failed as a whole', () => {
    const { org, events } = setup();
    const res = org.handle(request('PUT', '/Invoices', { Invoices: [
      { Type: 'ACCREC', Contact: { Name: 'Good Co' }, LineItems: [line] },
      { Type: 'ACCREC', Contact: { Name: 'Bad Co' }, LineItems: [{ ...line, AccountCode: '999' }] },
    ] }));
    expect(res.status).toBe(400);
    expect(events).toEqual([]);
    const contacts = org.handle(request('GET', '/Contacts')).body as { Contacts: unknown[] };
    expect(contacts.Contacts).toEqual([]);
  });

  it('reports nothing for a change that changes nothing', () => {
    const { org, events } = setup();
    org.handle(request('PUT', '/Contacts', { Contacts: [{ Name: 'Same Co', EmailAddress: 'a@b.test' }] }));
    events.length = 0;
    org.handle(request('POST', '/Contacts', { Contacts: [{ Name: 'Same Co', EmailAddress: 'a@b.test' }] }));
    expect(events).toEqual([]);
  });

  it('keeps delivering to other listeners when one throws, and stops after unsubscribe', () => {
    const { org, events } = setup();
    const unsubscribe = org.onChange(() => { throw new Error('webhook target down'); });
    org.handle(request('PUT', '/Contacts', { Contacts: [{ Name: 'One' }] }));
    unsubscribe();
    const extra: ChangeEvent[] = [];
    const stop = org.onChange((e) => extra.push(e));
    stop();
    org.handle(request('PUT', '/Contacts', { Contacts: [{ Name: 'Two' }] }));
    expect(events).toHaveLength(2);
    expect(extra).toEqual([]);
  });
});

describe('snapshots', () => {
  it('restores an organisation that answers exactly as the original did', () => {
    const { org, clock } = setup();
    org.handle(request('PUT', '/Invoices', { Invoices: [{ Type: 'ACCREC', Contact: { Name: 'Snap Co' }, LineItems: [line], Status: 'AUTHORISED' }] }));
    const invoice = (org.handle(request('GET', '/Invoices')).body as { Invoices: Array<{ InvoiceID: string }> }).Invoices[0]!;
    org.admin(`invoices/${invoice.InvoiceID}/pay`, 'POST', { amount: 15 });
    org.admin('lock-dates', 'POST', { periodLockDate: '2025-12-31' });
    const snapshot = JSON.parse(JSON.stringify(org.toJSON()));
    const copy = accountingEngine.restoreOrganisation(snapshot, clock);
    expect(copy.tenantId).toBe(org.tenantId);
    expect(copy.baseCurrency).toBe('NZD');
    const strip = (body: unknown) => ({ ...(body as Record<string, unknown>), Id: undefined });
    for (const path of ['/Invoices', '/Contacts', '/Payments', '/Organisation', '/Accounts', `/Invoices/${invoice.InvoiceID}`]) {
      expect(strip(copy.handle(request('GET', path)).body)).toEqual(strip(org.handle(request('GET', path)).body));
    }
    // The number sequence carries on rather than restarting.
    copy.handle(request('PUT', '/Invoices', { Invoices: [{ Type: 'ACCREC', Contact: { Name: 'Snap Co' }, LineItems: [line] }] }));
    const numbers = (copy.handle(request('GET', '/Invoices')).body as { Invoices: Array<{ InvoiceNumber: string }> }).Invoices.map((i) => i.InvoiceNumber);
    expect(numbers).toEqual(['INV-0001', 'INV-0002']);
  });

  it('refuses something that is not a snapshot, with a clear error', () => {
    expect(() => accountingEngine.restoreOrganisation({ hello: 'world' }, new ManualClock())).toThrow(/Not an organisation snapshot/);
    expect(() => accountingEngine.restoreOrganisation(null, new ManualClock())).toThrow(/Not an organisation snapshot/);
  });
});

describe('organisations', () => {
  it.each([
    ['NZ', 'NZD', 'OUTPUT2', 'Demo Company (NZ)', 15],
    ['AU', 'AUD', 'OUTPUT', 'Demo Company (AU)', 10],
    ['UK', 'GBP', 'OUTPUT2', 'Demo Company (UK)', 20],
    ['US', 'USD', 'TAX001', 'Demo Company (US)', 8.88], // 8.875% of 100, rounded per line
  ] as const)('a %s organisation is based in %s and taxes sales with %s', (country, currency, salesTax, name, rate) => {
    const org = accountingEngine.createOrganisation({ country }, new ManualClock());
    expect(org).toMatchObject({ country, baseCurrency: currency, name });
    const res = org.handle(request('PUT', '/Invoices', { Invoices: [{ Type: 'ACCREC', Contact: { Name: 'X' },
      LineItems: [{ Description: 'x', Quantity: 1, UnitAmount: 100, AccountCode: '200' }] }] }));
    const invoice = (res.body as { Invoices: Array<{ LineItems: Array<{ TaxType: string }>; TotalTax: number }> }).Invoices[0]!;
    expect(invoice.LineItems[0]!.TaxType).toBe(salesTax);
    expect(invoice.TotalTax).toBe(rate);
  });

  it('refuses an unknown country', () => {
    expect(() => accountingEngine.createOrganisation({ country: 'FR' as never }, new ManualClock())).toThrow(/Unknown organisation country 'FR'/);
  });

  it('answers unknown routes with Xero\'s text 404', () => {
    const { org } = setup();
    expect(org.handle(request('GET', '/Widgets'))).toEqual({ status: 404, raw: { contentType: 'text/html; charset=utf-8',
      data: "The resource you're looking for cannot be found" } });
  });

  it('skips numbers a client already used when it numbers the next invoice itself', () => {
    const { org } = setup();
    const put = (extra: Record<string, unknown>) => org.handle(request('PUT', '/Invoices', { Invoices: [{ Type: 'ACCREC',
      Contact: { Name: 'N' }, LineItems: [line], ...extra }] })).body as { Invoices: Array<{ InvoiceNumber: string }> };
    expect(put({ InvoiceNumber: 'INV-0001' }).Invoices[0]!.InvoiceNumber).toBe('INV-0001');
    expect(put({}).Invoices[0]!.InvoiceNumber).toBe('INV-0002');
    expect(put({ InvoiceNumber: 'B24-77' }).Invoices[0]!.InvoiceNumber).toBe('B24-77');
    expect(put({}).Invoices[0]!.InvoiceNumber).toBe('INV-0003');
  });

  it('reads query parameters whatever their case', () => {
    const { org } = setup();
    org.handle(request('PUT', '/Invoices', { Invoices: [{ Type: 'ACCREC', Contact: { Name: 'Q' }, LineItems: [line], Reference: 'R1' }] }));
    const res = org.handle(request('GET', '/invoices', undefined, { WHERE: 'Reference=="R1"', Page: '1', PAGESIZE: '5' }));
    expect(res.body).toMatchObject({ pagination: { page: 1, pageSize: 5, itemCount: 1 } });
  });

  it('refuses LineItems that are not a list instead of dropping them', () => {
    const { org } = setup();
    const res = org.handle(request('PUT', '/Invoices', { Invoices: [{ Type: 'ACCREC', Contact: { Name: 'L' }, LineItems: line }] }));
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('LineItems must be a list of line items.');
  });

  it('answers a body that is not a collection with a 400 PostDataInvalidException', () => {
    const { org } = setup();
    const res = org.handle(request('PUT', '/Invoices', { Invoices: 'nope' }));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ Type: 'PostDataInvalidException' });
  });
});
