import { ANY, PURCHASES, SALES, standardChart, taxRate, type OrgPreset } from './preset.ts';

/** A fresh UK org (VAT 20% standard, 5% reduced). */
export const UK_PRESET: OrgPreset = {
  country: 'UK',
  version: 'UK',
  defaultName: 'Demo Company (UK)',
  baseCurrency: 'GBP',
  otherCurrencies: ['EUR', 'USD', 'NZD', 'AUD'],
  timezone: 'GMTSTANDARDTIME',
  taxRates: [
    taxRate('INPUT2', '20% (VAT on Expenses)', 20, 'INPUT', PURCHASES),
    taxRate('OUTPUT2', '20% (VAT on Income)', 20, 'OUTPUT', SALES),
    taxRate('RRINPUT', '5% (VAT on Expenses)', 5, 'INPUT', PURCHASES),
    taxRate('RROUTPUT', '5% (VAT on Income)', 5, 'OUTPUT', SALES),
    taxRate('ZERORATEDINPUT', 'Zero Rated Expenses', 0, 'INPUT', PURCHASES),
    taxRate('ZERORATEDOUTPUT', 'Zero Rated Income', 0, 'OUTPUT', SALES),
    taxRate('EXEMPTINPUT', 'Exempt Expenses', 0, 'EXEMPTINPUT', PURCHASES),
    taxRate('EXEMPTOUTPUT', 'Exempt Income', 0, 'EXEMPTOUTPUT', SALES),
    taxRate('NONE', 'No VAT', 0, 'NONE', ANY),
  ],
  defaultSalesTax: 'Tax Exclusive',
  defaultPurchasesTax: 'Tax Exclusive',
  salesTaxBasis: 'ACCRUAL',
  salesTaxPeriod: 'QUARTERLY1',
  chart: standardChart('OUTPUT2', 'INPUT2', 'NONE', 'VAT'),
};
