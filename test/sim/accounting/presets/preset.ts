import type { OrgCountry } from '../../contract.ts';
import type { AccountClass, TaxRateRec } from '../types.ts';

/** One row of a standard chart of accounts: [code, name, type, taxType, extras]. */
export interface ChartRow {
  code: string;
  name: string;
  type: string;
  taxType: string;
  systemAccount?: string;
  enablePayments?: boolean;
  showInExpenseClaims?: boolean;
  bankAccountNumber?: string;
  description?: string;
}

/** Everything that differs between a fresh NZ, AU, UK or US Xero organisation. */
export interface OrgPreset {
  country: OrgCountry;
  version: string;
  defaultName: string;
  baseCurrency: string;
  /** Enabled besides the base currency. */
  otherCurrencies: string[];
  timezone: string;
  taxRates: TaxRateRec[];
  defaultSalesTax: string;
  defaultPurchasesTax: string;
  salesTaxBasis: string;
  salesTaxPeriod: string;
  chart: ChartRow[];
}

const CLASS_BY_TYPE: Record<string, AccountClass> = {
  BANK: 'ASSET', CURRENT: 'ASSET', FIXED: 'ASSET', INVENTORY: 'ASSET', NONCURRENT: 'ASSET', PREPAYMENT: 'ASSET',
  CURRLIAB: 'LIABILITY', TERMLIAB: 'LIABILITY', LIABILITY: 'LIABILITY', PAYGLIABILITY: 'LIABILITY',
  EQUITY: 'EQUITY',
  REVENUE: 'REVENUE', SALES: 'REVENUE', OTHERINCOME: 'REVENUE',
  EXPENSE: 'EXPENSE', DIRECTCOSTS: 'EXPENSE', OVERHEADS: 'EXPENSE', DEPRECIATN: 'EXPENSE', WAGESEXPENSE: 'EXPENSE',
  SUPERANNUATIONEXPENSE: 'EXPENSE',
};

export function accountClassOf(type: string): AccountClass {
  return CLASS_BY_TYPE[type] ?? 'EXPENSE';
}

export const CURRENCY_NAMES: Record<string, string> = {
  NZD: 'New Zealand Dollar', AUD: 'Australian Dollar', USD: 'United States Dollar', GBP: 'British Pound',
  EUR: 'Euro', CAD: 'Canadian Dollar', JPY: 'Japanese Yen', SGD: 'Singapore Dollar', ZAR: 'South African Rand',
};

type Applies = Partial<Record<'assets' | 'equity' | 'expenses' | 'liabilities' | 'revenue', boolean>>;

/** Builds a tax rate the way GET /TaxRates shows it (single component unless given). */
export function taxRate(taxType: string, name: string, rate: number, reportTaxType: string, applies: Applies,
  components?: { Name: string; Rate: number }[]): TaxRateRec {
  return {
    Name: name,
    TaxType: taxType,
    ReportTaxType: reportTaxType,
    Status: 'ACTIVE',
    CanApplyToAssets: applies.assets ?? false,
    CanApplyToEquity: applies.equity ?? false,
    CanApplyToExpenses: applies.expenses ?? false,
    CanApplyToLiabilities: applies.liabilities ?? false,
    CanApplyToRevenue: applies.revenue ?? false,
    DisplayTaxRate: rate,
    EffectiveRate: rate,
    TaxComponents: (components ?? [{ Name: componentName(name), Rate: rate }])
      .map((c) => ({ Name: c.Name, Rate: c.Rate, IsCompound: false, IsNonRecoverable: false })),
  };
}

function componentName(rateName: string): string {
  return /VAT/.test(rateName) ? 'VAT' : /GST/.test(rateName) ? 'GST' : 'Tax';
}

export const SALES: Applies = { assets: true, equity: true, liabilities: true, revenue: true };
export const PURCHASES: Applies = { assets: true, equity: true, expenses: true, liabilities: true };
export const ANY: Applies = { assets: true, equity: true, expenses: true, liabilities: true, revenue: true };

/**
 * The chart every fresh Xero org starts from (codes are the same across the English-speaking editions; names and
 * default tax types vary). `sales`, `purchases`, `none` are the country's default tax types; `taxAccount` names 820.
 */
export function standardChart(sales: string, purchases: string, none: string, taxAccount: string): ChartRow[] {
  return [
    { code: '090', name: 'Business Bank Account', type: 'BANK', taxType: none, bankAccountNumber: '0000000' },
    { code: '091', name: 'Business Savings Account', type: 'BANK', taxType: none, bankAccountNumber: '0000001' },
    { code: '200', name: 'Sales', type: 'REVENUE', taxType: sales, description: 'Income from any normal business activity' },
    { code: '260', name: 'Other Revenue', type: 'REVENUE', taxType: sales, description: 'Any other income that does not relate to normal business activities and is not recurring' },
    { code: '270', name: 'Interest Income', type: 'REVENUE', taxType: none, description: 'Interest income' },
    { code: '310', name: 'Cost of Goods Sold', type: 'DIRECTCOSTS', taxType: purchases },
    { code: '400', name: 'Advertising', type: 'OVERHEADS', taxType: purchases, showInExpenseClaims: true },
    { code: '404', name: 'Bank Fees', type: 'OVERHEADS', taxType: none },
    { code: '408', name: 'Cleaning', type: 'OVERHEADS', taxType: purchases, showInExpenseClaims: true },
    { code: '412', name: 'Consulting & Accounting', type: 'EXPENSE', taxType: purchases, showInExpenseClaims: true },
    { code: '416', name: 'Depreciation', type: 'DEPRECIATN', taxType: none },
    { code: '420', name: 'Entertainment', type: 'OVERHEADS', taxType: purchases, showInExpenseClaims: true },
    { code: '425', name: 'Freight & Courier', type: 'EXPENSE', taxType: purchases, showInExpenseClaims: true },
    { code: '429', name: 'General Expenses', type: 'EXPENSE', taxType: purchases, showInExpenseClaims: true },
    { code: '433', name: 'Insurance', type: 'EXPENSE', taxType: purchases },
    { code: '437', name: 'Interest Expense', type: 'EXPENSE', taxType: none },
    { code: '441', name: 'Legal expenses', type: 'EXPENSE', taxType: purchases },
    { code: '445', name: 'Light, Power, Heating', type: 'EXPENSE', taxType: purchases },
    { code: '449', name: 'Motor Vehicle Expenses', type: 'EXPENSE', taxType: purchases, showInExpenseClaims: true },
    { code: '453', name: 'Office Expenses', type: 'EXPENSE', taxType: purchases, showInExpenseClaims: true },
    { code: '461', name: 'Printing & Stationery', type: 'EXPENSE', taxType: purchases, showInExpenseClaims: true },
    { code: '469', name: 'Rent', type: 'EXPENSE', taxType: purchases },
    { code: '473', name: 'Repairs and Maintenance', type: 'EXPENSE', taxType: purchases },
    { code: '477', name: 'Wages and Salaries', type: 'EXPENSE', taxType: none },
    { code: '485', name: 'Subscriptions', type: 'EXPENSE', taxType: purchases, showInExpenseClaims: true },
    { code: '489', name: 'Telephone & Internet', type: 'EXPENSE', taxType: purchases, showInExpenseClaims: true },
    { code: '493', name: 'Travel - National', type: 'EXPENSE', taxType: purchases, showInExpenseClaims: true },
    { code: '494', name: 'Travel - International', type: 'EXPENSE', taxType: none, showInExpenseClaims: true },
    { code: '505', name: 'Income Tax Expense', type: 'EXPENSE', taxType: none },
    { code: '610', name: 'Accounts Receivable', type: 'CURRENT', taxType: none, systemAccount: 'DEBTORS' },
    { code: '620', name: 'Prepayments', type: 'CURRENT', taxType: none },
    { code: '630', name: 'Inventory', type: 'INVENTORY', taxType: none },
    { code: '710', name: 'Office Equipment', type: 'FIXED', taxType: purchases },
    { code: '711', name: 'Less Accumulated Depreciation on Office Equipment', type: 'FIXED', taxType: none },
    { code: '720', name: 'Computer Equipment', type: 'FIXED', taxType: purchases },
    { code: '721', name: 'Less Accumulated Depreciation on Computer Equipment', type: 'FIXED', taxType: none },
    { code: '800', name: 'Accounts Payable', type: 'CURRLIAB', taxType: none, systemAccount: 'CREDITORS' },
    { code: '801', name: 'Unpaid Expense Claims', type: 'CURRLIAB', taxType: none, systemAccount: 'UNPAIDEXPCLM' },
    { code: '820', name: taxAccount, type: 'CURRLIAB', taxType: none, systemAccount: 'GST' },
    { code: '830', name: 'Income Tax', type: 'CURRLIAB', taxType: none },
    { code: '840', name: 'Historical Adjustment', type: 'CURRLIAB', taxType: none, systemAccount: 'HISTORICAL' },
    { code: '850', name: 'Suspense', type: 'CURRLIAB', taxType: none },
    { code: '860', name: 'Rounding', type: 'CURRLIAB', taxType: none, systemAccount: 'ROUNDING' },
    { code: '877', name: 'Tracking Transfers', type: 'CURRLIAB', taxType: none },
    { code: '880', name: 'Owner A Drawings', type: 'EQUITY', taxType: none },
    { code: '881', name: 'Owner A Funds Introduced', type: 'EQUITY', taxType: none },
    { code: '900', name: 'Loan', type: 'TERMLIAB', taxType: none },
    { code: '960', name: 'Retained Earnings', type: 'EQUITY', taxType: none, systemAccount: 'RETAINEDEARNINGS' },
    { code: '970', name: 'Owner A Share Capital', type: 'EQUITY', taxType: none },
  ];
}
