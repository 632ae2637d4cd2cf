import { describe, expect, it } from 'vitest';
import { batchKey, intentKey } from '../../daemon/src/sync/push/idempotency-keys.ts';
import { combinePlanErrors } from '../../daemon/src/sync/push/record-failure.ts';
import { countingGateway } from '../../daemon/src/sync/push/counting-gateway.ts';
import { xeroDeepLink } from '../../daemon/src/sync/push/invoice-settle.ts';
import { untouchedSincePush } from '../../daemon/src/sync/push/untouched-since-push.ts';
import type { PushGateway } from '../../daemon/src/sync/push/push-context.ts';

// Pure pieces of the executor (no database, no Xero): the properties exactly-once and reporting rely on.
describe('idempotency keys', () => {
  it('gives the same batch the same key, so an immediate retry replays instead of creating twice', () => {
    const parts = ['smart_invoice:1:aaa', 'smart_invoice:2:bbb'];
    expect(batchKey('portal', 'invoices-create', parts)).toBe(batchKey('portal', 'invoices-create', [...parts]));
  });

  it('gives a different key when any element, the operation or the instance differs', () => {
    const base = batchKey('portal', 'invoices-create', ['smart_invoice:1:aaa']);
    expect(batchKey('portal', 'invoices-create', ['smart_invoice:1:aab'])).not.toBe(base);
    expect(batchKey('portal', 'invoices-update', ['smart_invoice:1:aaa'])).not.toBe(base);
    expect(batchKey('other', 'invoices-create', ['smart_invoice:1:aaa'])).not.toBe(base);
  });

  it('keeps keys within what Xero (128) and the link column (64) accept', () => {
    expect(batchKey('p'.repeat(48), 'invoices-create', Array.from({ length: 50 }, (_, i) => `x:${i}:${'f'.repeat(64)}`)).length).toBeLessThanOrEqual(128);
    expect(intentKey('p'.repeat(48), 'legacy_invoice', 4294967295, 'f'.repeat(64)).length).toBeLessThanOrEqual(64);
    expect(intentKey('p', 'contact', 17, 'h')).toBe(intentKey('p', 'contact', 17, 'h'));
  });
});

describe('combining planner errors of one record', () => {
  it('keeps every message and takes the most final class', () => {
    const combined = combinePlanErrors([
      { code: 'tax_rate_ambiguous', message: 'A', class: 'needs_person' },
      { code: 'contact_unresolved', message: 'B', class: 'retry' },
      { code: 'not_editable', message: 'C', class: 'never' },
    ]);
    expect(combined).toEqual({ code: 'not_editable', class: 'never', message: 'A; B; C' });
  });
});

describe('API call counting', () => {
  it('counts Accounting API methods and nothing else', async () => {
    const seen: string[] = [];
    const fake = { getInvoices: async () => ({ items: [], pagination: null }), createInvoices: async () => ({ elements: [], succeeded: [], failed: [] }) } as unknown as PushGateway;
    const counted = countingGateway(fake, (m) => seen.push(m));
    await counted.getInvoices({});
    await counted.createInvoices([], { idempotencyKey: 'k' });
    expect(seen).toEqual(['getInvoices', 'createInvoices']);
  });
});

describe('invoice link for Bitrix', () => {
  it('is the organisation user’s deep link, since Xero has no online invoice for drafts', () => {
    expect(xeroDeepLink('3f1c0000-0000-0000-0000-000000000001')).toBe('https://go.xero.com/AccountsReceivable/View.aspx?InvoiceID=3f1c0000-0000-0000-0000-000000000001');
  });
});

describe('skipping re-reads of invoices not touched since their push', () => {
  const link = (updatedAt: string) => ({ STATE: 'synced' as const, UPDATED_AT: updatedAt });
  it('skips an invoice modified well before the link was last synced', () => {
    expect(untouchedSincePush('2026-11-21 10:00:00', link('2026-11-21 10:05:00.000'), 'UTC')).toBe(true);
  });
  it('plans an invoice modified after, or within the clock margin of, its last push', () => {
    expect(untouchedSincePush('2026-11-21 10:06:00', link('2026-11-21 10:05:00.000'), 'UTC')).toBe(false);
    expect(untouchedSincePush('2026-11-21 10:04:30', link('2026-11-21 10:05:00.000'), 'UTC')).toBe(false);
  });
  it('reads Bitrix’s naive time in its own zone', () => {
    // 12:00 in Auckland (UTC+13 in November) is 23:00 UTC the day before: long before a push at 10:05 UTC.
    expect(untouchedSincePush('2026-11-21 12:00:00', link('2026-11-21 10:05:00.000'), 'Pacific/Auckland')).toBe(true);
    expect(untouchedSincePush('2026-11-21 12:00:00', link('2026-11-21 10:05:00.000'), 'UTC')).toBe(false);
  });
  it('never skips without a known zone, a time, or a synced link', () => {
    expect(untouchedSincePush('2026-11-21 10:00:00', link('2026-11-21 10:05:00.000'), undefined)).toBe(false);
    expect(untouchedSincePush(null, link('2026-11-21 10:05:00.000'), 'UTC')).toBe(false);
    expect(untouchedSincePush('2026-11-21 10:00:00', { STATE: 'creating', UPDATED_AT: '2026-11-21 10:05:00.000' }, 'UTC')).toBe(false);
  });
});
