import type { OrgTaxRate } from './org-context.ts';
import { xeroDate, type XeroInvoiceLike } from './xero-projection.ts';

/**
 * What of an invoice's content can be edited on either side (issue 7 item 3): its lines, dates, reference and amount
 * type — normalised so that Xero's copy and a planned payload compare equal when they say the same thing.
 */
export interface ContentLine {
  description: string;
  quantity: number;
  unitAmount: number;
  discountRate: number | null;
  discountAmount: number | null;
  taxType: string | null;
  itemCode: string | null;
}

export interface XeroInvoiceContent {
  /** The payer's ContactID (lower case) and the currency: not editable through set_invoice_content, but compared. */
  contactID: string | null;
  currency: string | null;
  lineAmountTypes: string;
  date: string | null;
  dueDate: string | null;
  reference: string | null;
  lines: ContentLine[];
}

const num = (v: unknown): number => Math.round(Number(v ?? 0) * 10_000) / 10_000;
const opt = (v: unknown): number | null => (v === undefined || v === null || Number(v) === 0 ? null : num(v));
const str = (v: unknown): string | null => {
  const s = String(v ?? '').trim();
  return s === '' ? null : s;
};

/** The content of a Xero invoice, or of a planned payload (the same fields); null when it carries no lines. */
export function invoiceContentOf(x: XeroInvoiceLike): XeroInvoiceContent | null {
  if (!x.lineItems) return null;
  return {
    contactID: str(x.contact?.contactID)?.toLowerCase() ?? null,
    currency: str(x.currencyCode)?.toUpperCase() ?? null,
    lineAmountTypes: String(x.lineAmountTypes ?? 'Exclusive'),
    date: xeroDate(x.date) ?? null,
    dueDate: xeroDate(x.dueDate) ?? null,
    reference: str(x.reference),
    lines: x.lineItems.map((l) => ({
      description: String(l.description ?? '').trim(), quantity: num(l.quantity), unitAmount: num(l.unitAmount),
      discountRate: opt(l.discountRate), discountAmount: opt(l.discountAmount), taxType: str(l.taxType), itemCode: str(l.itemCode),
    })),
  };
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Equal lines, dates and amount type (the reference is compared apart: it also carries our key). */
export function sameContent(a: XeroInvoiceContent, b: XeroInvoiceContent): boolean {
  return same({ ...a, reference: null }, { ...b, reference: null });
}

/** A Bitrix product row as sql/inbox common.schema.json#/$defs/productRow spells it. */
export interface ContentRow {
  productId: number;
  name: string;
  price: number;
  quantity: number;
  discountType: 'none' | 'amount' | 'percent';
  discountRate: number;
  discountSum: number;
  taxRate: number;
  taxIncluded: boolean;
  measureName: string | null;
  sort: number;
  xeroItemCode: string | null;
}

export type InvoiceContentChange =
  | { ok: true; fields: { issueDate?: string; dueDate?: string; reference?: string | null }; rows: ContentRow[] | null }
  | { ok: false; message: string };

/**
 * What Xero changed since `base`, as the set_invoice_content payload wants it: the dates and reference that differ,
 * and — when any line differs — every line as a Bitrix product row (price before discount in the basis the amount
 * type says, the tax rate from the organisation's tax types, the product from the Item it names).
 */
export function invoiceContentChange(
  base: XeroInvoiceContent, now: XeroInvoiceContent, ctx: { taxRates: readonly OrgTaxRate[]; productOfItem: (code: string) => number | null },
): InvoiceContentChange {
  const fields: { issueDate?: string; dueDate?: string; reference?: string | null } = {};
  if (now.date && now.date !== base.date) fields.issueDate = now.date;
  if (now.dueDate && now.dueDate !== base.dueDate) fields.dueDate = now.dueDate;
  if (now.reference !== base.reference) fields.reference = now.reference === null ? null : now.reference.slice(0, 255);
  if (same(now.lines, base.lines) && now.lineAmountTypes === base.lineAmountTypes) return { ok: true, fields, rows: null };
  const included = now.lineAmountTypes.toUpperCase() === 'INCLUSIVE';
  const rows: ContentRow[] = [];
  for (const [i, line] of now.lines.entries()) {
    let taxRate = 0;
    if (line.taxType && now.lineAmountTypes.toUpperCase() !== 'NOTAX') {
      const rate = ctx.taxRates.find((t) => t.taxType === line.taxType);
      if (!rate) return { ok: false, message: `line ${i + 1} ("${line.description}") has Xero tax type ${line.taxType}, which the organisation's stored tax rates do not list` };
      taxRate = rate.effectiveRate;
    }
    const percent = line.discountRate !== null;
    const amount = !percent && line.discountAmount !== null;
    rows.push({
      productId: line.itemCode ? ctx.productOfItem(line.itemCode) ?? 0 : 0,
      name: (line.description || `Line ${i + 1}`).slice(0, 255),
      price: line.unitAmount,
      quantity: line.quantity > 0 ? line.quantity : 1,
      discountType: percent ? 'percent' : amount ? 'amount' : 'none',
      discountRate: percent ? line.discountRate! : 0,
      discountSum: percent ? num((line.unitAmount * line.discountRate!) / 100) : amount ? num(line.discountAmount! / (line.quantity || 1)) : 0,
      taxRate, taxIncluded: included, measureName: null, sort: (i + 1) * 10, xeroItemCode: line.itemCode,
    });
  }
  return { ok: true, fields, rows };
}
