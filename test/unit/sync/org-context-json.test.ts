import { describe, expect, it } from 'vitest';
import type { OrgContext } from '../../../daemon/src/sync/plan/index.ts';
import { decodeOrgContext, encodeOrgContext } from '../../../daemon/src/sync/push/org-context-json.ts';
import { failureCode } from '../../../daemon/src/sync/push/push-context.ts';
import { PLANNER_STALE_CODES, staleKindOf, XERO_STALE_CODES } from '../../../daemon/src/sync/push/org-staleness.ts';

const org: OrgContext = {
  baseCurrency: 'NZD',
  currencies: ['NZD', 'USD'],
  taxRates: [
    { taxType: 'OUTPUT2', name: 'GST on Income', effectiveRate: 15, displayTaxRate: 15, status: 'ACTIVE', canApplyToRevenue: true },
    { taxType: 'CMPD', name: 'Compound', effectiveRate: 16.125, displayTaxRate: 7.5, status: 'ARCHIVED', canApplyToRevenue: false },
  ],
  accounts: [{ code: '200', name: 'Sales', type: 'REVENUE', status: 'ACTIVE', class: 'REVENUE' }],
  itemsByCode: new Map([
    ['W-1', { code: 'W-1', itemID: '5f0c1a8e-0000-4000-8000-000000000001', name: 'Widget' }],
    ['bare', { code: 'bare' }],
  ]),
};

describe('the stored form of the organisation context', () => {
  it('gives back an equal context, the Items as a Map in the same order', () => {
    const back = decodeOrgContext(encodeOrgContext(org));
    expect(back).toEqual(org);
    expect(back!.itemsByCode).toBeInstanceOf(Map);
    expect([...back!.itemsByCode.keys()]).toEqual(['W-1', 'bare']);
    expect(back!.itemsByCode.get('bare')).toStrictEqual({ code: 'bare' });
  });

  it('encodes the decoded text to the same text', () => {
    const text = encodeOrgContext(org);
    expect(encodeOrgContext(decodeOrgContext(text)!)).toBe(text);
  });

  it('is not read back from another version, damaged JSON or a wrong shape', () => {
    const stored = JSON.parse(encodeOrgContext(org)) as Record<string, unknown>;
    expect(decodeOrgContext(JSON.stringify({ ...stored, v: 2 }))).toBeNull();
    expect(decodeOrgContext('{"v":1,')).toBeNull();
    expect(decodeOrgContext('null')).toBeNull();
    expect(decodeOrgContext(JSON.stringify({ ...stored, baseCurrency: 'nzd' }))).toBeNull();
    expect(decodeOrgContext(JSON.stringify({ ...stored, items: {} }))).toBeNull();
    expect(decodeOrgContext(JSON.stringify({ ...stored, taxRates: [{ taxType: 'X' }] }))).toBeNull();
  });
});

describe('failures that say the organisation context is stale', () => {
  it('reads the code from a recorded reason', () => {
    expect(failureCode("invalid_account: Account code '200' has been archived")).toBe('invalid_account');
    expect(failureCode('no code here')).toBeNull();
    expect(failureCode(undefined)).toBeNull();
  });

  it("counts Xero's refusals over accounts, tax types and items as Xero's, the planner's own checks as the planner's", () => {
    expect(staleKindOf('invalid_account')).toBe('xero');
    expect(staleKindOf('xero_tax_type')).toBe('xero');
    expect(staleKindOf('invalid_item')).toBe('xero');
    expect(staleKindOf('account_inactive')).toBe('planner');
    expect(staleKindOf('currency_not_enabled')).toBe('planner');
    expect(staleKindOf('tax_type_unknown')).toBe('planner');
  });

  it('ignores failures the context cannot explain: lock dates, contacts, duplicates, outages', () => {
    for (const code of ['locked_period', 'xero_locked_period', 'contact_archived', 'duplicate_invoice_number', 'xero_unavailable', 'validation']) {
      expect(staleKindOf(code), code).toBeNull();
    }
    expect([...XERO_STALE_CODES, ...PLANNER_STALE_CODES].every((c) => /^[a-z_]+$/.test(c))).toBe(true);
  });
});
