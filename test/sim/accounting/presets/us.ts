import { ANY, SALES, standardChart, taxRate, type OrgPreset } from './preset.ts';

/**
 * A fresh US org. US editions have sales tax, not VAT/GST: purchases carry no recoverable tax, and the sales rates are
 * the org's own (TAX001… as Xero generates them); one combined state + city rate keeps it plausible.
 */
export const US_PRESET: OrgPreset = {
  country: 'US',
  version: 'US',
  defaultName: 'Demo Company (US)',
  baseCurrency: 'USD',
  otherCurrencies: ['EUR', 'GBP', 'NZD', 'AUD'],
  timezone: 'EASTERNSTANDARDTIME',
  taxRates: [
    taxRate('NONE', 'Tax Exempt', 0, 'NONE', ANY),
    taxRate('TAX001', 'Tax on Sales', 8.875, 'OUTPUT', SALES,
      [{ Name: 'State Tax', Rate: 4 }, { Name: 'City Tax', Rate: 4.875 }]),
    taxRate('TAX002', 'Reduced Sales Tax', 4, 'OUTPUT', SALES, [{ Name: 'State Tax', Rate: 4 }]),
  ],
  defaultSalesTax: 'Tax Exclusive',
  defaultPurchasesTax: 'Tax Exclusive',
  salesTaxBasis: 'NONE',
  salesTaxPeriod: 'NONE',
  chart: standardChart('TAX001', 'NONE', 'NONE', 'Sales Tax'),
};
