import type { InvoiceKind } from '../../domain/invoice.ts';
import { foldName as norm } from '../../util/fold-name.ts';
import { parseInvoiceReference } from './bitrix-keys.ts';
import type { PlanError } from './plan-result.ts';

/** A Xero sales invoice as the backfill read it in bulk (GET Invoices, pages of 100). */
export interface HistoryCandidate {
  invoiceID: string;
  invoiceNumber: string | null;
  reference: string | null;
  contactID: string | null;
  contactName: string | null;
  status: string;
  total: number;
  currency: string;
}

/** The organisation's invoices indexed for matching: by our Reference key and by number (the Reference too). */
export interface HistoryIndex {
  byKey: Map<string, HistoryCandidate[]>;
  byNumber: Map<string, HistoryCandidate[]>;
}

export interface HistoryInvoice {
  kind: InvoiceKind;
  id: number;
  /** Bitrix's number (ACCOUNT_NUMBER); '' or the id alone when none. */
  number: string;
  total: number;
  currency: string;
  /** The payer's Xero contact when it is known (linked or matched); null: not in Xero yet. */
  payerContactID: string | null;
}

export type HistoryMatch =
  /** Xero already holds this invoice: link it, create nothing. */
  | { action: 'link'; invoice: HistoryCandidate; via: 'reference' | 'number' }
  /** Xero holds an invoice with this number but other content (or several): a person decides; nothing is created. */
  | { action: 'needs_person'; error: PlanError; candidates: HistoryCandidate[] }
  /** Not in Xero: create it (open) or list it (closed). */
  | { action: 'none' };

const keyOf = (kind: InvoiceKind, id: number): string => `${kind}:${id}`;

function add(map: Map<string, HistoryCandidate[]>, key: string, c: HistoryCandidate): void {
  const list = map.get(key);
  if (list) list.push(c);
  else map.set(key, [c]);
}

/** Deleted invoices are gone for matching; voided ones still hold their number (Xero keeps it taken). */
export function indexHistory(candidates: readonly HistoryCandidate[]): HistoryIndex {
  const index: HistoryIndex = { byKey: new Map(), byNumber: new Map() };
  for (const c of candidates) {
    if (c.status.toUpperCase() === 'DELETED') continue;
    const ours = parseInvoiceReference(c.reference);
    if (ours) add(index.byKey, keyOf(ours.kind, ours.id), c);
    if (norm(c.invoiceNumber) !== '') add(index.byNumber, norm(c.invoiceNumber), c);
    // An accountant who keyed Bitrix's number into Reference (Xero's own sequence kept) is matched the same way.
    const reference = norm(c.reference);
    if (!ours && reference !== '' && reference !== norm(c.invoiceNumber)) add(index.byNumber, reference, c);
  }
  return index;
}

const sameMoney = (a: number, b: number): boolean => Math.abs(a - b) < 0.011;

function describe(c: HistoryCandidate): string {
  return `Xero invoice ${c.invoiceNumber ?? '(no number)'} (${c.invoiceID}, ${c.contactName ?? c.contactID ?? 'no contact'}, ` +
    `${c.currency} ${c.total.toFixed(2)}, ${c.status})`;
}

/**
 * Whether Xero already holds a Bitrix invoice of the history (issue 10 "match before create"), in this order:
 * 1. an invoice whose Reference carries our key (B24-SI-12): it is ours — linked;
 * 2. an invoice with the same number (InvoiceNumber, or Reference typed by hand) for the same contact, currency and
 *    total (to the cent): the same invoice entered in Xero by hand — linked, not created;
 * 3. the same number with other content, or several that fit: needs a person (the message names them); never a
 *    duplicate and never a guess.
 * `taken`: Xero invoice ids already linked to another Bitrix record, which are never linked twice.
 */
export function matchHistory(invoice: HistoryInvoice, index: HistoryIndex, taken: ReadonlySet<string>): HistoryMatch {
  const free = (c: HistoryCandidate): boolean => !taken.has(c.invoiceID.toLowerCase());
  const byKey = (index.byKey.get(keyOf(invoice.kind, invoice.id)) ?? []).filter(free);
  if (byKey.length >= 1) return { action: 'link', invoice: byKey[0]!, via: 'reference' };

  const number = norm(invoice.number);
  if (number === '' || number === String(invoice.id)) return { action: 'none' };
  const sameNumber = (index.byNumber.get(number) ?? []).filter((c) => !parseInvoiceReference(c.reference));
  if (sameNumber.length === 0) return { action: 'none' };
  const fits = sameNumber.filter((c) => free(c)
    && invoice.payerContactID !== null && c.contactID?.toLowerCase() === invoice.payerContactID.toLowerCase()
    && c.currency.toUpperCase() === invoice.currency.toUpperCase() && sameMoney(c.total, invoice.total));
  if (fits.length === 1) return { action: 'link', invoice: fits[0]!, via: 'number' };
  const what = `Bitrix ${invoice.kind === 'smart' ? 'smart invoice' : 'invoice'} ${invoice.id} (${invoice.number}, ${invoice.currency} ${invoice.total.toFixed(2)})`;
  const message = fits.length > 1
    ? `${what} fits ${fits.length} Xero invoices: ${fits.map(describe).join('; ')} — link the right one by setting its XML_ID, or void the duplicate in Xero`
    : `${what}: the number is taken in Xero by ${sameNumber.map(describe).join('; ')}, with other content — if it is the same invoice, ` +
      'set XML_ID in Bitrix to that InvoiceID; otherwise give the Bitrix invoice another number';
  return {
    action: 'needs_person',
    candidates: fits.length > 1 ? fits : sameNumber,
    error: { code: fits.length > 1 ? 'invoice_match_ambiguous' : 'invoice_number_taken', message, class: 'needs_person' },
  };
}
