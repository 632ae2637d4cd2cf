/** Items (the price list) through xero-node: Code unique, POST matches by Code, details, unitdp=4, lines filled from items. */
import { describe, expect, it } from 'vitest';
import { Invoice } from 'xero-node';
import { accountingSuite, createContact, messages, rejection } from './accounting-helpers.ts';

const { xero, tenantId } = await accountingSuite();

describe('Items', () => {
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
