import { ANY, PURCHASES, SALES, standardChart, taxRate, type OrgPreset } from './preset.ts';

/** A fresh New Zealand org (GST 15%), as the Demo Company (NZ) starts. */
export const NZ_PRESET: OrgPreset = {
  country: 'NZ',
  version: 'NZ',
  defaultName: 'Demo Company (NZ)',
  baseCurrency: 'NZD',
  otherCurrencies: ['AUD', 'USD', 'GBP', 'EUR'],
  timezone: 'NEWZEALANDSTANDARDTIME',
  taxRates: [
    taxRate('INPUT2', 'GST on Expenses', 15, 'INPUT', PURCHASES),
    taxRate('OUTPUT2', 'GST on Income', 15, 'OUTPUT', SALES),
    taxRate('NONE', 'No GST', 0, 'NONE', ANY),
    taxRate('ZERORATED', 'Zero Rated', 0, 'INPUT', ANY),
    taxRate('ZERORATEDOUTPUT', 'Zero Rated Income', 0, 'OUTPUT', SALES),
    taxRate('EXEMPTOUTPUT', 'Exempt Income', 0, 'EXEMPTOUTPUT', SALES),
    taxRate('GSTONIMPORTS', 'GST on Imports', 0, 'GSTONIMPORTS', PURCHASES),
  ],
  defaultSalesTax: 'Tax Exclusive',
  defaultPurchasesTax: 'Tax Inclusive',
  salesTaxBasis: 'PAYMENTS',
  salesTaxPeriod: 'TWOMONTHS',
  chart: standardChart('OUTPUT2', 'INPUT2', 'NONE', 'GST'),
};
