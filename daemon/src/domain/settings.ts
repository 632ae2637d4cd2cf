/**
 * Business settings admins edit on the module's options page; stored in Bitrix's b_option under
 * MODULE_ID 'b24xero.sync', one row per key below (VALUE is JSON for the map-shaped ones).
 * Every key is optional: with nothing saved the product runs on sensible defaults (see DEFAULT_SETTINGS).
 */
export const MODULE_ID = 'b24xero.sync';

export const OPTION_KEYS = {
  /** JSON StatusMap */
  statusMap: 'status_map',
  /** Xero account code used for lines without a per-product code, e.g. '200'. */
  defaultSalesAccount: 'default_sales_account',
  /** JSON { "<productId>": "<account code>" } */
  productAccounts: 'product_accounts',
  /** JSON { "<percent>": "<Xero TaxType>" }, e.g. { "15": "OUTPUT2", "0": "NONE" } */
  taxMap: 'tax_map',
  /** 'bitrix' (send ACCOUNT_NUMBER as InvoiceNumber) or 'xero' (let Xero number it). */
  invoiceNumberPolicy: 'invoice_number_policy',
  /** Which invoice kinds sync: JSON ["smart","legacy"]. */
  invoiceKinds: 'invoice_kinds',
  /** Cron expressions. */
  syncSchedule: 'sync_schedule',
  scanSchedule: 'scan_schedule',
  /**
   * 'YYYY-MM-DD' (Bitrix's local date): ongoing sync creates in Xero only invoices changed on or after it. The
   * module's installer sets it to the install day; history comes only through `b24xero backfill`.
   */
  startDate: 'start_date',
  /** Which Xero contacts become Bitrix contacts/companies: 'all' (default), 'customers' (IsCustomer) or 'off'. */
  importContacts: 'contact_import',
} as const;

export const XERO_INVOICE_STATUSES = ['DRAFT', 'SUBMITTED', 'AUTHORISED', 'PAID', 'VOIDED', 'DELETED'] as const;
export type XeroInvoiceStatus = (typeof XERO_INVOICE_STATUSES)[number];

/**
 * What the status map's `pull` side can follow: Xero's statuses, plus two states Xero reports without a status of
 * their own — 'PART_PAID' (AUTHORISED with a payment that leaves some due) and 'SENT' (AUTHORISED and SentToContact,
 * i.e. emailed or marked as sent in Xero).
 */
export const PULL_STATUS_KEYS = [...XERO_INVOICE_STATUSES, 'PART_PAID', 'SENT'] as const;
export type PullStatusKey = (typeof PULL_STATUS_KEYS)[number];

/**
 * Bitrix stage <-> Xero status. `push` says which Xero status a new invoice is created in (DRAFT unless set);
 * `pull` says which Bitrix stage an invoice moves to when Xero reports a status. Keys of `pull` are PULL_STATUS_KEYS
 * (Xero statuses plus 'PART_PAID' and 'SENT'); values are stage ids per invoice kind. Stages not in `pull` fall back to semantics
 * (AUTHORISED -> the first process stage after the initial one ('S' Sent), PAID -> success, VOIDED/DELETED -> failure).
 */
export interface StatusMap {
  push?: { createAs?: 'DRAFT' | 'SUBMITTED' | 'AUTHORISED' };
  pull?: {
    smart?: Partial<Record<PullStatusKey, string>>;
    legacy?: Partial<Record<PullStatusKey, string>>;
  };
  /** Stage ids whose invoices are never pushed (besides failure-semantics stages). */
  skipStages?: string[];
}

export interface Settings {
  statusMap: StatusMap;
  defaultSalesAccount: string | null;
  productAccounts: Record<string, string>;
  taxMap: Record<string, string>;
  invoiceNumberPolicy: 'bitrix' | 'xero';
  invoiceKinds: Array<'smart' | 'legacy'>;
  syncSchedule: string;
  scanSchedule: string;
  /** The start line as saved (option start_date); null: the day the daemon first ran, kept in b_b24xero_cursor. */
  startDate: string | null;
  importContacts: 'all' | 'customers' | 'off';
}

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze<Settings>({
  statusMap: {},
  defaultSalesAccount: null,
  productAccounts: {},
  taxMap: {},
  invoiceNumberPolicy: 'bitrix',
  invoiceKinds: ['smart', 'legacy'],
  syncSchedule: '* * * * *',
  scanSchedule: '*/15 * * * *',
  startDate: null,
  importContacts: 'all',
});
