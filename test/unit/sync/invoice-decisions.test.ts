import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  contentHash,
  invoicePayloadFromXero,
  parseInvoiceReference,
  planInvoice,
  planInvoiceUpdate,
  shouldPush,
  type InvoicePayload,
} from '../../../daemon/src/sync/plan/index.ts';
import { invoice, line, nzOrg, settings } from './plan-fixtures.ts';

const CONTACT = '7f3a0c9e-1111-4d2b-9a55-000000000001';
const INVOICE_ID = 'c0ffee00-2222-4d2b-9a55-000000000002';

function payloadFor(unitPrice = 100): InvoicePayload {
  const result = planInvoice(invoice([line({ unitPrice })]), { org: nzOrg(), settings: settings(), contactID: CONTACT });
  if (!result.ok) throw new Error('plan failed');
  return result.payload;
}

describe('shouldPush', () => {
  const base = invoice([line()]);

  it('pushes an invoice with "Sync with Xero" on in a process stage when no settings are saved', () => {
    expect(shouldPush(base, settings())).toEqual({ action: 'push' });
  });

  it('skips an invoice whose sync flag is off', () => {
    expect(shouldPush({ ...base, syncEnabled: false }, settings())).toMatchObject({ action: 'skip', reason: 'sync_disabled' });
  });

  it('skips an invoice in a failure stage', () => {
    const stage = { id: 'DT31_1:D', name: 'Cancelled', semantics: 'failure' as const, sort: 90 };
    expect(shouldPush({ ...base, stage }, settings())).toEqual({ action: 'skip', reason: 'failure_stage', message: 'Stage Cancelled is a failure stage' });
  });

  it('skips a stage listed in skipStages', () => {
    expect(shouldPush(base, settings({ statusMap: { skipStages: ['DT31_1:N'] } }))).toMatchObject({ reason: 'skip_stage' });
  });

  it('skips a kind the module is not set to sync', () => {
    expect(shouldPush({ ...base, kind: 'legacy' }, settings({ invoiceKinds: ['smart'] }))).toMatchObject({ reason: 'kind_disabled' });
  });
});

describe('contentHash', () => {
  it('is a 64-character sha256 that ignores key order', () => {
    const a = contentHash('invoice', { b: 1, a: { y: 2, x: [1, 2] } });
    const b = contentHash('invoice', { a: { x: [1, 2], y: 2 }, b: 1 });
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(a).toBe(b);
  });

  it('changes when a unit amount changes and not when only the create status does', () => {
    const p = payloadFor(100);
    expect(contentHash('invoice', payloadFor(101))).not.toBe(contentHash('invoice', p));
    expect(contentHash('invoice', { ...p, status: 'AUTHORISED' })).toBe(contentHash('invoice', p));
    expect(contentHash('invoice', { ...p, invoiceID: INVOICE_ID })).toBe(contentHash('invoice', p));
  });

  it('differs between kinds of record with the same content', () => {
    expect(contentHash('contact', { name: 'x' })).not.toBe(contentHash('item', { name: 'x' }));
  });

  it('writes canonical JSON without undefined members', () => {
    expect(canonicalJson({ z: undefined, b: [true, null], a: -0 })).toBe('{"a":0,"b":[true,null]}');
  });
});

describe('planInvoiceUpdate', () => {
  const link = (hash: string | null) => ({ xeroId: INVOICE_ID, contentHash: hash });

  it('does nothing when the payload hash equals the one last pushed', () => {
    const p = payloadFor();
    expect(planInvoiceUpdate(link(contentHash('invoice', p)), { status: 'DRAFT' }, p)).toEqual({
      action: 'unchanged',
      hash: contentHash('invoice', p),
    });
  });

  it('updates a DRAFT invoice without sending a status, so Xero keeps its own', () => {
    const p = payloadFor(120);
    const decision = planInvoiceUpdate(link(contentHash('invoice', payloadFor(100))), { invoiceID: INVOICE_ID, status: 'DRAFT' }, p);
    expect(decision.action).toBe('update');
    if (decision.action !== 'update') return;
    expect(decision.invoiceID).toBe(INVOICE_ID);
    expect(decision.payload.invoiceID).toBe(INVOICE_ID);
    expect('status' in decision.payload).toBe(false);
    expect(decision.payload.lineItems[0]?.unitAmount).toBe(120);
    expect(decision.hash).toBe(contentHash('invoice', p));
  });

  it('updates a SUBMITTED invoice too', () => {
    expect(planInvoiceUpdate(link('old'), { status: 'SUBMITTED' }, payloadFor()).action).toBe('update');
  });

  it.each(['AUTHORISED', 'PAID', 'VOIDED', 'DELETED'])('records a conflict, never an update, once Xero has it %s', (status) => {
    const decision = planInvoiceUpdate(link('old'), { invoiceID: INVOICE_ID, status }, payloadFor());
    expect(decision).toMatchObject({ action: 'conflict', xeroStatus: status, invoiceID: INVOICE_ID });
    if (decision.action === 'conflict') {
      expect(decision.error.class).toBe('never');
      expect(decision.error.code).toBe('approved_in_xero');
      expect(decision.error.message).toContain(status);
    }
  });

  it('does not report a conflict for an approved invoice that did not change in Bitrix', () => {
    const p = payloadFor();
    expect(planInvoiceUpdate(link(contentHash('invoice', p)), { status: 'AUTHORISED' }, p).action).toBe('unchanged');
  });
});

describe('invoice references', () => {
  it('parses our key back from a Reference and rejects a longer id with the same prefix', () => {
    expect(parseInvoiceReference('B24-SI-123 (INV-0042)')).toEqual({ kind: 'smart', id: 123 });
    expect(parseInvoiceReference('B24-I-9')).toEqual({ kind: 'legacy', id: 9 });
    expect(parseInvoiceReference('B24-SI-1234')).toEqual({ kind: 'smart', id: 1234 });
    expect(parseInvoiceReference('PO 55')).toBeNull();
    expect(parseInvoiceReference(undefined)).toBeNull();
  });
});

describe('invoicePayloadFromXero', () => {
  it('projects a received invoice (Date objects, enum strings, zero discounts) onto the planned shape', () => {
    const planned = payloadFor();
    const received = {
      invoiceID: INVOICE_ID,
      type: 'ACCREC',
      contact: { contactID: CONTACT, name: 'Jane Doe' },
      lineItems: [{ lineItemID: 'x', description: 'Consulting', quantity: 1, unitAmount: 100, taxType: 'OUTPUT2', accountCode: '200', discountRate: 0, lineAmount: 100 }],
      lineAmountTypes: 'Exclusive',
      currencyCode: 'NZD',
      date: new Date('2026-11-02T00:00:00Z'),
      dueDate: '/Date(1795996800000+0000)/',
      invoiceNumber: 'INV-0042',
      reference: 'B24-SI-123 (INV-0042)',
      status: 'DRAFT',
      total: 115,
    };
    const { status: _status, ...plannedWithoutStatus } = planned;
    expect(invoicePayloadFromXero(received)).toEqual(plannedWithoutStatus);
  });
});
