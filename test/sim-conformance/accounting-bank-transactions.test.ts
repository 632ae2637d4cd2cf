/** BankTransactions through xero-node: RECEIVE and SPEND through a BANK account, taxed like invoice lines. */
import { describe, expect, it } from 'vitest';
import { BankTransaction, LineAmountTypes } from 'xero-node';
import { accountingSuite, createContact, messages, rejection } from './accounting-helpers.ts';

const { xero, tenantId } = await accountingSuite();

describe('BankTransactions', () => {
  it('receives money into a bank account with tax computed like an invoice', async () => {
    const contact = await createContact(xero, tenantId);
    const res = await xero.accountingApi.createBankTransactions(tenantId, { bankTransactions: [{
      type: BankTransaction.TypeEnum.RECEIVE, contact: { contactID: contact.contactID }, bankAccount: { code: '090' },
      date: '2026-03-03', reference: 'Cash sale', lineAmountTypes: LineAmountTypes.Inclusive,
      lineItems: [{ description: 'Cash sale', quantity: 1, unitAmount: 23, accountCode: '200', taxType: 'OUTPUT2' }],
    }] });
    const tx = res.body.bankTransactions![0]!;
    expect(String(tx.type)).toBe('RECEIVE');
    expect(String(tx.status)).toBe('AUTHORISED');
    expect(tx).toMatchObject({ subTotal: 20, totalTax: 3, total: 23, isReconciled: false });
    expect(tx.bankAccount!.code).toBe('090');
  });

  it('spends money with purchase tax', async () => {
    const contact = await createContact(xero, tenantId);
    const res = await xero.accountingApi.createBankTransactions(tenantId, { bankTransactions: [{
      type: BankTransaction.TypeEnum.SPEND, contact: { contactID: contact.contactID }, bankAccount: { code: '090' },
      lineItems: [{ description: 'Stationery', quantity: 1, unitAmount: 40, accountCode: '461', taxType: 'INPUT2' }],
    }] });
    expect(res.body.bankTransactions![0]).toMatchObject({ total: 46, totalTax: 6 });
  });

  it('must go through a bank account', async () => {
    const contact = await createContact(xero, tenantId);
    const failure = await rejection(xero.accountingApi.createBankTransactions(tenantId, { bankTransactions: [{
      type: BankTransaction.TypeEnum.RECEIVE, contact: { contactID: contact.contactID }, bankAccount: { code: '200' },
      lineItems: [{ description: 'x', quantity: 1, unitAmount: 1, accountCode: '200' }],
    }] }));
    expect(messages(failure.body)).toEqual(['A valid BankAccount (Code or AccountID of a BANK account) must be specified']);
  });

  it('lists bank transactions with where and paging', async () => {
    const res = await xero.accountingApi.getBankTransactions(tenantId, undefined, 'Type=="RECEIVE"', undefined, 1);
    expect(res.body.bankTransactions!.map((t) => t.reference)).toEqual(['Cash sale']);
    expect(res.response.data.pagination).toMatchObject({ page: 1, itemCount: 1 });
  });
});
