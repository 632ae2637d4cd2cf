/**
 * Invoices through the real xero-node client: creation, numbering, rounding, validation texts, subset updates, the
 * status lifecycle and the two summarizeErrors modes.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Invoice, LineAmountTypes } from 'xero-node';
import {
  accountingSuite, approvedInvoice, createContact, messages, raw, rejection, salesInvoice, startAccountingSim, uniqueName,
  type LineSpec,
} from './accounting-helpers.ts';

const h = await accountingSuite();
const { xero, tenantId } = h;

const consult = { description: 'Consulting', quantity: 1, unitAmount: 100, accountCode: '200', taxType: 'OUTPUT2' };

async function create(invoice: Invoice, unitdp?: number) {
  const res = await xero.accountingApi.createInvoices(tenantId, { invoices: [invoice] }, undefined, unitdp);
  return res.body.invoices![0]!;
}

/** The validation messages of the 400 Xero gives for a sales invoice with this one line. */
async function lineRejected(line: LineSpec): Promise<string[]> {
  const contact = await createContact(xero, tenantId);
  const failure = await rejection(xero.accountingApi.createInvoices(tenantId, { invoices: [salesInvoice(contact.contactID!, [line])] }));
  expect(failure.status).toBe(400);
  return messages(failure.body);
}

describe('creating invoices', () => {
  it('numbers a fresh organisation\'s sales invoices INV-0001, INV-0002… when no InvoiceNumber is sent, skipping numbers taken', async () => {
    const fresh = await startAccountingSim();
    try {
      const contact = await createContact(fresh.xero, fresh.tenantId);
      const next = async (invoiceNumber?: string) => (await fresh.xero.accountingApi.createInvoices(fresh.tenantId, {
        invoices: [salesInvoice(contact.contactID!, [consult], invoiceNumber ? { invoiceNumber } : {})],
      })).body.invoices![0]!.invoiceNumber;
      expect([await next(), await next()]).toEqual(['INV-0001', 'INV-0002']);
      expect(await next('INV-0003')).toBe('INV-0003'); // a client chose the next number itself
      expect(await next()).toBe('INV-0004');
    } finally {
      await fresh.close();
    }
  });

  it('creates a DRAFT by default, in the base currency, Tax Exclusive', async () => {
    const contact = await createContact(xero, tenantId);
    const { invoiceID: _id, ...invoice } = await create({ type: Invoice.TypeEnum.ACCREC, contact: { contactID: contact.contactID }, lineItems: [consult] });
    expect(String(invoice.status)).toBe('DRAFT');
    expect(String(invoice.currencyCode)).toBe('NZD');
    expect(String(invoice.lineAmountTypes)).toBe('Exclusive');
    expect(invoice.date).toBeInstanceOf(Date); // defaulted to today, and emitted as a /Date()/ string
  });

  it('rejects a second sales invoice with the same number: "Invoice # must be unique."', async () => {
    const contact = await createContact(xero, tenantId);
    const number = `WEB-${Math.random().toString(36).slice(2, 8)}`;
    await create(salesInvoice(contact.contactID!, [consult], { invoiceNumber: number }));
    const failure = await rejection(xero.accountingApi.createInvoices(tenantId, {
      invoices: [salesInvoice(contact.contactID!, [consult], { invoiceNumber: number })],
    }));
    expect(failure.status).toBe(400);
    expect(failure.body).toMatchObject({ ErrorNumber: 10, Type: 'ValidationException', Message: 'A validation exception occurred' });
    expect(messages(failure.body)).toEqual(['Invoice # must be unique.']);
  });

  it('lets bills (ACCPAY) from different suppliers share a supplier invoice number', async () => {
    const a = await createContact(xero, tenantId);
    const b = await createContact(xero, tenantId);
    const bill = (contactID: string) => ({ ...salesInvoice(contactID, [{ ...consult, accountCode: '429', taxType: 'INPUT2' }]),
      type: Invoice.TypeEnum.ACCPAY, invoiceNumber: 'SUP-100' });
    const first = await create(bill(a.contactID!));
    const second = await create(bill(b.contactID!));
    expect(first.invoiceNumber).toBe('SUP-100');
    expect(second.invoiceNumber).toBe('SUP-100');
  });

  it('rounds tax per line to 2 dp and sums the rounded lines', async () => {
    const contact = await createContact(xero, tenantId);
    // 15% of 1.03 is 0.1545 → 0.15 per line; tax on the 2.06 total would have been 0.309 → 0.31.
    const line = { description: 'Part', quantity: 1, unitAmount: 1.03, accountCode: '200', taxType: 'OUTPUT2' };
    const invoice = await create(salesInvoice(contact.contactID!, [line, line]));
    expect(invoice.lineItems!.map((l) => l.taxAmount)).toEqual([0.15, 0.15]);
    expect(invoice.subTotal).toBe(2.06);
    expect(invoice.totalTax).toBe(0.3);
    expect(invoice.total).toBe(2.36);
    expect(invoice.amountDue).toBe(2.36);
  });

  it('extracts tax from Inclusive line amounts, per line, so SubTotal + TotalTax = Total', async () => {
    const contact = await createContact(xero, tenantId);
    const invoice = await create(salesInvoice(contact.contactID!, [
      { description: 'A', quantity: 1, unitAmount: 115, accountCode: '200', taxType: 'OUTPUT2' },
      { description: 'B', quantity: 1, unitAmount: 10, accountCode: '200', taxType: 'OUTPUT2' },
    ], { lineAmountTypes: LineAmountTypes.Inclusive }));
    expect(invoice.lineItems!.map((l) => [l.lineAmount, l.taxAmount])).toEqual([[115, 15], [10, 1.3]]);
    expect(invoice.totalTax).toBe(16.3);
    expect(invoice.subTotal).toBe(108.7);
    expect(invoice.total).toBe(125);
  });

  it('charges no tax at all with NoTax', async () => {
    const contact = await createContact(xero, tenantId);
    const invoice = await create(salesInvoice(contact.contactID!, [consult], { lineAmountTypes: LineAmountTypes.NoTax }));
    expect(invoice.totalTax).toBe(0);
    expect(invoice.total).toBe(100);
  });

  it('keeps unit amounts to 4 dp with unitdp=4 and rounds them to 2 dp otherwise; line amounts are always 2 dp', async () => {
    const contact = await createContact(xero, tenantId);
    const line = { description: 'Bolt', quantity: 3, unitAmount: 1.2345, accountCode: '200', taxType: 'OUTPUT2' };
    const precise = await create(salesInvoice(contact.contactID!, [line]), 4);
    expect(precise.lineItems![0]!.unitAmount).toBe(1.2345);
    expect(precise.lineItems![0]!.lineAmount).toBe(3.7); // 3.7035 → 3.70
    const rounded = await create(salesInvoice(contact.contactID!, [line]));
    expect(rounded.lineItems![0]!.unitAmount).toBe(1.23);
    expect(rounded.lineItems![0]!.lineAmount).toBe(3.69);
    const reread = await xero.accountingApi.getInvoice(tenantId, precise.invoiceID!);
    expect(reread.body.invoices![0]!.lineItems![0]!.unitAmount).toBe(1.23); // shown at 2 dp without unitdp=4
  });

  it('applies DiscountRate to the line amount before tax', async () => {
    const contact = await createContact(xero, tenantId);
    const invoice = await create(salesInvoice(contact.contactID!, [{ ...consult, quantity: 2, discountRate: 10 }]));
    expect(invoice.lineItems![0]!.lineAmount).toBe(180);
    expect(invoice.lineItems![0]!.taxAmount).toBe(27);
    expect(invoice.total).toBe(207);
    expect(invoice.isDiscounted).toBe(true);
  });

  it('takes DiscountAmount off the line before tax', async () => {
    const contact = await createContact(xero, tenantId);
    const invoice = await create({ ...salesInvoice(contact.contactID!, []),
      lineItems: [{ description: 'Bundle', quantity: 3, unitAmount: 10, accountCode: '200', taxType: 'OUTPUT2', discountAmount: 5 }] });
    expect(invoice.lineItems![0]).toMatchObject({ lineAmount: 25, taxAmount: 3.75, discountAmount: 5 });
    expect(invoice.total).toBe(28.75);
  });

  it('approving an invoice that totals zero marks it PAID straight away', async () => {
    const contact = await createContact(xero, tenantId);
    const invoice = await create(salesInvoice(contact.contactID!, [{ ...consult, unitAmount: 0 }], { status: Invoice.StatusEnum.AUTHORISED }));
    expect(String(invoice.status)).toBe('PAID');
    expect(invoice.amountDue).toBe(0);
  });

  it('honours a TaxAmount the client sends instead of the calculated one', async () => {
    const contact = await createContact(xero, tenantId);
    const invoice = await create(salesInvoice(contact.contactID!, [{ ...consult, taxAmount: 14.99 }]));
    expect(invoice.lineItems![0]!.taxAmount).toBe(14.99);
    expect(invoice.total).toBe(114.99);
  });

  it('derives the missing quantity or unit amount from LineAmount', async () => {
    const contact = await createContact(xero, tenantId);
    const invoice = await create(salesInvoice(contact.contactID!, [{ description: 'Flat fee', lineAmount: 50, accountCode: '200', taxType: 'OUTPUT2' }]));
    expect(invoice.lineItems![0]).toMatchObject({ quantity: 1, unitAmount: 50, lineAmount: 50, taxAmount: 7.5 });
  });

  it('accepts a line with only a Description (a heading), at zero', async () => {
    const contact = await createContact(xero, tenantId);
    const invoice = await create(salesInvoice(contact.contactID!, [{ description: 'Work done in March' }, consult], { status: Invoice.StatusEnum.AUTHORISED }));
    expect(invoice.lineItems).toHaveLength(2);
    expect(invoice.lineItems![0]!.lineAmount).toBe(0);
    expect(invoice.total).toBe(115);
  });

  it('rejects an unknown account code with Xero\'s text', async () => {
    expect(await lineRejected({ ...consult, accountCode: '999' })).toContain("Account code '999' is not a valid code for this document.");
  });

  it('rejects a bank account on a sales line', async () => {
    expect(await lineRejected({ ...consult, accountCode: '090', taxType: 'NONE' })).toContain(
      "Account code '090' is not a valid code for this document.");
  });

  it('rejects an archived account', async () => {
    await h.orgAdmin('accounts/260/archive', {});
    try {
      expect(await lineRejected({ ...consult, accountCode: '260' })).toContain(
        "Account code '260' has been archived, or has been deleted. Each line item must reference a valid account.");
    } finally {
      await h.orgAdmin('accounts/260/restore', {});
    }
  });

  it('rejects a tax type that cannot be used with the line\'s account', async () => {
    expect(await lineRejected({ ...consult, taxType: 'INPUT2' })).toContain("The TaxType code 'INPUT2' cannot be used with account code '200'.");
  });

  it('uses the account\'s default tax type when a line has none', async () => {
    const contact = await createContact(xero, tenantId);
    const invoice = await create(salesInvoice(contact.contactID!, [{ description: 'x', quantity: 1, unitAmount: 20, accountCode: '200' }]));
    expect(invoice.lineItems![0]).toMatchObject({ taxType: 'OUTPUT2', taxAmount: 3 });
  });

  it('reports every problem of an element at once, as live Xero does', async () => {
    const failure = await rejection(xero.accountingApi.createInvoices(tenantId, {
      invoices: [{ type: Invoice.TypeEnum.ACCREC, status: Invoice.StatusEnum.PAID, reference: 'Order # 123456', total: 19.05 }],
    }));
    expect(failure.status).toBe(400);
    expect(messages(failure.body)).toEqual([
      'One or more line items must be specified',
      'Invoice not of valid status for creation',
      'A Contact must be specified for this type of transaction',
    ]);
    expect(failure.body.Elements[0]).toMatchObject({ InvoiceID: '00000000-0000-0000-0000-000000000000', Reference: 'Order # 123456' });
  });

  it('requires a contact, and a contact that can be identified', async () => {
    const none = await rejection(xero.accountingApi.createInvoices(tenantId, {
      invoices: [{ type: Invoice.TypeEnum.ACCREC, lineItems: [consult] }],
    }));
    expect(messages(none.body)).toContain('A Contact must be specified for this type of transaction');
    const empty = await rejection(xero.accountingApi.createInvoices(tenantId, {
      invoices: [{ type: Invoice.TypeEnum.ACCREC, contact: { emailAddress: 'x@example.test' }, lineItems: [consult] }],
    }));
    expect(messages(empty.body)).toContain(
      'The Contact must contain at least 1 of the following elements to identify the contact: Name, ContactID, ContactNumber');
  });

  it('creates the contact when the invoice names one that does not exist yet', async () => {
    const name = uniqueName('Walk-in');
    const invoice = await create({ type: Invoice.TypeEnum.ACCREC, contact: { name }, lineItems: [consult] });
    const contacts = await xero.accountingApi.getContacts(tenantId, undefined, `Name=="${name}"`);
    expect(contacts.body.contacts!.map((c) => c.contactID)).toEqual([invoice.contact!.contactID]);
    expect(contacts.body.contacts![0]!.isCustomer).toBe(true);
  });

  it('rejects a currency the organisation is not subscribed to', async () => {
    const contact = await createContact(xero, tenantId);
    const failure = await rejection(xero.accountingApi.createInvoices(tenantId, {
      invoices: [salesInvoice(contact.contactID!, [consult], { currencyCode: 'JPY' as any })],
    }));
    expect(messages(failure.body)).toEqual(['Organisation is not subscribed to currency JPY']);
  });

  it('accepts an enabled foreign currency and keeps the rate sent', async () => {
    const contact = await createContact(xero, tenantId);
    const invoice = await create(salesInvoice(contact.contactID!, [consult], { currencyCode: 'AUD' as any, currencyRate: 0.91 }));
    expect(String(invoice.currencyCode)).toBe('AUD');
    expect(invoice.currencyRate).toBe(0.91);
  });

  it('rejects types that are not invoices', async () => {
    const contact = await createContact(xero, tenantId);
    const failure = await rejection(xero.accountingApi.createInvoices(tenantId, {
      invoices: [{ ...salesInvoice(contact.contactID!, [consult]), type: Invoice.TypeEnum.ACCRECCREDIT }],
    }));
    expect(messages(failure.body)).toEqual(['Invoice not of valid type for creation']);
  });

  it('answers in Xero\'s envelope with /Date(ms+0000)/ dates and *String helpers', async () => {
    const contact = await createContact(xero, tenantId);
    const res = await xero.accountingApi.createInvoices(tenantId, { invoices: [salesInvoice(contact.contactID!, [consult])] });
    const body = raw(res);
    expect(body).toMatchObject({ Status: 'OK', ProviderName: expect.any(String) });
    expect(body.Id).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.DateTimeUTC).toMatch(/^\/Date\(\d+\)\/$/);
    const invoice = body.Invoices[0];
    expect(invoice.Date).toBe(`/Date(${Date.UTC(2026, 2, 1)}+0000)/`);
    expect(invoice.DateString).toBe('2026-03-01T00:00:00');
    expect(invoice.DueDateString).toBe('2026-03-31T00:00:00');
    expect(invoice.UpdatedDateUTC).toMatch(/^\/Date\(\d+\+0000\)\/$/);
    expect(res.body.invoices![0]!.date).toEqual(new Date('2026-03-01T00:00:00Z'));
  });

  it('accepts an invoice it sent back as-is: ISO dates, read-only totals and echoed fields are ignored', async () => {
    const original = await approvedInvoice(xero, tenantId);
    const res = await xero.accountingApi.updateOrCreateInvoices(tenantId, { invoices: [original] });
    const again = res.body.invoices![0]!;
    expect(again.invoiceID).toBe(original.invoiceID);
    expect(again.total).toBe(115);
    expect(again.updatedDateUTC).toEqual(original.updatedDateUTC); // nothing changed, so no bump
  });
});

describe('summarizeErrors', () => {
  it('without it, one invalid element fails the whole batch with 400 and saves nothing', async () => {
    const contact = await createContact(xero, tenantId);
    const reference = `batch-${Math.random().toString(36).slice(2, 8)}`;
    const failure = await rejection(xero.accountingApi.createInvoices(tenantId, { invoices: [
      salesInvoice(contact.contactID!, [consult], { reference }),
      salesInvoice(contact.contactID!, [{ ...consult, accountCode: '999' }], { reference }),
    ] }));
    expect(failure.status).toBe(400);
    expect(failure.body.Type).toBe('ValidationException');
    const saved = await xero.accountingApi.getInvoices(tenantId, undefined, `Reference=="${reference}"`);
    expect(saved.body.invoices).toEqual([]);
  });

  it('with summarizeErrors=false saves the valid elements and answers 200 with per-element errors', async () => {
    const contact = await createContact(xero, tenantId);
    const reference = `partial-${Math.random().toString(36).slice(2, 8)}`;
    const res = await xero.accountingApi.createInvoices(tenantId, { invoices: [
      salesInvoice(contact.contactID!, [consult], { reference }),
      salesInvoice(contact.contactID!, [{ ...consult, accountCode: '999' }], { reference }),
    ] }, false);
    expect(res.response.status).toBe(200);
    const [good, bad] = res.body.invoices!;
    expect(good!.statusAttributeString).toBe('OK');
    expect(good!.hasErrors).toBe(false);
    expect(bad!.statusAttributeString).toBe('ERROR');
    expect(bad!.hasErrors).toBe(true);
    expect(bad!.invoiceID).toBe('00000000-0000-0000-0000-000000000000');
    expect(bad!.validationErrors!.map((e) => e.message)).toEqual(["Account code '999' is not a valid code for this document."]);
    const saved = await xero.accountingApi.getInvoices(tenantId, undefined, `Reference=="${reference}"`);
    expect(saved.body.invoices!.map((i) => i.invoiceID)).toEqual([good!.invoiceID]);
  });

  it('does not leave a contact behind when the element that would have created it fails', async () => {
    const name = uniqueName('Never');
    const res = await xero.accountingApi.createInvoices(tenantId, { invoices: [
      { type: Invoice.TypeEnum.ACCREC, contact: { name }, lineItems: [{ ...consult, accountCode: '999' }] },
    ] }, false);
    expect(res.body.invoices![0]!.hasErrors).toBe(true);
    const contacts = await xero.accountingApi.getContacts(tenantId, undefined, `Name=="${name}"`);
    expect(contacts.body.contacts).toEqual([]);
  });
});

describe('updating invoices', () => {
  it('keeps unspecified fields when POSTing a subset to /Invoices/{id}', async () => {
    const contact = await createContact(xero, tenantId);
    const draft = await create(salesInvoice(contact.contactID!, [consult], { reference: 'PO-1' }));
    h.sim.clock.advance(1000);
    const res = await xero.accountingApi.updateInvoice(tenantId, draft.invoiceID!, { invoices: [{ reference: 'PO-2' }] });
    const updated = res.body.invoices![0]!;
    expect(updated.reference).toBe('PO-2');
    expect(updated.lineItems!.map((l) => l.lineItemID)).toEqual(draft.lineItems!.map((l) => l.lineItemID));
    expect(updated.total).toBe(draft.total);
    expect(updated.dueDate).toEqual(draft.dueDate);
    expect(updated.updatedDateUTC!.getTime()).toBeGreaterThan(new Date(draft.updatedDateUTC!).getTime());
  });

  it('matches an existing sales invoice by InvoiceNumber on POST /Invoices', async () => {
    const contact = await createContact(xero, tenantId);
    const draft = await create(salesInvoice(contact.contactID!, [consult]));
    const res = await xero.accountingApi.updateOrCreateInvoices(tenantId, {
      invoices: [{ invoiceNumber: draft.invoiceNumber, reference: 'by number' }],
    });
    expect(res.body.invoices![0]!.invoiceID).toBe(draft.invoiceID);
    expect(res.body.invoices![0]!.reference).toBe('by number');
  });

  it('replaces the line set when LineItems are sent, keeping the LineItemIDs that were sent', async () => {
    const contact = await createContact(xero, tenantId);
    const draft = await create(salesInvoice(contact.contactID!, [consult, { ...consult, description: 'Travel' }]));
    const kept = draft.lineItems![0]!;
    const res = await xero.accountingApi.updateInvoice(tenantId, draft.invoiceID!, { invoices: [{
      lineItems: [{ ...kept, quantity: 2, taxAmount: undefined }, { description: 'New line', quantity: 1, unitAmount: 10, accountCode: '200' }],
    }] });
    const lines = res.body.invoices![0]!.lineItems!;
    expect(lines).toHaveLength(2);
    expect(lines[0]!.lineItemID).toBe(kept.lineItemID);
    expect(lines[0]!.lineAmount).toBe(200);
    expect(lines[1]!.lineItemID).not.toBe(draft.lineItems![1]!.lineItemID);
    expect(res.body.invoices![0]!.total).toBe(241.5);
  });

  it('re-sending the same lines without LineItemIDs is not a change, even on a part-paid invoice', async () => {
    const invoice = await approvedInvoice(xero, tenantId);
    await h.orgAdmin(`invoices/${invoice.invoiceID}/pay`, { amount: 15 });
    const before = await xero.accountingApi.getInvoice(tenantId, invoice.invoiceID!);
    h.sim.clock.advance(1_000);
    const res = await xero.accountingApi.updateInvoice(tenantId, invoice.invoiceID!, { invoices: [{ lineItems: [consult] }] });
    const after = res.body.invoices![0]!;
    expect(after.lineItems!.map((l) => l.lineItemID)).toEqual(before.body.invoices![0]!.lineItems!.map((l) => l.lineItemID));
    expect(after.updatedDateUTC).toEqual(before.body.invoices![0]!.updatedDateUTC);
  });

  it('PUT never updates: sending an existing InvoiceNumber again is a duplicate', async () => {
    const contact = await createContact(xero, tenantId);
    const draft = await create(salesInvoice(contact.contactID!, [consult]));
    const failure = await rejection(xero.accountingApi.createInvoices(tenantId, {
      invoices: [salesInvoice(contact.contactID!, [consult], { invoiceNumber: draft.invoiceNumber })],
    }));
    expect(messages(failure.body)).toEqual(['Invoice # must be unique.']);
  });

  it('bumps UpdatedDateUTC on every change and leaves it alone on a no-op', async () => {
    const contact = await createContact(xero, tenantId);
    const draft = await create(salesInvoice(contact.contactID!, [consult], { reference: 'same' }));
    h.sim.clock.advance(2000);
    const noop = await xero.accountingApi.updateInvoice(tenantId, draft.invoiceID!, { invoices: [{ reference: 'same' }] });
    expect(noop.body.invoices![0]!.updatedDateUTC).toEqual(draft.updatedDateUTC);
    const changed = await xero.accountingApi.updateInvoice(tenantId, draft.invoiceID!, { invoices: [{ dueDate: '2026-04-30' }] });
    expect(changed.body.invoices![0]!.updatedDateUTC!.getTime()).toBeGreaterThan(new Date(draft.updatedDateUTC!).getTime());
  });
});

describe('status lifecycle', () => {
  const setStatus = (id: string, status: Invoice.StatusEnum) =>
    xero.accountingApi.updateInvoice(tenantId, id, { invoices: [{ status }] });

  it('moves DRAFT → SUBMITTED → AUTHORISED', async () => {
    const contact = await createContact(xero, tenantId);
    const draft = await create(salesInvoice(contact.contactID!, [consult]));
    expect(String((await setStatus(draft.invoiceID!, Invoice.StatusEnum.SUBMITTED)).body.invoices![0]!.status)).toBe('SUBMITTED');
    const approved = (await setStatus(draft.invoiceID!, Invoice.StatusEnum.AUTHORISED)).body.invoices![0]!;
    expect(String(approved.status)).toBe('AUTHORISED');
    expect(approved.amountDue).toBe(115);
  });

  it('deletes a draft', async () => {
    const contact = await createContact(xero, tenantId);
    const draft = await create(salesInvoice(contact.contactID!, [consult]));
    const deleted = (await setStatus(draft.invoiceID!, Invoice.StatusEnum.DELETED)).body.invoices![0]!;
    expect(String(deleted.status)).toBe('DELETED');
  });

  it('refuses to delete an approved invoice: "Invoice not of valid status for modification"', async () => {
    const invoice = await approvedInvoice(xero, tenantId);
    const failure = await rejection(setStatus(invoice.invoiceID!, Invoice.StatusEnum.DELETED));
    expect(failure.status).toBe(400);
    expect(messages(failure.body)).toEqual(['Invoice not of valid status for modification']);
  });

  it('refuses to void a draft', async () => {
    const contact = await createContact(xero, tenantId);
    const draft = await create(salesInvoice(contact.contactID!, [consult]));
    const failure = await rejection(setStatus(draft.invoiceID!, Invoice.StatusEnum.VOIDED));
    expect(messages(failure.body)).toEqual(['Invoice not of valid status for modification']);
  });

  it('voids an approved invoice with no payments; AmountDue drops to zero', async () => {
    const invoice = await approvedInvoice(xero, tenantId);
    const voided = (await setStatus(invoice.invoiceID!, Invoice.StatusEnum.VOIDED)).body.invoices![0]!;
    expect(String(voided.status)).toBe('VOIDED');
    expect(voided.amountDue).toBe(0);
  });

  it('refuses any change to a voided invoice', async () => {
    const invoice = await approvedInvoice(xero, tenantId);
    await setStatus(invoice.invoiceID!, Invoice.StatusEnum.VOIDED);
    const failure = await rejection(xero.accountingApi.updateInvoice(tenantId, invoice.invoiceID!, { invoices: [{ reference: 'late' }] }));
    expect(messages(failure.body)).toEqual(['Invoice not of valid status for modification']);
  });

  it('voiding a part-paid invoice fails: the payment must go first', async () => {
    const invoice = await approvedInvoice(xero, tenantId);
    await h.orgAdmin(`invoices/${invoice.invoiceID}/pay`, { amount: 15 });
    const failure = await rejection(setStatus(invoice.invoiceID!, Invoice.StatusEnum.VOIDED));
    expect(messages(failure.body)).toEqual(['This document cannot be edited as it has a payment or credit note allocated to it.']);
  });

  it('editing the lines of an invoice with a payment fails', async () => {
    const invoice = await approvedInvoice(xero, tenantId);
    await h.orgAdmin(`invoices/${invoice.invoiceID}/pay`, { amount: 15 });
    const failure = await rejection(xero.accountingApi.updateInvoice(tenantId, invoice.invoiceID!, {
      invoices: [{ lineItems: [{ ...consult, unitAmount: 90 }] }],
    }));
    expect(messages(failure.body)).toEqual(['This document cannot be edited as it has a payment or credit note allocated to it.']);
  });

  it('moving a part-paid invoice back to DRAFT fails with the status text', async () => {
    const invoice = await approvedInvoice(xero, tenantId);
    await h.orgAdmin(`invoices/${invoice.invoiceID}/pay`, { amount: 15 });
    const failure = await rejection(setStatus(invoice.invoiceID!, Invoice.StatusEnum.DRAFT));
    expect(messages(failure.body)).toEqual([
      'The status DRAFT cannot be applied to the invoice because it has payments or credit notes allocated to it.']);
  });

  it('voiding a paid invoice fails: "Invoice not of valid status for modification"', async () => {
    const invoice = await approvedInvoice(xero, tenantId);
    await h.orgAdmin(`invoices/${invoice.invoiceID}/pay`, {});
    const failure = await rejection(setStatus(invoice.invoiceID!, Invoice.StatusEnum.VOIDED));
    expect(messages(failure.body)).toEqual(['Invoice not of valid status for modification']);
  });

  it('a client cannot set PAID itself', async () => {
    const invoice = await approvedInvoice(xero, tenantId);
    const failure = await rejection(setStatus(invoice.invoiceID!, Invoice.StatusEnum.PAID));
    expect(messages(failure.body)).toEqual(['Invoice not of valid status for modification']);
  });

  it('edits the lines of an approved invoice that has no payments, and recomputes AmountDue', async () => {
    const invoice = await approvedInvoice(xero, tenantId);
    const res = await xero.accountingApi.updateInvoice(tenantId, invoice.invoiceID!, { invoices: [{ lineItems: [{ ...consult, unitAmount: 200 }] }] });
    expect(res.body.invoices![0]!.amountDue).toBe(230);
  });
});

describe('lock dates', () => {
  afterAll(async () => {
    await h.orgAdmin('lock-dates', { periodLockDate: null, endOfYearLockDate: null });
  });

  it('refuses to approve a document dated on or before the period lock date, but keeps drafts', async () => {
    await h.orgAdmin('lock-dates', { periodLockDate: '2026-03-31' });
    const contact = await createContact(xero, tenantId);
    const failure = await rejection(xero.accountingApi.createInvoices(tenantId, {
      invoices: [salesInvoice(contact.contactID!, [consult], { status: Invoice.StatusEnum.AUTHORISED })],
    }));
    expect(messages(failure.body)).toEqual(['The document date cannot be before the period lock date of 31 March 2026']);
    const draft = await create(salesInvoice(contact.contactID!, [consult]));
    expect(String(draft.status)).toBe('DRAFT');
    const approve = await rejection(xero.accountingApi.updateInvoice(tenantId, draft.invoiceID!, { invoices: [{ status: Invoice.StatusEnum.AUTHORISED }] }));
    expect(messages(approve.body)).toEqual(['The document date cannot be before the period lock date of 31 March 2026']);
    const later = await create(salesInvoice(contact.contactID!, [consult], { date: '2026-04-01', status: Invoice.StatusEnum.AUTHORISED }));
    expect(String(later.status)).toBe('AUTHORISED');
  });

  it('freezes approved documents in the locked period, but still lets them be marked sent and paid later', async () => {
    await h.orgAdmin('lock-dates', { periodLockDate: null });
    const invoice = await approvedInvoice(xero, tenantId, { date: '2026-02-10' });
    await h.orgAdmin('lock-dates', { periodLockDate: '2026-02-28' });
    const edit = await rejection(xero.accountingApi.updateInvoice(tenantId, invoice.invoiceID!, { invoices: [{ reference: 'too late' }] }));
    expect(messages(edit.body)).toEqual(['The document date cannot be before the period lock date of 28 February 2026']);
    const sent = await xero.accountingApi.updateInvoice(tenantId, invoice.invoiceID!, { invoices: [{ sentToContact: true }] });
    expect(sent.body.invoices![0]!.sentToContact).toBe(true);
    const lockedPayment = await rejection(xero.accountingApi.createPayment(tenantId, {
      invoice: { invoiceID: invoice.invoiceID }, account: { code: '090' }, amount: 10, date: '2026-02-20' }));
    expect(messages(lockedPayment.body)).toEqual(['The payment date cannot be before the period lock date of 28 February 2026']);
    const payment = await xero.accountingApi.createPayment(tenantId, {
      invoice: { invoiceID: invoice.invoiceID }, account: { code: '090' }, amount: 10, date: '2026-03-02' });
    expect(payment.body.payments![0]!.amount).toBe(10);
  });

  it('shows the lock dates on the Organisation', async () => {
    await h.orgAdmin('lock-dates', { periodLockDate: '2026-03-31', endOfYearLockDate: '2025-12-31' });
    const org = (await xero.accountingApi.getOrganisations(tenantId)).body.organisations![0]!;
    expect(org.periodLockDate).toEqual(new Date('2026-03-31T00:00:00Z'));
    expect(org.endOfYearLockDate).toEqual(new Date('2025-12-31T00:00:00Z'));
  });

  it('reports the end of year lock date for documents before it', async () => {
    await h.orgAdmin('lock-dates', { periodLockDate: null, endOfYearLockDate: '2025-12-31' });
    const contact = await createContact(xero, tenantId);
    const failure = await rejection(xero.accountingApi.createInvoices(tenantId, {
      invoices: [salesInvoice(contact.contactID!, [consult], { date: '2025-12-01', status: Invoice.StatusEnum.AUTHORISED })],
    }));
    expect(messages(failure.body)).toEqual(['The document date cannot be before the end of year lock date of 31 December 2025']);
  });
});

describe('emailing and online invoices', () => {
  it('emailing an approved invoice answers 204 and marks it SentToContact', async () => {
    const invoice = await approvedInvoice(xero, tenantId);
    const res = await xero.accountingApi.emailInvoice(tenantId, invoice.invoiceID!, {});
    expect(res.response.status).toBe(204);
    const reread = await xero.accountingApi.getInvoice(tenantId, invoice.invoiceID!);
    expect(reread.body.invoices![0]!.sentToContact).toBe(true);
  });

  it('refuses to email a draft', async () => {
    const contact = await createContact(xero, tenantId, uniqueName(), { emailAddress: 'a@example.test' });
    const draft = await create(salesInvoice(contact.contactID!, [consult]));
    const failure = await rejection(xero.accountingApi.emailInvoice(tenantId, draft.invoiceID!, {}));
    expect(failure.status).toBe(400);
    expect(messages(failure.body)).toEqual(['Invoice not of valid status for sending.']);
  });

  it('refuses to email when the contact has no email address', async () => {
    const contact = await createContact(xero, tenantId);
    const invoice = await create(salesInvoice(contact.contactID!, [consult], { status: Invoice.StatusEnum.AUTHORISED }));
    const failure = await rejection(xero.accountingApi.emailInvoice(tenantId, invoice.invoiceID!, {}));
    expect(messages(failure.body)).toEqual(['The contact for this invoice does not have an email address.']);
  });

  it('SentToContact can be set by POST only once the invoice is approved', async () => {
    const contact = await createContact(xero, tenantId);
    const draft = await create(salesInvoice(contact.contactID!, [consult], { sentToContact: true }));
    expect(draft.sentToContact).toBe(false);
    const approved = await approvedInvoice(xero, tenantId);
    const sent = await xero.accountingApi.updateInvoice(tenantId, approved.invoiceID!, { invoices: [{ sentToContact: true }] });
    expect(sent.body.invoices![0]!.sentToContact).toBe(true);
  });

  it('gives an online invoice URL for an approved invoice', async () => {
    const invoice = await approvedInvoice(xero, tenantId);
    const res = await xero.accountingApi.getOnlineInvoice(tenantId, invoice.invoiceID!);
    expect(res.body.onlineInvoices![0]!.onlineInvoiceUrl).toMatch(/^https:\/\/in\.xero\.com\//);
  });

  it('has no online invoice for a draft', async () => {
    const contact = await createContact(xero, tenantId);
    const draft = await create(salesInvoice(contact.contactID!, [consult]));
    const failure = await rejection(xero.accountingApi.getOnlineInvoice(tenantId, draft.invoiceID!));
    expect(failure.status).toBe(400);
    expect(messages(failure.body)).toEqual(['An Online Invoice cannot be created for a DRAFT invoice.']);
  });

  it('serves the invoice as a PDF', async () => {
    const invoice = await approvedInvoice(xero, tenantId);
    const res = await xero.accountingApi.getInvoiceAsPdf(tenantId, invoice.invoiceID!);
    expect(Buffer.from(res.body).subarray(0, 5).toString()).toBe('%PDF-');
  });
});
