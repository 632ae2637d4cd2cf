/** Read-mostly org data: Organisation, Accounts, TaxRates, Currencies, TrackingCategories. Not paged in Xero. */
import type { AccountingRequest, AccountingResponse, OrgCountry } from '../../contract.ts';
import type { Books } from '../books.ts';
import { msDateOfDay, msDateOfInstant } from '../dates.ts';
import { envelope } from '../envelope.ts';
import { notFound } from '../errors.ts';
import { compact, type Json } from '../input.ts';
import { boolParam, listQuery, param } from '../query.ts';
import type { AccountRec, CurrencyRec, TaxRateRec, TrackingCategoryRec } from '../types.ts';

/** Each country's usual financial year end (NZ and UK 31 March, AU 30 June, US 31 December). */
const FINANCIAL_YEAR_END: Record<OrgCountry, { day: number; month: number }> = {
  NZ: { day: 31, month: 3 }, AU: { day: 30, month: 6 }, UK: { day: 31, month: 3 }, US: { day: 31, month: 12 },
};

export function organisationView(books: Books): Json {
  const s = books.settings;
  return compact({
    OrganisationID: s.tenantId,
    APIKey: '',
    Name: s.name,
    LegalName: s.name,
    PaysTax: true,
    Version: s.version,
    OrganisationType: 'COMPANY',
    BaseCurrency: s.baseCurrency,
    CountryCode: s.country === 'UK' ? 'GB' : s.country,
    IsDemoCompany: false,
    OrganisationStatus: 'ACTIVE',
    FinancialYearEndDay: FINANCIAL_YEAR_END[s.country].day,
    FinancialYearEndMonth: FINANCIAL_YEAR_END[s.country].month,
    SalesTaxBasis: s.salesTaxBasis,
    SalesTaxPeriod: s.salesTaxPeriod,
    DefaultSalesTax: s.defaultSalesTax,
    DefaultPurchasesTax: s.defaultPurchasesTax,
    PeriodLockDate: s.periodLockDate ? msDateOfDay(s.periodLockDate) : undefined,
    EndOfYearLockDate: s.endOfYearLockDate ? msDateOfDay(s.endOfYearLockDate) : undefined,
    CreatedDateUTC: msDateOfInstant(s.createdDateUTC),
    Timezone: s.timezone,
    OrganisationEntityType: 'COMPANY',
    ShortCode: s.shortCode,
    Class: 'PREMIUM',
    Edition: 'BUSINESS',
    LineOfBusiness: 'Software testing',
    Addresses: [],
    Phones: [],
    ExternalLinks: [],
    PaymentTerms: {},
  });
}

export function getOrganisation(books: Books): AccountingResponse {
  return { status: 200, body: envelope(books.now(), 'Organisations', [organisationView(books)]) };
}

/** GET /Organisation/Actions: what this org's plan lets an app do (everything, on the simulated Premium plan). */
export function getOrganisationActions(books: Books): AccountingResponse {
  const names = ['UseMulticurrency', 'CreateApprovedInvoice', 'CreateDraftInvoice', 'CreateApprovedBill', 'CreateDraftBill',
    'CreateApprovedCreditNote', 'CreateDraftCreditNote', 'CreateContact', 'CreateBankTransactions', 'CreatePayment'];
  return { status: 200, body: envelope(books.now(), 'Actions', names.map((Name) => ({ Name, Status: 'ALLOWED' }))) };
}

export function listBrandingThemes(books: Books): AccountingResponse {
  const s = books.settings;
  return { status: 200, body: envelope(books.now(), 'BrandingThemes', [{
    BrandingThemeID: s.brandingThemeId, Name: 'Standard', Type: 'INVOICE', SortOrder: 0, CreatedDateUTC: msDateOfInstant(s.createdDateUTC),
  }]) };
}

export function accountView(a: AccountRec): Json {
  return compact({ ...a, UpdatedDateUTC: msDateOfInstant(a.UpdatedDateUTC), HasAttachments: false });
}

export function listAccounts(books: Books, req: AccountingRequest): AccountingResponse {
  const { items } = listQuery(books.store.all<AccountRec>('accounts'), req, {
    typeName: 'Account', paged: false, updatedOf: (a) => a.UpdatedDateUTC,
    fieldsOf: (a) => ({ ...a, Description: a.Description ?? null, BankAccountNumber: a.BankAccountNumber ?? null,
      SystemAccount: a.SystemAccount ?? null, CurrencyCode: a.CurrencyCode ?? null, BankAccountType: a.BankAccountType ?? null }),
  });
  return { status: 200, body: envelope(books.now(), 'Accounts', items.map(accountView)) };
}

export function getAccount(books: Books, id: string): AccountingResponse {
  const account = books.store.get<AccountRec>('accounts', id.toLowerCase());
  if (!account) throw notFound();
  return { status: 200, body: envelope(books.now(), 'Accounts', [accountView(account)]) };
}

export function listTaxRates(books: Books, req: AccountingRequest): AccountingResponse {
  let records = books.store.all<TaxRateRec>('taxRates');
  const taxType = param(req, 'TaxType');
  if (taxType) records = records.filter((r) => r.TaxType === taxType.toUpperCase());
  const { items } = listQuery(records, req, { typeName: 'TaxRate', paged: false, fieldsOf: (r) => ({ ...r }) });
  return { status: 200, body: envelope(books.now(), 'TaxRates', items) };
}

export function listCurrencies(books: Books, req: AccountingRequest): AccountingResponse {
  const { items } = listQuery(books.store.all<CurrencyRec>('currencies'), req, {
    typeName: 'Currency', paged: false, fieldsOf: (c) => ({ ...c }),
  });
  return { status: 200, body: envelope(books.now(), 'Currencies', items) };
}

export function listTrackingCategories(books: Books, req: AccountingRequest): AccountingResponse {
  const includeArchived = boolParam(req, 'includeArchived') ?? false;
  let records = books.store.all<TrackingCategoryRec>('trackingCategories');
  if (!includeArchived) {
    records = records.filter((c) => c.Status === 'ACTIVE')
      .map((c) => ({ ...c, Options: c.Options.filter((o) => o.Status === 'ACTIVE') }));
  }
  const { items } = listQuery(records, req, {
    typeName: 'TrackingCategory', paged: false, fieldsOf: (c) => ({ TrackingCategoryID: c.TrackingCategoryID, Name: c.Name, Status: c.Status }),
  });
  return { status: 200, body: envelope(books.now(), 'TrackingCategories', items.map(trackingCategoryView)) };
}

/** A category as both GET /TrackingCategories and GET /TrackingCategories/{id} show it, options with their flags. */
function trackingCategoryView(c: TrackingCategoryRec): Json {
  return {
    ...c,
    Options: c.Options.map((o) => ({
      ...o, IsActive: o.Status === 'ACTIVE', IsDeleted: false, IsArchived: o.Status === 'ARCHIVED', HasValidationErrors: false,
    })),
  };
}

export function getTrackingCategory(books: Books, id: string): AccountingResponse {
  const category = books.store.get<TrackingCategoryRec>('trackingCategories', id.toLowerCase());
  if (!category) throw notFound();
  return { status: 200, body: envelope(books.now(), 'TrackingCategories', [trackingCategoryView(category)]) };
}
