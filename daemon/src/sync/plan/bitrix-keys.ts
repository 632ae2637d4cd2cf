import type { InvoiceKind } from '../../domain/invoice.ts';

/**
 * Keys that carry a Bitrix identity into Xero (ARCHITECTURE rule 3), so a lost link is found again instead of
 * duplicated. Prefixes follow Bitrix's own owner-type abbreviations: SI smart invoice, I legacy invoice, C contact,
 * CO company, P product.
 */
export const INVOICE_KEY_PREFIX: Readonly<Record<InvoiceKind, string>> = { smart: 'B24-SI-', legacy: 'B24-I-' };

export const contactNumberForPerson = (id: number): string => `B24-C-${id}`;
export const contactNumberForCompany = (id: number): string => `B24-CO-${id}`;
export const itemCodeForProduct = (id: number): string => `B24-P-${id}`;

export function invoiceKey(kind: InvoiceKind, id: number): string {
  return `${INVOICE_KEY_PREFIX[kind]}${id}`;
}

/** Xero's Reference field limit. */
const REFERENCE_MAX = 255;

/**
 * Reference of a pushed invoice: the key first, then the Bitrix number in brackets when there is one, e.g.
 * 'B24-SI-123 (INV-0042)'. The key alone identifies the invoice (numbers can be edited in Bitrix, keys cannot), so
 * find-before-create searches `Reference.StartsWith("B24-SI-123")` and confirms each hit with `parseInvoiceReference`
 * (which rejects 'B24-SI-1234').
 */
export function invoiceReference(kind: InvoiceKind, id: number, number: string): string {
  const key = invoiceKey(kind, id);
  const shown = number.replace(/\s+/g, ' ').trim();
  if (shown === '' || shown === String(id)) return key;
  const full = `${key} (${shown})`;
  return full.length <= REFERENCE_MAX ? full : `${full.slice(0, REFERENCE_MAX - 2)}…)`;
}

/** The Bitrix invoice a Xero Reference points at, or null when it is not one of ours. */
export function parseInvoiceReference(reference: string | null | undefined): { kind: InvoiceKind; id: number } | null {
  const match = /^B24-(SI|I)-(\d+)(?:\s|$)/.exec(reference?.trim() ?? '');
  if (!match?.[1] || !match[2]) return null;
  return { kind: match[1] === 'SI' ? 'smart' : 'legacy', id: Number(match[2]) };
}

/** The Bitrix contact or company a Xero ContactNumber points at, or null. */
export function parseContactNumber(contactNumber: string | null | undefined): { entity: 'contact' | 'company'; id: number } | null {
  const match = /^B24-(CO|C)-(\d+)$/.exec(contactNumber?.trim() ?? '');
  if (!match?.[1] || !match[2]) return null;
  return { entity: match[1] === 'CO' ? 'company' : 'contact', id: Number(match[2]) };
}
