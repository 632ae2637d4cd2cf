/**
 * What the executor reads from Xero once per pass (GET /Organisation, /Currencies, /TaxRates, /Accounts, /Items) and
 * hands to every planner. Plain data so tests build it by hand; `orgContextFromXero` converts xero-node's objects.
 */

export interface OrgTaxRate {
  /** Xero TaxType code, e.g. 'OUTPUT2'. */
  taxType: string;
  name: string;
  /** The rate Xero applies, in percent (15 for 15 %); what amounts are computed with. */
  effectiveRate: number;
  /** The rate Xero shows; differs from effectiveRate only for compound rates. */
  displayTaxRate: number;
  /** ACTIVE | DELETED | ARCHIVED | PENDING */
  status: string;
  /** Whether the rate may be used on sales lines; missing in Xero's answer counts as false. */
  canApplyToRevenue: boolean;
}

export interface OrgAccount {
  code: string;
  name: string;
  /** Xero AccountType: REVENUE, SALES, OTHERINCOME, BANK, … */
  type: string;
  /** ACTIVE | ARCHIVED | DELETED */
  status: string;
  /** Xero account class: ASSET, EQUITY, EXPENSE, LIABILITY, REVENUE */
  class: string;
}

export interface OrgItem {
  code: string;
  itemID?: string;
  name?: string;
}

export interface OrgContext {
  /** ISO 4217, upper case. Always usable even when absent from `currencies`. */
  baseCurrency: string;
  /** Currencies enabled in the organisation (GET /Currencies), upper case. */
  currencies: readonly string[];
  taxRates: readonly OrgTaxRate[];
  accounts: readonly OrgAccount[];
  /** Items keyed by Code exactly as Xero stores it. */
  itemsByCode: ReadonlyMap<string, OrgItem>;
}

/** The smallest structural shapes of xero-node's models that the conversion reads (enums are strings at runtime). */
export interface XeroOrgSource {
  organisation: { baseCurrency?: unknown };
  currencies?: ReadonlyArray<{ code?: unknown }>;
  taxRates?: ReadonlyArray<{
    taxType?: string;
    name?: string;
    effectiveRate?: number;
    displayTaxRate?: number;
    status?: unknown;
    canApplyToRevenue?: boolean;
  }>;
  accounts?: ReadonlyArray<{ code?: string; name?: string; type?: unknown; status?: unknown; _class?: unknown }>;
  items?: ReadonlyArray<{ code?: string; itemID?: string; name?: string }>;
}

const text = (value: unknown): string => (value === undefined || value === null ? '' : String(value));

export function orgContextFromXero(source: XeroOrgSource): OrgContext {
  const baseCurrency = text(source.organisation.baseCurrency).toUpperCase();
  if (!/^[A-Z]{3}$/.test(baseCurrency)) {
    throw new Error(`Xero organisation has no usable base currency (got '${baseCurrency}')`);
  }
  const itemsByCode = new Map<string, OrgItem>();
  for (const item of source.items ?? []) {
    if (!item.code) continue;
    const entry: OrgItem = { code: item.code };
    if (item.itemID !== undefined) entry.itemID = item.itemID;
    if (item.name !== undefined) entry.name = item.name;
    itemsByCode.set(item.code, entry);
  }
  return {
    baseCurrency,
    currencies: (source.currencies ?? []).map((c) => text(c.code).toUpperCase()).filter((c) => c !== ''),
    taxRates: (source.taxRates ?? [])
      .filter((t) => t.taxType)
      .map((t) => ({
        taxType: text(t.taxType),
        name: text(t.name),
        effectiveRate: Number(t.effectiveRate ?? t.displayTaxRate ?? 0),
        displayTaxRate: Number(t.displayTaxRate ?? t.effectiveRate ?? 0),
        status: text(t.status).toUpperCase(),
        canApplyToRevenue: t.canApplyToRevenue === true,
      })),
    accounts: (source.accounts ?? [])
      .filter((a) => a.code)
      .map((a) => ({
        code: text(a.code),
        name: text(a.name),
        type: text(a.type).toUpperCase(),
        status: text(a.status).toUpperCase(),
        class: text(a._class).toUpperCase(),
      })),
    itemsByCode,
  };
}

/** Whether the organisation can take documents in `currency` (its base currency always can). */
export function orgHasCurrency(org: OrgContext, currency: string): boolean {
  const code = currency.toUpperCase();
  return code === org.baseCurrency || org.currencies.includes(code);
}

export function findTaxRate(org: OrgContext, taxType: string): OrgTaxRate | undefined {
  return org.taxRates.find((t) => t.taxType === taxType);
}
