/** Payments through xero-node: part and full payment, amounts due, PAID and back to AUTHORISED on delete, Xero's texts. */
import { describe, expect, it } from 'vitest';
import { Invoice, Payment } from 'xero-node';
import {
  accountingSuite, approvedInvoice, createContact, currentInvoice, messages, rejection, salesInvoice,
} from './accounting-helpers.ts';

const h = await accountingSuite();
const { xero, tenantId } = h;

const pay = (invoiceID: string, amount: number, extra: Partial<Payment> = {}) =>
  xero.accountingApi.createPayment(tenantId, { invoice: { invoiceID }, account: { code: '090' }, amount, date: '2026-03-15', ...extra });

const invoiceNow = (id: string) => currentInvoice(xero, tenantId, id);

describe('Payments', () => {
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
