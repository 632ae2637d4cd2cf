import { describe, expect, it } from 'vitest';
import { planBankTransaction, planCreditNote, planPayment, xeroDay } from '../../../daemon/src/sync/plan/pull-transaction.ts';

const INV = 'AAAAAAAA-0000-0000-0000-000000000001';
const OTHER = 'AAAAAAAA-0000-0000-0000-000000000002';
const CON = 'CCCCCCCC-0000-0000-0000-000000000001';
const linked = { invoices: new Set([INV.toLowerCase()]), contacts: new Set([CON.toLowerCase()]) };

describe('planning transaction rows from Xero', () => {
  it('keeps payments on ACCREC invoices of ours, lower-cases ids, never a supplier payment', () => {
    const p = { paymentID: 'P-1', amount: 10, date: '/Date(1764806400000+0000)/', invoice: { invoiceID: INV, type: 'ACCREC', currencyCode: 'NZD' } };
    expect(planPayment(p, linked)).toMatchObject({ xeroType: 'payment', xeroId: 'p-1', invoiceXeroId: INV.toLowerCase(), amount: 10, currency: 'NZD', txnDate: '2025-12-04' });
    expect(planPayment({ ...p, invoice: { ...p.invoice, type: 'ACCPAY' } }, linked)).toBeNull();
    expect(planPayment({ ...p, invoice: { invoiceID: OTHER, type: 'ACCREC' } }, linked)).toBeNull();
  });

  it('a credit note allocated to two invoices is its own row plus one per allocation', () => {
    const rows = planCreditNote({
      creditNoteID: 'CN-1', type: 'ACCRECCREDIT', status: 'PAID', contact: { contactID: CON }, total: 30, remainingCredit: 0, currencyCode: 'NZD',
      allocations: [{ allocationID: 'A-1', amount: 10, invoice: { invoiceID: INV } }, { allocationID: 'A-2', amount: 20, invoice: { invoiceID: OTHER } }],
    }, linked);
    expect(rows.map((r) => [r.xeroId, r.invoiceXeroId, r.amount])).toEqual([['cn-1', null, 30], ['a-1', INV.toLowerCase(), 10], ['a-2', OTHER.toLowerCase(), 20]]);
    expect(planCreditNote({ creditNoteID: 'CN-2', type: 'ACCPAYCREDIT', contact: { contactID: CON } }, linked)).toEqual([]);
  });

  it('RECEIVE, overpayment and prepayment money from a linked contact; SPEND never', () => {
    for (const type of ['RECEIVE', 'RECEIVE-OVERPAYMENT', 'RECEIVE-PREPAYMENT']) {
      expect(planBankTransaction({ bankTransactionID: 'B', type, contact: { contactID: CON }, total: 5 }, linked)).toMatchObject({ xeroType: 'bank_transaction', amount: 5 });
    }
    expect(planBankTransaction({ bankTransactionID: 'B', type: 'SPEND', contact: { contactID: CON }, total: 5 }, linked)).toBeNull();
  });

  it('reads Xero days in every form it sends', () => {
    expect(xeroDay('2026-12-04T00:00:00')).toBe('2026-12-04');
    expect(xeroDay('/Date(1764806400000+0000)/')).toBe('2025-12-04');
    expect(xeroDay(undefined)).toBeNull();
  });
});
