import type { OrgAccount, OrgContext, OrgItem, OrgTaxRate } from '../plan/index.ts';

/**
 * The stored form of an OrgContext (b_b24xero_org_cache.CONTEXT). Written field by field rather than with
 * JSON.stringify(context): `itemsByCode` is a Map, which JSON.stringify would silently turn into `{}`. The version
 * makes a future change of the shape cheap: a row in any other version is simply not used, and the pass refetches.
 */
export const ORG_CONTEXT_JSON_VERSION = 1;

interface StoredOrgContext {
  v: typeof ORG_CONTEXT_JSON_VERSION;
  baseCurrency: string;
  currencies: string[];
  taxRates: OrgTaxRate[];
  accounts: OrgAccount[];
  /** The Map's entries in insertion order (what Xero returned, then items learnt during passes). */
  items: OrgItem[];
}

export function encodeOrgContext(org: OrgContext): string {
  const stored: StoredOrgContext = {
    v: ORG_CONTEXT_JSON_VERSION,
    baseCurrency: org.baseCurrency,
    currencies: [...org.currencies],
    taxRates: org.taxRates.map((t) => ({
      taxType: t.taxType, name: t.name, effectiveRate: t.effectiveRate, displayTaxRate: t.displayTaxRate,
      status: t.status, canApplyToRevenue: t.canApplyToRevenue,
    })),
    accounts: org.accounts.map((a) => ({ code: a.code, name: a.name, type: a.type, status: a.status, class: a.class })),
    items: [...org.itemsByCode.values()].map(itemOf),
  };
  return JSON.stringify(stored);
}

/**
 * The context stored by `encodeOrgContext`, or null when the text is not one (another version, damaged, hand-edited):
 * a cache that cannot be read is a cache miss, never an error — the five reads it saves are always possible.
 */
export function decodeOrgContext(text: string): OrgContext | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(raw) || raw.v !== ORG_CONTEXT_JSON_VERSION) return null;
  const { baseCurrency, currencies, taxRates, accounts, items } = raw;
  if (typeof baseCurrency !== 'string' || !/^[A-Z]{3}$/.test(baseCurrency)) return null;
  if (!isArrayOf(currencies, (c): c is string => typeof c === 'string')) return null;
  if (!isArrayOf(taxRates, isTaxRate) || !isArrayOf(accounts, isAccount) || !isArrayOf(items, isItem)) return null;
  return {
    baseCurrency,
    currencies: [...currencies],
    taxRates: taxRates.map((t) => ({ ...t })),
    accounts: accounts.map((a) => ({ ...a })),
    itemsByCode: new Map(items.map((i) => [i.code, itemOf(i)])),
  };
}

/** Only the fields OrgItem has, and no `undefined` keys (they would not survive the round trip). */
function itemOf(item: OrgItem): OrgItem {
  const out: OrgItem = { code: item.code };
  if (item.itemID !== undefined) out.itemID = item.itemID;
  if (item.name !== undefined) out.name = item.name;
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isArrayOf<T>(value: unknown, guard: (v: unknown) => v is T): value is T[] {
  return Array.isArray(value) && value.every(guard);
}

const isStr = (v: unknown): v is string => typeof v === 'string';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function isTaxRate(v: unknown): v is OrgTaxRate {
  return isRecord(v) && isStr(v.taxType) && isStr(v.name) && isNum(v.effectiveRate) && isNum(v.displayTaxRate)
    && isStr(v.status) && typeof v.canApplyToRevenue === 'boolean';
}

function isAccount(v: unknown): v is OrgAccount {
  return isRecord(v) && isStr(v.code) && isStr(v.name) && isStr(v.type) && isStr(v.status) && isStr(v.class);
}

function isItem(v: unknown): v is OrgItem {
  return isRecord(v) && isStr(v.code) && (v.itemID === undefined || isStr(v.itemID)) && (v.name === undefined || isStr(v.name));
}
