import { describe, expect, it } from 'vitest';
import { resolveAccountCode, resolveTaxType } from '../../../daemon/src/sync/plan/index.ts';
import { auOrg, nzOrg, settings, ukOrg } from './plan-fixtures.ts';

describe('resolveTaxType', () => {
  it("maps 15 % to the NZ organisation's only active sales rate, OUTPUT2, ignoring the expense rate INPUT2", () => {
    const result = resolveTaxType(15, {}, nzOrg());
    expect(result).toEqual({ ok: true, value: { taxType: 'OUTPUT2', effectiveRate: 15, source: 'rate' }, warnings: [] });
  });

  it('takes a 0 % row (crm 23.400 stores 0.00 for "no tax", never NULL) as no tax: NONE in NZ, UK and US, GST Free Income in Australia', () => {
    const uk = resolveTaxType(0, {}, ukOrg());
    expect(uk).toEqual({ ok: true, value: { taxType: 'NONE', effectiveRate: 0, source: 'zero_as_no_tax' }, warnings: [] });
    const nz = resolveTaxType(0, {}, nzOrg());
    expect(nz.ok && nz.value.taxType).toBe('NONE');
    const au = resolveTaxType(0, {}, auOrg());
    expect(au.ok && au.value.taxType).toBe('EXEMPTOUTPUT');
  });

  it('lets the "none" key of the tax map choose for 0 % rows too, and a "0" key before it', () => {
    expect(resolveTaxType(0, { none: 'EXEMPTOUTPUT' }, ukOrg())).toMatchObject({ ok: true, value: { taxType: 'EXEMPTOUTPUT', source: 'map' } });
    expect(resolveTaxType(0, { none: 'EXEMPTOUTPUT', '0': 'ZERORATEDOUTPUT' }, ukOrg())).toMatchObject({ ok: true, value: { taxType: 'ZERORATEDOUTPUT', source: 'map' } });
  });

  it('reports a 0 % row as an error naming every candidate when the organisation has no no-tax rate and several 0 % ones', () => {
    const org = ukOrg();
    const noNone = { ...org, taxRates: org.taxRates.filter((t) => t.taxType !== 'NONE' && t.taxType !== 'EXEMPTOUTPUT').concat([{ ...org.taxRates.find((t) => t.taxType === 'ZERORATEDOUTPUT')!, taxType: 'ECZROUTPUT', name: 'Zero Rated EC Goods Income' }]) };
    const result = resolveTaxType(0, {}, noNone);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.class).toBe('needs_person');
    expect(result.error.code).toBe('tax_rate_ambiguous');
    expect(result.error.message).toBe(
      "Tax rate 0% matches several Xero tax rates: ZERORATEDOUTPUT, ECZROUTPUT — choose one in the module's tax map",
    );
  });

  it('settles the 0 % ambiguity through the tax map', () => {
    const result = resolveTaxType(0, { '0': 'ZERORATEDOUTPUT' }, ukOrg());
    expect(result.ok && result.value).toEqual({ taxType: 'ZERORATEDOUTPUT', effectiveRate: 0, source: 'map' });
  });

  it('reads tax map keys as numbers, so "15.00" applies to a 15 % row', () => {
    const result = resolveTaxType(15, { '15.00': 'OUTPUT2' }, nzOrg());
    expect(result.ok && result.value.source).toBe('map');
  });

  it('rejects a mapped TaxType the organisation does not have', () => {
    const result = resolveTaxType(15, { '15': 'OUTPUT9' }, nzOrg());
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('tax_type_unknown');
      expect(result.error.message).toContain('OUTPUT9');
    }
  });

  it('rejects a mapped TaxType that is archived, and one that cannot be used on sales', () => {
    const org = nzOrg();
    const archived = { ...org, taxRates: org.taxRates.map((t) => (t.taxType === 'OUTPUT2' ? { ...t, status: 'ARCHIVED' } : t)) };
    const a = resolveTaxType(15, { '15': 'OUTPUT2' }, archived);
    expect(!a.ok && a.error.code).toBe('tax_type_inactive');
    expect(!a.ok && a.error.message).toContain('is archived');
    const b = resolveTaxType(15, { '15': 'INPUT2' }, org);
    expect(!b.ok && b.error.message).toContain('cannot be used on sales');
  });

  it('warns when the mapped TaxType applies a different percentage than the Bitrix row', () => {
    const result = resolveTaxType(15, { '15': 'NONE' }, nzOrg());
    expect(result.ok).toBe(true);
    expect(result.ok && result.warnings.map((w) => w.code)).toEqual(['tax_rate_differs']);
  });

  it('gives rows without tax the NONE rate in NZ and UK, and GST Free Income in Australia', () => {
    const nz = resolveTaxType(null, {}, nzOrg());
    expect(nz.ok && nz.value.taxType).toBe('NONE');
    const uk = resolveTaxType(null, {}, ukOrg());
    expect(uk.ok && uk.value.taxType).toBe('NONE');
    const au = resolveTaxType(null, {}, auOrg());
    expect(au.ok && au.value).toEqual({ taxType: 'EXEMPTOUTPUT', effectiveRate: 0, source: 'no_tax_default' });
  });

  it('lets the "none" tax map key choose the rate for rows without tax', () => {
    const result = resolveTaxType(null, { none: 'BASEXCLUDED' }, auOrg());
    expect(result.ok && result.value.taxType).toBe('BASEXCLUDED');
  });

  it('explains a percentage no active sales rate has', () => {
    const result = resolveTaxType(12.5, {}, nzOrg());
    expect(!result.ok && result.error.message).toBe(
      "Tax rate 12.5% matches no active Xero sales tax rate — add it in Xero or map it in the module's tax map",
    );
  });

  it('does not match an archived rate of the right percentage', () => {
    const org = nzOrg();
    const withArchived = { ...org, taxRates: org.taxRates.map((t) => (t.taxType === 'OUTPUT2' ? { ...t, status: 'ARCHIVED' } : t)) };
    expect(resolveTaxType(15, {}, withArchived).ok).toBe(false);
  });
});

describe('resolveAccountCode', () => {
  it("uses the product's own account code first", () => {
    const result = resolveAccountCode({ productId: 7 }, settings({ productAccounts: { '7': '260' }, defaultSalesAccount: '200' }), nzOrg());
    expect(result.ok && result.value).toEqual({ accountCode: '260', source: 'product' });
  });

  it('falls back to the default sales account setting for other products and free-text rows', () => {
    const s = settings({ productAccounts: { '7': '260' }, defaultSalesAccount: '200' });
    expect(resolveAccountCode({ productId: 8 }, s, nzOrg()).ok).toBe(true);
    const free = resolveAccountCode({ productId: null }, s, nzOrg());
    expect(free.ok && free.value).toEqual({ accountCode: '200', source: 'default_setting' });
  });

  it('with no settings saved, uses the organisation\'s active revenue account named "Sales"', () => {
    const result = resolveAccountCode({ productId: 1 }, settings(), nzOrg());
    expect(result.ok && result.value).toEqual({ accountCode: '200', source: 'org_sales' });
  });

  it('reports a configured code Xero does not know instead of falling back silently', () => {
    const result = resolveAccountCode({ productId: 7 }, settings({ productAccounts: { '7': '999' }, defaultSalesAccount: '200' }), nzOrg());
    expect(!result.ok && result.error).toEqual({
      code: 'account_unknown',
      message: 'The account code set for product 7 is 999, which is not in the Xero chart of accounts',
      class: 'needs_person',
    });
  });

  it('reports an archived account', () => {
    const result = resolveAccountCode({ productId: null }, settings({ defaultSalesAccount: '270' }), nzOrg());
    expect(!result.ok && result.error.code).toBe('account_inactive');
    expect(!result.ok && result.error.message).toContain('archived');
  });

  it('asks for a default account when the organisation has no "Sales" account', () => {
    const org = { ...nzOrg(), accounts: nzOrg().accounts.filter((a) => a.name !== 'Sales') };
    const result = resolveAccountCode({ productId: null }, settings(), org);
    expect(!result.ok && result.error.code).toBe('account_missing');
  });
});
