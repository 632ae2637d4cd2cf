import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BankTransaction } from 'xero-node';
import { buildContact } from '../fixture/builders/contact.ts';
import { pullTransactions, recordInvoiceBalances, TXN_CURSORS } from '../../daemon/src/sync/pull/index.ts';
import { getCursor } from '../../daemon/src/state/cursors.ts';
import { listTransactions, outstandingTotals } from '../../daemon/src/state/transactions.ts';
import type { StateDb } from '../../daemon/src/state/tables.ts';
import { createPushWorld, simInvoicesByKey, type PushWorld } from './support/push-harness.ts';
import { SMART, LEGACY } from './support/invoice-kinds.ts';

/**
 * Transactions for the dashboard: an accountant pays, credits and receives money in Xero (the simulator's admin API
 * and a xero-node client as a user's app), and pullTransactions copies what concerns linked records into
 * b_b24xero_transaction — incrementally, one call per feed when nothing changed.
 */
let world: PushWorld;
let payer: number;

beforeAll(async () => {
  world = await createPushWorld('pull_transactions');
  payer = (await buildContact(world.db, { name: 'Tess', lastName: 'Payer' })).contactId;
});
afterAll(async () => {
  await world?.close();
});

const admin = (path: string, body: unknown = {}) => {
  const res = world.sim.tenantAdmin(world.tenantId, path, 'POST', body);
  if (res.status !== 200) throw new Error(`sim ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Record<string, any>;
};
const ctx = () => ({ state: world.db as StateDb, gateway: world.gateway, tenantId: world.tenantId, dryRun: false });
const rows = async (type?: 'payment' | 'credit_note' | 'invoice' | 'bank_transaction') =>
  listTransactions(world.db, { tenantId: world.tenantId, ...(type && { xeroType: type }), limit: 500 });

describe('pullTransactions', () => {
  let xeroId: string;
  let contactId: string;

  it('stores nothing and moves no cursor while nothing is linked', async () => {
    const s = await pullTransactions(ctx());
    expect(s).toMatchObject({ calls: 0, stored: 0 });
  });

  it('pay half: one payment row for the linked invoice, and its balance halves', async () => {
    const id = await SMART.create(world, { contactId: payer, lines: [{ name: 'Audit', price: 100, quantity: 2, taxRate: 15 }] });
    await world.pass();
    const [draft] = simInvoicesByKey(world, SMART.key(id));
    xeroId = draft!.ID.toLowerCase();
    contactId = String((draft as any).ContactID ?? '').toLowerCase();
    admin(`invoices/${xeroId}/approve`);
    admin(`invoices/${xeroId}/pay`, { amount: 115 });

    const s = await pullTransactions(ctx());
    expect(s.calls).toBe(3); // payments, credit notes, bank transactions: one page each
    const payments = await rows('payment');
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({ INVOICE_XERO_ID: xeroId, AMOUNT: '115.0000', STATUS: 'AUTHORISED' });

    const { items } = await world.gateway.getInvoices({ ids: [xeroId] });
    expect(await recordInvoiceBalances(ctx(), items)).toBe(1);
    const [balance] = await rows('invoice');
    expect(balance).toMatchObject({ XERO_ID: xeroId, AMOUNT: '230.0000', AMOUNT_DUE: '115.0000', STATUS: 'AUTHORISED' });
    contactId = String(balance!.CONTACT_XERO_ID);
  });

  it('an idle pass is one call per feed and stores nothing new; the cursors hold the newest change', async () => {
    const before = await getCursor(world.db, TXN_CURSORS.payments);
    expect(before).not.toBeNull();
    const s = await pullTransactions(ctx());
    expect(s.calls).toBe(3);
    expect(await rows('payment')).toHaveLength(1);
    expect(await getCursor(world.db, TXN_CURSORS.payments)).toBe(before);
  });

  it('a credit note allocated to the invoice is a credit_note row naming it; outstanding totals fall', async () => {
    const credit = admin('credit-notes', {
      Type: 'ACCRECCREDIT', Status: 'AUTHORISED', Contact: { ContactID: contactId }, LineAmountTypes: 'Exclusive',
      LineItems: [{ Description: 'Goodwill', Quantity: 1, UnitAmount: 40, AccountCode: '200', TaxType: 'NONE' }],
    });
    const creditId = String(credit.CreditNoteID ?? credit.CreditNotes?.[0]?.CreditNoteID).toLowerCase();
    admin(`credit-notes/${creditId}/allocate`, { Invoice: { InvoiceID: xeroId }, Amount: 40 });
    await pullTransactions(ctx());
    const credits = await rows('credit_note');
    expect(credits).toHaveLength(1);
    expect(credits[0]).toMatchObject({ XERO_ID: creditId, INVOICE_XERO_ID: xeroId, AMOUNT: '40.0000', AMOUNT_DUE: '0.0000' });

    const { items } = await world.gateway.getInvoices({ ids: [xeroId] });
    await recordInvoiceBalances(ctx(), items);
    const today = new Date().toISOString().slice(0, 10);
    expect(await outstandingTotals(world.db, { tenantId: world.tenantId, today })).toEqual([
      expect.objectContaining({ currency: items[0]!.currencyCode!.toString(), key: null, outstanding: 75, invoices: 1 }),
    ]);
    expect(await outstandingTotals(world.db, { tenantId: world.tenantId, today, by: 'contact' }))
      .toEqual([expect.objectContaining({ key: contactId, outstanding: 75 })]);
    expect(await outstandingTotals(world.db, { tenantId: world.tenantId, today, by: 'invoice' }))
      .toEqual([expect.objectContaining({ key: xeroId, outstanding: 75 })]);
    // One indexed query: the (TENANT_ID, XERO_TYPE) prefix of the unique key, not a table scan.
    const plan = await sql<{ key: string | null; type: string }>`EXPLAIN SELECT CURRENCY, SUM(AMOUNT_DUE) FROM b_b24xero_transaction
      WHERE TENANT_ID = ${world.tenantId} AND XERO_TYPE = 'invoice' AND STATUS = 'AUTHORISED' AND AMOUNT_DUE > 0 GROUP BY CURRENCY`.execute(world.db);
    expect(plan.rows[0]).toMatchObject({ key: 'UX_B24XERO_TXN' });
  });

  it('money received from a linked contact is a bank_transaction row; from anyone else nothing', async () => {
    const stranger = (await world.xero.accountingApi.createContacts(world.tenantId, { contacts: [{ name: 'Not Ours Ltd' }] })).body.contacts![0]!;
    const bank = (await world.xero.accountingApi.getAccounts(world.tenantId, undefined, 'Type=="BANK"')).body.accounts![0]!;
    const receive = (contact: string, amount: number) => ({
      type: BankTransaction.TypeEnum.RECEIVE, contact: { contactID: contact }, bankAccount: { accountID: bank.accountID },
      lineItems: [{ description: 'Deposit', quantity: 1, unitAmount: amount, accountCode: '200', taxType: 'NONE' }],
    });
    await world.xero.accountingApi.createBankTransactions(world.tenantId, { bankTransactions: [receive(contactId, 50), receive(stranger.contactID!, 70)] });
    await pullTransactions(ctx());
    const bankRows = await rows('bank_transaction');
    expect(bankRows).toHaveLength(1);
    expect(bankRows[0]).toMatchObject({ CONTACT_XERO_ID: contactId, AMOUNT: '50.0000' });
  });

  it('pay the rest: a second payment row; the invoice owes nothing and leaves the outstanding totals', async () => {
    admin(`invoices/${xeroId}/pay`, { amount: 75 });
    await pullTransactions(ctx());
    expect((await rows('payment')).map((r) => r.AMOUNT).sort()).toEqual(['115.0000', '75.0000']);
    const { items } = await world.gateway.getInvoices({ ids: [xeroId] });
    await recordInvoiceBalances(ctx(), items);
    expect((await rows('invoice'))[0]).toMatchObject({ STATUS: 'PAID', AMOUNT_DUE: '0.0000' });
    expect(await outstandingTotals(world.db, { tenantId: world.tenantId, today: '2099-01-01' })).toEqual([]);
  });

  it('legacy invoices alike: pay half → one payment row for it', async () => {
    const id = await LEGACY.create(world, { contactId: payer, lines: [{ name: 'Review', price: 50, quantity: 2, taxRate: null }] });
    await world.pass();
    const [draft] = simInvoicesByKey(world, LEGACY.key(id));
    const legacyId = draft!.ID.toLowerCase();
    admin(`invoices/${legacyId}/approve`);
    admin(`invoices/${legacyId}/pay`, { amount: 50 });
    await pullTransactions(ctx());
    const payments = (await rows('payment')).filter((r) => r.INVOICE_XERO_ID === legacyId);
    expect(payments).toHaveLength(1);
    expect(payments[0]!.AMOUNT).toBe('50.0000');
  });
});
