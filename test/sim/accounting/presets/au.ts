import { ANY, PURCHASES, SALES, standardChart, taxRate, type OrgPreset } from './preset.ts';

/** A fresh Australian org (GST 10%, BAS reporting types). */
export const AU_PRESET: OrgPreset = {
  country: 'AU',
  version: 'AU',
  defaultName: 'Demo Company (AU)',
  baseCurrency: 'AUD',
  otherCurrencies: ['NZD', 'USD', 'GBP', 'EUR'],
  timezone: 'AUSEASTERNSTANDARDTIME',
  taxRates: [
    taxRate('BASEXCLUDED', 'BAS Excluded', 0, 'BASEXCLUDED', ANY),
    taxRate('OUTPUT', 'GST on Income', 10, 'OUTPUT', SALES),
    taxRate('INPUT', 'GST on Expenses', 10, 'INPUT', PURCHASES),
    taxRate('CAPEXINPUT', 'GST on Capital', 10, 'CAPEXINPUT', PURCHASES),
    taxRate('EXEMPTOUTPUT', 'GST Free Income', 0, 'EXEMPTOUTPUT', SALES),
    taxRate('EXEMPTEXPENSES', 'GST Free Expenses', 0, 'EXEMPTEXPENSES', PURCHASES),
    taxRate('EXEMPTCAPITAL', 'GST Free Capital', 0, 'EXEMPTCAPITAL', PURCHASES),
    taxRate('EXEMPTEXPORT', 'GST Free Exports', 0, 'EXEMPTEXPORT', SALES),
    taxRate('INPUTTAXED', 'Input Taxed', 0, 'INPUTTAXED', ANY),
    taxRate('GSTONIMPORTS', 'GST on Imports', 0, 'GSTONIMPORTS', PURCHASES),
  ],
  defaultSalesTax: 'Tax Exclusive',
  defaultPurchasesTax: 'Tax Inclusive',
  salesTaxBasis: 'ACCRUALS',
  salesTaxPeriod: 'QUARTERLY1',
  chart: standardChart('OUTPUT', 'INPUT', 'BASEXCLUDED', 'GST'),
};
