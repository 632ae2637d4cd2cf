import type { DomainInvoice, InvoiceLine } from '../../../daemon/src/domain/invoice.ts';
import type { Company, Person } from '../../../daemon/src/domain/party.ts';
import { DEFAULT_SETTINGS, type Settings } from '../../../daemon/src/domain/settings.ts';
import type { OrgAccount, OrgContext, OrgTaxRate } from '../../../daemon/src/sync/plan/index.ts';

const rate = (taxType: string, name: string, effectiveRate: number, canApplyToRevenue = true, status = 'ACTIVE'): OrgTaxRate => ({
  taxType,
  name,
  effectiveRate,
  displayTaxRate: effectiveRate,
  status,
  canApplyToRevenue,
});

const ACCOUNTS: OrgAccount[] = [
  { code: '090', name: 'Business Bank Account', type: 'BANK', status: 'ACTIVE', class: 'ASSET' },
  { code: '200', name: 'Sales', type: 'REVENUE', status: 'ACTIVE', class: 'REVENUE' },
  { code: '260', name: 'Other Revenue', type: 'REVENUE', status: 'ACTIVE', class: 'REVENUE' },
  { code: '270', name: 'Old Consulting', type: 'REVENUE', status: 'ARCHIVED', class: 'REVENUE' },
];

/** A New Zealand demo organisation: GST 15 %, "No GST" and "Zero Rated" both at 0 %. */
export function nzOrg(overrides: Partial<OrgContext> = {}): OrgContext {
  return {
    baseCurrency: 'NZD',
    currencies: ['NZD', 'AUD', 'USD'],
    taxRates: [
      rate('INPUT2', 'GST on Expenses', 15, false),
      rate('OUTPUT2', 'GST on Income', 15),
      rate('NONE', 'No GST', 0),
      rate('ZERORATED', 'Zero Rated', 0),
      rate('GSTONIMPORTS', 'GST on Imports', 0, false),
    ],
    accounts: ACCOUNTS,
    itemsByCode: new Map([['WIDGET', { code: 'WIDGET', itemID: 'item-1' }]]),
    ...overrides,
  };
}

/** A UK organisation: VAT 20 % and 5 %, three different 0 % treatments for sales. */
export function ukOrg(): OrgContext {
  return {
    baseCurrency: 'GBP',
    currencies: ['GBP', 'EUR'],
    taxRates: [
      rate('OUTPUT2', '20% (VAT on Income)', 20),
      rate('INPUT2', '20% (VAT on Expenses)', 20, false),
      rate('RROUTPUT', '5% (VAT on Income)', 5),
      rate('ZERORATEDOUTPUT', 'Zero Rated Income', 0),
      rate('EXEMPTOUTPUT', 'Exempt Income', 0),
      rate('NONE', 'No VAT', 0),
    ],
    accounts: ACCOUNTS,
    itemsByCode: new Map(),
  };
}

/** An Australian organisation: GST 10 %, no NONE; untaxed sales are GST Free Income. */
export function auOrg(): OrgContext {
  return {
    baseCurrency: 'AUD',
    currencies: ['AUD'],
    taxRates: [rate('OUTPUT', 'GST on Income', 10), rate('EXEMPTOUTPUT', 'GST Free Income', 0), rate('BASEXCLUDED', 'BAS Excluded', 0)],
    accounts: ACCOUNTS,
    itemsByCode: new Map(),
  };
}

export function settings(overrides: Partial<Settings> = {}): Settings {
  return { ...DEFAULT_SETTINGS, statusMap: {}, productAccounts: {}, taxMap: {}, invoiceKinds: ['smart', 'legacy'], ...overrides };
}

/**
 * A product row as the readers produce it. `totalInclTax` defaults to what Bitrix stores with 8-dp prices
 * (crm 25.x): quantity × discounted unit price, tax added when the price was entered without it.
 */
export function line(overrides: Partial<InvoiceLine> = {}): InvoiceLine {
  const base: InvoiceLine = {
    rowId: 1,
    productId: null,
    description: 'Consulting',
    quantity: 1,
    unitPrice: 100,
    discountType: 'none',
    discountRate: 0,
    discountPerUnit: 0,
    taxRate: 15,
    taxIncluded: false,
    totalInclTax: 0,
    sort: 10,
    unit: '',
    ...overrides,
  };
  if (overrides.totalInclTax === undefined) {
    const discount =
      base.discountType === 'amount' ? base.discountPerUnit : base.discountType === 'percent' ? (base.unitPrice * base.discountRate) / 100 : 0;
    const net = base.quantity * (base.unitPrice - discount);
    base.totalInclTax = base.taxIncluded || base.taxRate === null ? net : net * (1 + base.taxRate / 100);
  }
  return base;
}

export function invoice(lines: InvoiceLine[], overrides: Partial<DomainInvoice> = {}): DomainInvoice {
  const total = Math.round(lines.reduce((sum, l) => sum + l.totalInclTax, 0) * 100) / 100;
  return {
    kind: 'smart',
    id: 123,
    number: 'INV-0042',
    title: 'Invoice 42',
    stage: { id: 'DT31_1:N', name: 'New', semantics: 'process', sort: 10 },
    categoryId: 1,
    currency: 'NZD',
    total,
    taxTotal: 0,
    issueDate: '2026-11-02',
    dueDate: '2026-11-30',
    updatedAt: '2026-11-02 10:00:00',
    syncEnabled: true,
    xmlId: null,
    company: null,
    contacts: [],
    lines,
    comments: '',
    ...overrides,
  };
}

export function person(id: number, overrides: Partial<Person> = {}): Person {
  return {
    id,
    firstName: 'Jane',
    lastName: 'Doe',
    secondName: '',
    fullName: 'Jane Doe',
    emails: [{ kind: 'WORK', address: `jane${id}@example.co.nz` }],
    phones: [],
    addresses: [],
    taxNumber: '',
    xeroId: null,
    modifiedAt: null,
    ...overrides,
  };
}

export function company(id: number, contacts: Person[], overrides: Partial<Company> = {}): Company {
  return {
    id,
    title: 'Kiwi Widgets Ltd',
    emails: [{ kind: 'WORK', address: 'accounts@kiwiwidgets.co.nz' }],
    phones: [],
    addresses: [],
    taxNumber: '',
    xeroId: null,
    contacts,
    modifiedAt: null,
    ...overrides,
  };
}
