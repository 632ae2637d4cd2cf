import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTransaction, listTransactions, upsertTransaction } from '../../daemon/src/state/transactions.ts';
import type { NewTransaction, StateDb } from '../../daemon/src/state/tables.ts';
import type { TestDb } from '../helpers/test-db.ts';
import { createMigratedDb } from './migrated-db.ts';

const PAYMENT_ID = 'AAAAAAAA-1111-2222-3333-444444444444';

function payment(overrides: Partial<NewTransaction> = {}): NewTransaction {
  return {
    TENANT_ID: 't1', XERO_TYPE: 'payment', XERO_ID: PAYMENT_ID, INVOICE_XERO_ID: 'bbbbbbbb-1111-2222-3333-444444444444',
    CONTACT_XERO_ID: null, CONTACT_NAME: 'Acme Ltd', REFERENCE: 'INV-0001', TXN_DATE: '2026-11-20', DUE_DATE: null,
    AMOUNT: '115.0000', AMOUNT_DUE: null, CURRENCY: 'NZD', STATUS: 'AUTHORISED', XERO_UPDATED_UTC: '2026-11-20 10:00:00.000',
    RAW: '{}', ...overrides,
  };
}

describe('transactions repository', () => {
  let t: TestDb;
  let db: StateDb;
  beforeAll(async () => { const m = await createMigratedDb('transactions'); t = m; db = m.state; });
  afterAll(async () => { await t?.drop(); });

  it('inserts a transaction and keeps money as an exact decimal string', async () => {
    await upsertTransaction(db, payment());
    const row = await getTransaction(db, 't1', 'payment', PAYMENT_ID);
    expect(row).toMatchObject({ XERO_ID: PAYMENT_ID.toLowerCase(), AMOUNT: '115.0000', CURRENCY: 'NZD', TXN_DATE: '2026-11-20', STATUS: 'AUTHORISED' });
  });

  it('updates the same row when a newer copy arrives', async () => {
    await upsertTransaction(db, payment({ STATUS: 'DELETED', AMOUNT: '0.0000', XERO_UPDATED_UTC: '2026-11-21 09:00:00.000' }));
    const rows = await listTransactions(db, { tenantId: 't1' });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ STATUS: 'DELETED', AMOUNT: '0.0000', XERO_UPDATED_UTC: '2026-11-21 09:00:00.000' });
  });

  it('ignores an older copy that arrives late', async () => {
    await upsertTransaction(db, payment({ STATUS: 'AUTHORISED', AMOUNT: '115.0000', XERO_UPDATED_UTC: '2026-11-20 12:00:00.000' }));
    expect(await getTransaction(db, 't1', 'payment', PAYMENT_ID)).toMatchObject({ STATUS: 'DELETED', XERO_UPDATED_UTC: '2026-11-21 09:00:00.000' });
  });

  it('keeps tenants and types apart', async () => {
    await upsertTransaction(db, payment({ TENANT_ID: 't2' }));
    await upsertTransaction(db, payment({ XERO_TYPE: 'bank_transaction' }));
    expect(await listTransactions(db, { tenantId: 't1' })).toHaveLength(2);
    expect(await listTransactions(db, { xeroType: 'payment' })).toHaveLength(2);
    expect(await listTransactions(db, { invoiceXeroId: 'BBBBBBBB-1111-2222-3333-444444444444' })).toHaveLength(3);
  });
});
