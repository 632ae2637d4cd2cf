/** Payments, credit notes and allocations through xero-node: amounts due, PAID and back, Xero's texts. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreditNote, Invoice, LineAmountTypes, Payment } from 'xero-node';
import type { SimForTest } from './harness.ts';
import { approvedInvoice, createContact, messages, rejection, salesInvoice, startAccountingSim } from './accounting-helpers.ts';

let h: SimForTest;
let xero: SimForTest['xero'];
let tenantId: string;

beforeAll(async () => {
  h = await startAccountingSim();
  xero = h.xero;
  tenantId = h.tenantId;
});
afterAll(async () => {
  await h.close();
});

const pay = (invoiceID: string, amount: number, extra: Partial<Payment> = {}) =>
  xero.accountingApi.createPayment(tenantId, { invoice: { invoiceID }, account: { code: '090' }, amount, date: '2026-03-15', ...extra });

const invoiceNow = async (id: string) => (await xero.accountingApi.getInvoice(tenantId, id)).body.invoices![0]!;

describe('payments', () => {
  it('a payment of the full amount moves the invoice to PAID and sets FullyPaidOnDate', async () => {
    const invoice = await approvedInvoice(xero, tenantId);
    const res = await pay(invoice.invoiceID!, 115);
    const payment = res.body.payments![0]!;
    expect(payment).toMatchObject({ amount: 115, reference: undefined });
    expect(String(payment.status)).toBe('AUTHORISED');
    expect(String(payment.paymentType)).toBe('ACCRECPAYMENT');
    expect(payment.date).toEqual(new Date('2026-03-15T00:00:00Z'));
    const paid = await invoiceNow(invoice.invoiceID!);
    expect(String(paid.status)).toBe('PAID');
    expect(paid).toMatchObject({ amountDue: 0, amountPaid: 115 });
    expect(paid.fullyPaidOnDate).toEqual(new Date('2026-03-15T00:00:00Z'));
    expect(paid.payments!.map((p) => p.paymentID)).toEqual([payment.paymentID]);
  });

  it('part payments reduce AmountDue and leave the invoice AUTHORISED until the last one', async () => {
    const invoice = await approvedInvoice(xero, tenantId);
    await pay(invoice.invoiceID!, 15, { date: '2026-03-10' });
    let current = await invoiceNow(invoice.invoiceID!);
    expect(String(current.status)).toBe('AUTHORISED');
    expect(current).toMatchObject({ amountDue: 100, amountPaid: 15 });
    expect(current.fullyPaidOnDate).toBeUndefined();
    await pay(invoice.invoiceID!, 100, { date: '2026-03-20' });
    current = await invoiceNow(invoice.invoiceID!);
    expect(String(current.status)).toBe('PAID');
    expect(current.fullyPaidOnDate).toEqual(new Date('2026-03-20T00:00:00Z'));
  });

  it('refuses to take more than is outstanding', async () => {
    const invoice = await approvedInvoice(xero, tenantId);
    const failure = await rejection(pay(invoice.invoiceID!, 115.01));
    expect(failure.status).toBe(400);
    expect(messages(failure.body)).toEqual(['Payment amount exceeds the amount outstanding on this document']);
  });

  it('accepts payments only against AUTHORISED invoices', async () => {
    const contact = await createContact(xero, tenantId);
    const draft = (await xero.accountingApi.createInvoices(tenantId, { invoices: [salesInvoice(contact.contactID!,
      [{ description: 'x', quantity: 1, unitAmount: 10, accountCode: '200' }])] })).body.invoices![0]!;
    const failure = await rejection(pay(draft.invoiceID!, 5));
    expect(messages(failure.body)).toEqual(['Payments can only be made against Authorised documents']);
  });

  it('pays into a bank account only (or one with payments enabled), found by Code or AccountID', async () => {
    const invoice = await approvedInvoice(xero, tenantId);
    const failure = await rejection(pay(invoice.invoiceID!, 5, { account: { code: '200' } }));
    expect(messages(failure.body)).toEqual([
      "Payments can only be made to or from bank accounts or accounts with 'Enable payments to this account' checked"]);
    const bank = (await xero.accountingApi.getAccounts(tenantId, undefined, 'Code=="091"')).body.accounts![0]!;
    const ok = await pay(invoice.invoiceID!, 5, { account: { accountID: bank.accountID } });
    expect(ok.body.payments![0]!.account!.code).toBe('091');
  });

  it('finds the invoice by InvoiceNumber too, and PUT /Payments takes a batch', async () => {
    const a = await approvedInvoice(xero, tenantId);
    const b = await approvedInvoice(xero, tenantId);
    const res = await xero.accountingApi.createPayments(tenantId, { payments: [
      { invoice: { invoiceNumber: a.invoiceNumber }, account: { code: '090' }, amount: 1 },
      { invoice: { invoiceID: b.invoiceID }, account: { code: '090' }, amount: 2 },
    ] });
    expect(res.body.payments!.map((p) => p.amount)).toEqual([1, 2]);
    expect((await invoiceNow(a.invoiceID!)).amountDue).toBe(114);
  });

  it('deleting a payment puts the invoice back to AUTHORISED with its amount due restored', async () => {
    const invoice = await approvedInvoice(xero, tenantId);
    const payment = (await pay(invoice.invoiceID!, 115)).body.payments![0]!;
    const res = await xero.accountingApi.deletePayment(tenantId, payment.paymentID!, { status: 'DELETED' });
    expect(String(res.body.payments![0]!.status)).toBe('DELETED');
    const restored = await invoiceNow(invoice.invoiceID!);
    expect(String(restored.status)).toBe('AUTHORISED');
    expect(restored).toMatchObject({ amountDue: 115, amountPaid: 0, payments: [] });
    expect(restored.fullyPaidOnDate).toBeUndefined();
    const again = await rejection(xero.accountingApi.deletePayment(tenantId, payment.paymentID!, { status: 'DELETED' }));
    expect(messages(again.body)).toEqual(['This payment has already been deleted']);
  });

  it('lists payments with where and If-Modified-Since, deleted ones included', async () => {
    h.sim.clock.advance(1_000);
    const since = h.sim.clock.now();
    h.sim.clock.advance(1_000);
    const invoice = await approvedInvoice(xero, tenantId);
    const payment = (await pay(invoice.invoiceID!, 20)).body.payments![0]!;
    const recent = await xero.accountingApi.getPayments(tenantId, since);
    expect(recent.body.payments!.map((p) => p.paymentID)).toEqual([payment.paymentID]);
    const byInvoice = await xero.accountingApi.getPayments(tenantId, undefined, `Invoice.InvoiceID==Guid("${invoice.invoiceID}")`);
    expect(byInvoice.body.payments!.map((p) => p.amount)).toEqual([20]);
    const one = await xero.accountingApi.getPayment(tenantId, payment.paymentID!);
    expect(one.body.payments![0]!.invoice!.invoiceNumber).toBe(invoice.invoiceNumber);
  });
});

describe('credit notes and allocations', () => {
  async function credit(contactID: string, amount: number, status = CreditNote.StatusEnum.AUTHORISED) {
    const res = await xero.accountingApi.createCreditNotes(tenantId, { creditNotes: [{
      type: CreditNote.TypeEnum.ACCRECCREDIT, contact: { contactID }, date: '2026-03-05', status,
      lineAmountTypes: LineAmountTypes.Exclusive,
      lineItems: [{ description: 'Refund', quantity: 1, unitAmount: amount, accountCode: '200', taxType: 'OUTPUT2' }],
    }] });
    return res.body.creditNotes![0]!;
  }

  it('creates an approved credit note numbered CN-0001 with its remaining credit', async () => {
    const invoice = await approvedInvoice(xero, tenantId);
    const note = await credit(invoice.contact!.contactID!, 20);
    expect(note.creditNoteNumber).toMatch(/^CN-\d{4}$/);
    expect(String(note.status)).toBe('AUTHORISED');
    expect(note).toMatchObject({ total: 23, remainingCredit: 23 });
  });

  it('allocating credit reduces the invoice\'s AmountDue and raises AmountCredited', async () => {
    const invoice = await approvedInvoice(xero, tenantId);
    const note = await credit(invoice.contact!.contactID!, 20);
    const res = await xero.accountingApi.createCreditNoteAllocation(tenantId, note.creditNoteID!, {
      allocations: [{ invoice: { invoiceID: invoice.invoiceID }, amount: 23, date: '2026-03-06' }],
    });
    expect(res.body.allocations![0]!.amount).toBe(23);
    const after = await invoiceNow(invoice.invoiceID!);
    expect(after).toMatchObject({ amountDue: 92, amountCredited: 23 });
    expect(after.creditNotes!.map((c) => c.creditNoteID)).toEqual([note.creditNoteID]);
    const noteAfter = (await xero.accountingApi.getCreditNote(tenantId, note.creditNoteID!)).body.creditNotes![0]!;
    expect(noteAfter.remainingCredit).toBe(0);
    expect(String(noteAfter.status)).toBe('PAID');
  });

  it('an invoice fully covered by credit is PAID', async () => {
    const invoice = await approvedInvoice(xero, tenantId);
    const note = await credit(invoice.contact!.contactID!, 100);
    await xero.accountingApi.createCreditNoteAllocation(tenantId, note.creditNoteID!, {
      allocations: [{ invoice: { invoiceID: invoice.invoiceID }, amount: 115, date: '2026-03-07' }],
    });
    const after = await invoiceNow(invoice.invoiceID!);
    expect(String(after.status)).toBe('PAID');
    expect(after.fullyPaidOnDate).toEqual(new Date('2026-03-07T00:00:00Z'));
  });

  it('refuses to allocate more than the remaining credit or the amount due', async () => {
    const invoice = await approvedInvoice(xero, tenantId);
    const small = await credit(invoice.contact!.contactID!, 10);
    const tooMuchCredit = await rejection(xero.accountingApi.createCreditNoteAllocation(tenantId, small.creditNoteID!, {
      allocations: [{ invoice: { invoiceID: invoice.invoiceID }, amount: 50, date: '2026-03-08' }],
    }));
    expect(messages(tooMuchCredit.body)).toEqual(['The amount to allocate exceeds the remaining credit on this credit note']);
    const big = await credit(invoice.contact!.contactID!, 1000);
    const tooMuchDue = await rejection(xero.accountingApi.createCreditNoteAllocation(tenantId, big.creditNoteID!, {
      allocations: [{ invoice: { invoiceID: invoice.invoiceID }, amount: 200, date: '2026-03-08' }],
    }));
    expect(messages(tooMuchDue.body)).toEqual(['Payment amount exceeds the amount outstanding on this document']);
  });

  it('allocates only approved credit notes', async () => {
    const invoice = await approvedInvoice(xero, tenantId);
    const draft = await credit(invoice.contact!.contactID!, 10, CreditNote.StatusEnum.DRAFT);
    const failure = await rejection(xero.accountingApi.createCreditNoteAllocation(tenantId, draft.creditNoteID!, {
      allocations: [{ invoice: { invoiceID: invoice.invoiceID }, amount: 5, date: '2026-03-08' }],
    }));
    expect(messages(failure.body)).toEqual(['Credit Note not of valid status for allocation. Only AUTHORISED credit notes can be allocated.']);
  });

  it('deleting an allocation gives the credit back', async () => {
    const invoice = await approvedInvoice(xero, tenantId);
    const note = await credit(invoice.contact!.contactID!, 100);
    const alloc = (await xero.accountingApi.createCreditNoteAllocation(tenantId, note.creditNoteID!, {
      allocations: [{ invoice: { invoiceID: invoice.invoiceID }, amount: 115, date: '2026-03-08' }],
    })).body.allocations![0]!;
    await xero.accountingApi.deleteCreditNoteAllocations(tenantId, note.creditNoteID!, alloc.allocationID!);
    const after = await invoiceNow(invoice.invoiceID!);
    expect(String(after.status)).toBe('AUTHORISED');
    expect(after).toMatchObject({ amountDue: 115, amountCredited: 0 });
  });

  it('an invoice with credit allocated cannot be voided', async () => {
    const invoice = await approvedInvoice(xero, tenantId);
    const note = await credit(invoice.contact!.contactID!, 10);
    await xero.accountingApi.createCreditNoteAllocation(tenantId, note.creditNoteID!, {
      allocations: [{ invoice: { invoiceID: invoice.invoiceID }, amount: 11.5, date: '2026-03-08' }],
    });
    const failure = await rejection(xero.accountingApi.updateInvoice(tenantId, invoice.invoiceID!, { invoices: [{ status: Invoice.StatusEnum.VOIDED }] }));
    expect(messages(failure.body)).toEqual(['This document cannot be edited as it has a payment or credit note allocated to it.']);
  });

  it('lists credit notes with where', async () => {
    const invoice = await approvedInvoice(xero, tenantId);
    const note = await credit(invoice.contact!.contactID!, 7);
    const res = await xero.accountingApi.getCreditNotes(tenantId, undefined, `Contact.ContactID==Guid("${invoice.contact!.contactID}")`);
    expect(res.body.creditNotes!.map((c) => c.creditNoteID)).toEqual([note.creditNoteID]);
  });
});
