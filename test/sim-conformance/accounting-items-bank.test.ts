/** Items (the price list) and bank transactions through xero-node. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BankTransaction, Invoice, LineAmountTypes } from 'xero-node';
import type { SimForTest } from './harness.ts';
import { createContact, messages, rejection, startAccountingSim } from './accounting-helpers.ts';

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

describe('items', () => {
  it('creates an item with sales and purchase details', async () => {
    const res = await xero.accountingApi.createItems(tenantId, { items: [{
      code: 'WIDGET', name: 'Widget', description: 'A widget',
      salesDetails: { unitPrice: 19.99, accountCode: '200', taxType: 'OUTPUT2' },
      purchaseDetails: { unitPrice: 7.5, accountCode: '310', taxType: 'INPUT2' },
    }] });
    const item = res.body.items![0]!;
    expect(item.itemID).toMatch(/^[0-9a-f-]{36}$/);
    expect(item).toMatchObject({ code: 'WIDGET', isSold: true, isPurchased: true, isTrackedAsInventory: false });
    expect(item.salesDetails).toMatchObject({ unitPrice: 19.99, accountCode: '200', taxType: 'OUTPUT2' });
  });

  it('rejects a second item with the same Code', async () => {
    await xero.accountingApi.createItems(tenantId, { items: [{ code: 'DUP-1', name: 'First' }] });
    const failure = await rejection(xero.accountingApi.createItems(tenantId, { items: [{ code: 'DUP-1', name: 'Second' }] }));
    expect(messages(failure.body)).toEqual(["Price List Item with Code 'DUP-1' already exists"]);
  });

  it('POST /Items updates the item with the same Code', async () => {
    const created = (await xero.accountingApi.createItems(tenantId, { items: [{ code: 'UPD-1', name: 'Old name' }] })).body.items![0]!;
    const res = await xero.accountingApi.updateOrCreateItems(tenantId, { items: [{ code: 'UPD-1', name: 'New name' }] });
    expect(res.body.items![0]!.itemID).toBe(created.itemID);
    expect(res.body.items![0]!.name).toBe('New name');
    const all = await xero.accountingApi.getItems(tenantId, undefined, 'Code=="UPD-1"');
    expect(all.body.items).toHaveLength(1);
  });

  it('IsSold=false clears the sales details', async () => {
    const created = (await xero.accountingApi.createItems(tenantId, { items: [{ code: 'BUY-1', salesDetails: { unitPrice: 5 } }] })).body.items![0]!;
    const res = await xero.accountingApi.updateItem(tenantId, created.itemID!, { items: [{ code: 'BUY-1', isSold: false }] });
    expect(res.body.items![0]!.isSold).toBe(false);
    expect(res.body.items![0]!.salesDetails?.unitPrice).toBeUndefined();
  });

  it('keeps 4 dp unit prices with unitdp=4', async () => {
    const res = await xero.accountingApi.createItems(tenantId, { items: [{ code: 'TINY', salesDetails: { unitPrice: 0.1234 } }] }, undefined, 4);
    expect(res.body.items![0]!.salesDetails!.unitPrice).toBe(0.1234);
    const plain = await xero.accountingApi.getItem(tenantId, res.body.items![0]!.itemID!);
    expect(plain.body.items![0]!.salesDetails!.unitPrice).toBe(0.12);
  });

  it('fills an invoice line from the item: description, price, account and tax', async () => {
    await xero.accountingApi.createItems(tenantId, { items: [{ code: 'SVC-1', description: 'Service hour',
      salesDetails: { unitPrice: 80, accountCode: '200', taxType: 'OUTPUT2' } }] });
    const contact = await createContact(xero, tenantId);
    const res = await xero.accountingApi.createInvoices(tenantId, { invoices: [{
      type: Invoice.TypeEnum.ACCREC, contact: { contactID: contact.contactID }, lineItems: [{ itemCode: 'SVC-1', quantity: 2 }],
    }] });
    expect(res.body.invoices![0]!.lineItems![0]).toMatchObject({
      itemCode: 'SVC-1', description: 'Service hour', unitAmount: 80, accountCode: '200', taxType: 'OUTPUT2', lineAmount: 160, taxAmount: 24,
    });
  });

  it('lists items by where and answers 404 for an unknown item', async () => {
    const res = await xero.accountingApi.getItems(tenantId, undefined, 'Code.StartsWith("DUP")');
    expect(res.body.items!.map((i) => i.code)).toEqual(['DUP-1']);
    const missing = await rejection(xero.accountingApi.getItem(tenantId, '0b5a7a44-0000-4000-8000-00000000abcd'));
    expect(missing.status).toBe(404);
  });
});

describe('bank transactions', () => {
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
