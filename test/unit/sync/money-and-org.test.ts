import { describe, expect, it } from 'vitest';
import { cleanText, decimalsOf, orgContextFromXero, orgHasCurrency, round2, roundTo, truncate, xeroLineAmount } from '../../../daemon/src/sync/plan/index.ts';

describe('money rounding', () => {
  it('rounds half away from zero at cent level, without binary float surprises', () => {
    expect(round2(1.005)).toBe(1.01);
    expect(round2(-2.345)).toBe(-2.35);
    expect(round2(0.1 + 0.2)).toBe(0.3);
    expect(round2(134.973)).toBe(134.97);
    expect(roundTo(3.33335, 4)).toBe(3.3334);
    expect(Object.is(round2(-0.001), 0)).toBe(true);
  });

  it('counts the decimals a figure really has', () => {
    expect(decimalsOf(3.3333)).toBe(4);
    expect(decimalsOf(0.1 + 0.2)).toBe(1);
    expect(decimalsOf(115)).toBe(0);
  });

  it('computes a Xero line amount from quantity, unit and either discount', () => {
    expect(xeroLineAmount({ quantity: 3, unitAmount: 3.3333 })).toBe(10);
    expect(xeroLineAmount({ quantity: 3, unitAmount: 49.99, discountRate: 10 })).toBe(134.97);
    expect(xeroLineAmount({ quantity: 4, unitAmount: 80, discountAmount: 20 })).toBe(300);
  });

  it('refuses to round a non-finite amount', () => {
    expect(() => round2(Number.NaN)).toThrow(/non-finite/);
  });
});

describe('text clean-up', () => {
  it('collapses whitespace, drops control characters and cuts by characters, not UTF-16 units', () => {
    expect(cleanText('  a\u0007b \n c  ', 10)).toBe('a b c');
    expect(truncate('😀😀😀', 2)).toBe('😀😀');
  });
});

describe('orgContextFromXero', () => {
  it("reads xero-node's objects: enum strings, the _class field, missing revenue flags as false", () => {
    const org = orgContextFromXero({
      organisation: { baseCurrency: 'NZD' },
      currencies: [{ code: 'NZD' }, { code: 'usd' }],
      taxRates: [
        { taxType: 'OUTPUT2', name: 'GST on Income', effectiveRate: 15, displayTaxRate: 15, status: 'ACTIVE', canApplyToRevenue: true },
        { taxType: 'INPUT2', name: 'GST on Expenses', effectiveRate: 15, status: 'ACTIVE' },
      ],
      accounts: [{ code: '200', name: 'Sales', type: 'REVENUE', status: 'ACTIVE', _class: 'REVENUE' }],
      items: [{ code: 'WIDGET', itemID: 'i-1' }, { name: 'no code' }],
    });
    expect(org.taxRates[1]).toEqual({ taxType: 'INPUT2', name: 'GST on Expenses', effectiveRate: 15, displayTaxRate: 15, status: 'ACTIVE', canApplyToRevenue: false });
    expect(org.accounts[0]?.class).toBe('REVENUE');
    expect([...org.itemsByCode.keys()]).toEqual(['WIDGET']);
    expect(orgHasCurrency(org, 'USD')).toBe(true);
    expect(orgHasCurrency(org, 'GBP')).toBe(false);
  });

  it('treats the base currency as enabled even when /Currencies omits it', () => {
    const org = orgContextFromXero({ organisation: { baseCurrency: 'AUD' }, currencies: [] });
    expect(orgHasCurrency(org, 'aud')).toBe(true);
  });

  it('rejects an organisation without a base currency with a clear error', () => {
    expect(() => orgContextFromXero({ organisation: {} })).toThrow(/no usable base currency/);
  });
});
