import { describe, expect, it } from 'vitest';
import { PRESETS } from './index.ts';
import { accountClassOf, CURRENCY_NAMES } from './preset.ts';

describe.each(Object.values(PRESETS))('the $country preset', (preset) => {
  it('uses only tax types it defines, on accounts whose class the rate can apply to', () => {
    const rates = new Map(preset.taxRates.map((r) => [r.TaxType, r]));
    const flag = { ASSET: 'CanApplyToAssets', EQUITY: 'CanApplyToEquity', EXPENSE: 'CanApplyToExpenses',
      LIABILITY: 'CanApplyToLiabilities', REVENUE: 'CanApplyToRevenue' } as const;
    for (const row of preset.chart) {
      const rate = rates.get(row.taxType);
      expect(rate, `${row.code} uses ${row.taxType}`).toBeDefined();
      expect(rate![flag[accountClassOf(row.type)]], `${row.code} ${row.taxType}`).toBe(true);
    }
  });

  it('has unique account codes and tax types, and names every currency it enables', () => {
    expect(new Set(preset.chart.map((r) => r.code)).size).toBe(preset.chart.length);
    expect(new Set(preset.taxRates.map((r) => r.TaxType)).size).toBe(preset.taxRates.length);
    for (const code of [preset.baseCurrency, ...preset.otherCurrencies]) expect(CURRENCY_NAMES[code]).toBeDefined();
  });

  it('keeps each rate equal to the sum of its components', () => {
    for (const rate of preset.taxRates) {
      expect(rate.TaxComponents.reduce((sum, c) => sum + c.Rate, 0)).toBeCloseTo(rate.EffectiveRate, 6);
    }
  });
});
