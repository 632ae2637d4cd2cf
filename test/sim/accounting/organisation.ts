/** The Organisation facade the platform holds: creation from a country preset, request handling, admin, snapshot. */
import { randomBytes, randomUUID } from 'node:crypto';
import type { AccountingRequest, AccountingResponse, ChangeEvent, OrgCountry, OrgOptions, Organisation, SimClock } from '../contract.ts';
import { runAdmin } from './admin.ts';
import { Books } from './books.ts';
import { ApiError } from './errors.ts';
import { accountClassOf, CURRENCY_NAMES, PRESETS } from './presets/index.ts';
import { dispatch } from './router.ts';
import { COLLECTIONS, type Collection } from './store.ts';
import type { AccountRec, CurrencyRec, OrgSettings, TaxRateRec, TrackingCategoryRec } from './types.ts';

const SNAPSHOT_VERSION = 1;

class SimOrganisation implements Organisation {
  constructor(private readonly books: Books) {}

  get tenantId(): string { return this.books.settings.tenantId; }
  get name(): string { return this.books.settings.name; }
  get country(): OrgCountry { return this.books.settings.country; }
  get baseCurrency(): string { return this.books.settings.baseCurrency; }

  handle(req: AccountingRequest): AccountingResponse {
    return respond(() => dispatch(this.books, req));
  }

  admin(action: string, method: string, body: unknown): AccountingResponse {
    return respond(() => runAdmin(this.books, action, method, body));
  }

  onChange(listener: (event: ChangeEvent) => void): () => void {
    return this.books.subscribe(listener);
  }

  toJSON(): unknown {
    return { version: SNAPSHOT_VERSION, settings: this.books.settings, records: this.books.store.toJSON() };
  }
}

function respond(work: () => AccountingResponse): AccountingResponse {
  try {
    return work();
  } catch (error) {
    if (error instanceof ApiError) return error.response;
    throw error;
  }
}

export function createOrganisation(options: OrgOptions, clock: SimClock): Organisation {
  const preset = PRESETS[options.country];
  if (!preset) throw new Error(`Unknown organisation country '${String(options.country)}' (use NZ, AU, UK or US)`);
  const now = clock.now().toISOString();
  const settings: OrgSettings = {
    tenantId: options.tenantId ?? randomUUID(),
    name: options.name ?? preset.defaultName,
    country: preset.country,
    baseCurrency: preset.baseCurrency,
    shortCode: `!${randomBytes(3).toString('hex').slice(0, 5)}`,
    version: preset.version,
    timezone: preset.timezone,
    createdDateUTC: now,
    brandingThemeId: randomUUID(),
    invoicePrefix: 'INV-',
    creditNotePrefix: 'CN-',
    nextInvoiceNumber: 1,
    nextCreditNoteNumber: 1,
    defaultSalesTax: preset.defaultSalesTax,
    defaultPurchasesTax: preset.defaultPurchasesTax,
    salesTaxBasis: preset.salesTaxBasis,
    salesTaxPeriod: preset.salesTaxPeriod,
  };
  const books = new Books(settings, clock);
  const { store } = books;
  for (const rate of preset.taxRates) store.put<TaxRateRec>('taxRates', rate.TaxType, structuredClone(rate));
  for (const code of [preset.baseCurrency, ...preset.otherCurrencies]) {
    store.put<CurrencyRec>('currencies', code, { Code: code, Description: CURRENCY_NAMES[code] ?? code });
  }
  for (const row of preset.chart) {
    const account: AccountRec = {
      AccountID: randomUUID(),
      Code: row.code,
      Name: row.name,
      Type: row.type,
      Class: accountClassOf(row.type),
      Status: 'ACTIVE',
      TaxType: row.taxType,
      EnablePaymentsToAccount: row.enablePayments ?? false,
      ShowInExpenseClaims: row.showInExpenseClaims ?? false,
      AddToWatchlist: false,
      UpdatedDateUTC: now,
      ...(row.description ? { Description: row.description } : {}),
      ...(row.systemAccount ? { SystemAccount: row.systemAccount } : {}),
      ...(row.type === 'BANK' ? { BankAccountNumber: row.bankAccountNumber ?? '', BankAccountType: 'BANK', CurrencyCode: preset.baseCurrency } : {}),
    };
    store.put('accounts', account.AccountID, account);
  }
  // Fresh orgs have no tracking categories; one realistic category makes tracking testable without setup.
  const region: TrackingCategoryRec = {
    TrackingCategoryID: randomUUID(),
    Name: 'Region',
    Status: 'ACTIVE',
    Options: ['North', 'South'].map((name) => ({ TrackingOptionID: randomUUID(), Name: name, Status: 'ACTIVE' as const })),
  };
  store.put('trackingCategories', region.TrackingCategoryID, region);
  return new SimOrganisation(books);
}

const ID_FIELD: Record<Collection, string> = {
  accounts: 'AccountID', taxRates: 'TaxType', currencies: 'Code', trackingCategories: 'TrackingCategoryID',
  contacts: 'ContactID', items: 'ItemID', invoices: 'ID', creditNotes: 'ID', payments: 'PaymentID',
  bankTransactions: 'BankTransactionID', allocations: 'AllocationID',
};

export function restoreOrganisation(snapshot: unknown, clock: SimClock): Organisation {
  const snap = snapshot as { version?: unknown; settings?: OrgSettings; records?: Partial<Record<Collection, unknown[]>> } | null;
  if (!snap || typeof snap !== 'object' || snap.version !== SNAPSHOT_VERSION || !snap.settings?.tenantId || !snap.records) {
    throw new Error(`Not an organisation snapshot (expected {version: ${SNAPSHOT_VERSION}, settings, records})`);
  }
  // Snapshots written before branding themes existed get one, so the org still answers GET /BrandingThemes.
  const books = new Books({ ...structuredClone(snap.settings), brandingThemeId: snap.settings.brandingThemeId ?? randomUUID() }, clock);
  const records = structuredClone(snap.records);
  for (const name of COLLECTIONS) {
    if (records[name] !== undefined && !Array.isArray(records[name])) throw new Error(`Snapshot records.${name} must be an array`);
  }
  books.store.load(records, (collection, record) => String((record as Record<string, unknown>)[ID_FIELD[collection]]));
  return new SimOrganisation(books);
}
