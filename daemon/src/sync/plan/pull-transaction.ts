/**
 * The dashboard's copy of Xero's money movements (b_b24xero_transaction), planned from what Xero returned: pure, no
 * I/O. The shapes below are the fields the planner reads of xero-node's models (structural, so xero-node objects fit).
 *
 * What is kept, for linked Bitrix invoices and contacts only:
 * - `invoice`: an ACCREC invoice's balance (AMOUNT total, AMOUNT_DUE, DUE_DATE, STATUS) — outstanding/overdue totals;
 * - `payment`: a payment received against a linked invoice (INVOICE_XERO_ID) or from a linked contact;
 * - `credit_note`: an ACCRECCREDIT credit note (AMOUNT total, AMOUNT_DUE = remaining credit) and one row per allocation
 *   (XERO_ID = the allocation, INVOICE_XERO_ID = the invoice it settles, AMOUNT = what it settled);
 * - `bank_transaction`: RECEIVE money (also RECEIVE-OVERPAYMENT / RECEIVE-PREPAYMENT — Xero's overpayments and
 *   prepayments are bank transactions of those types) from a linked contact.
 */

export interface XeroRef { invoiceID?: string; contactID?: string; name?: string }

export interface XeroInvoiceLike {
  invoiceID?: string; type?: unknown; status?: unknown; contact?: XeroRef; reference?: string; invoiceNumber?: string;
  date?: string; dueDate?: string; total?: number; amountDue?: number; currencyCode?: unknown; updatedDateUTC?: Date | string;
}

export interface XeroPaymentLike {
  paymentID?: string; date?: string; amount?: number; reference?: string; status?: unknown; paymentType?: unknown;
  updatedDateUTC?: Date | string; invoice?: XeroInvoiceLike & { contact?: XeroRef }; creditNote?: { creditNoteID?: string };
}

export interface XeroAllocationLike { allocationID?: string; amount?: number; date?: string; invoice?: { invoiceID?: string } }

export interface XeroCreditNoteLike {
  creditNoteID?: string; creditNoteNumber?: string; type?: unknown; status?: unknown; contact?: XeroRef; reference?: string;
  date?: string; total?: number; remainingCredit?: number; currencyCode?: unknown; updatedDateUTC?: Date | string; allocations?: XeroAllocationLike[];
}

export interface XeroBankTransactionLike {
  bankTransactionID?: string; type?: unknown; status?: unknown; contact?: XeroRef; reference?: string; date?: string;
  total?: number; currencyCode?: unknown; updatedDateUTC?: Date | string; isReconciled?: boolean;
}

export type PlannedTxnType = 'invoice' | 'payment' | 'credit_note' | 'bank_transaction';

export interface PlannedTransaction {
  xeroType: PlannedTxnType;
  xeroId: string;
  invoiceXeroId: string | null;
  contactXeroId: string | null;
  contactName: string | null;
  reference: string | null;
  /** YYYY-MM-DD. */
  txnDate: string | null;
  dueDate: string | null;
  amount: number;
  amountDue: number | null;
  currency: string;
  status: string;
  updatedUtc: Date | null;
}

/** What the planner needs to know of the links: which Xero invoices and contacts are ours (lower-case ids). */
export interface LinkedIds { invoices: ReadonlySet<string>; contacts: ReadonlySet<string> }

export const RECEIVE_TYPES = ['RECEIVE', 'RECEIVE-OVERPAYMENT', 'RECEIVE-PREPAYMENT'] as const;

const lower = (id: string | undefined): string | null => (id ? id.toLowerCase() : null);
const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

/** Xero's dates come as ISO ('2026-12-04T00:00:00') or as /Date(1764806400000+0000)/. */
export function xeroDay(value: string | undefined): string | null {
  const d = xeroTime(value);
  return d ? d.toISOString().slice(0, 10) : null;
}

export function xeroTime(value: Date | string | undefined): Date | null {
  if (!value) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  const ms = /\/Date\((-?\d+)/.exec(value);
  const d = ms ? new Date(Number(ms[1])) : new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`);
  return Number.isNaN(d.getTime()) ? null : d;
}

const money = (v: number | undefined): number => Math.round(Number(v ?? 0) * 10_000) / 10_000;

export function planInvoiceBalance(inv: XeroInvoiceLike, linked: LinkedIds): PlannedTransaction | null {
  const id = lower(inv.invoiceID);
  if (!id || !linked.invoices.has(id) || str(inv.type) !== 'ACCREC') return null;
  return {
    xeroType: 'invoice', xeroId: id, invoiceXeroId: id, contactXeroId: lower(inv.contact?.contactID), contactName: inv.contact?.name ?? null,
    reference: inv.invoiceNumber ?? inv.reference ?? null, txnDate: xeroDay(inv.date), dueDate: xeroDay(inv.dueDate),
    amount: money(inv.total), amountDue: money(inv.amountDue), currency: str(inv.currencyCode), status: str(inv.status),
    updatedUtc: xeroTime(inv.updatedDateUTC),
  };
}

export function planPayment(p: XeroPaymentLike, linked: LinkedIds): PlannedTransaction | null {
  const id = lower(p.paymentID);
  const invoiceId = lower(p.invoice?.invoiceID);
  const contactId = lower(p.invoice?.contact?.contactID);
  if (!id || (p.invoice?.type !== undefined && str(p.invoice.type) !== 'ACCREC')) return null;
  if (!(invoiceId && linked.invoices.has(invoiceId)) && !(contactId && linked.contacts.has(contactId))) return null;
  return {
    xeroType: 'payment', xeroId: id, invoiceXeroId: invoiceId, contactXeroId: contactId, contactName: p.invoice?.contact?.name ?? null,
    reference: p.reference ?? null, txnDate: xeroDay(p.date), dueDate: null, amount: money(p.amount), amountDue: null,
    currency: str(p.invoice?.currencyCode), status: str(p.status) || 'AUTHORISED', updatedUtc: xeroTime(p.updatedDateUTC),
  };
}

/** The credit note itself and one row per allocation; an allocation to an invoice that is not ours still counts for a linked contact. */
export function planCreditNote(c: XeroCreditNoteLike, linked: LinkedIds): PlannedTransaction[] {
  const id = lower(c.creditNoteID);
  const contactId = lower(c.contact?.contactID);
  if (!id || str(c.type) !== 'ACCRECCREDIT') return [];
  const allocations = (c.allocations ?? []).filter((a) => a.invoice?.invoiceID);
  const ours = (contactId !== null && linked.contacts.has(contactId)) || allocations.some((a) => linked.invoices.has(a.invoice!.invoiceID!.toLowerCase()));
  if (!ours) return [];
  const base = {
    contactXeroId: contactId, contactName: c.contact?.name ?? null, currency: str(c.currencyCode), status: str(c.status),
    updatedUtc: xeroTime(c.updatedDateUTC), dueDate: null,
  };
  const only = allocations.length === 1 ? allocations[0]!.invoice!.invoiceID!.toLowerCase() : null;
  const rows: PlannedTransaction[] = [{
    ...base, xeroType: 'credit_note', xeroId: id, invoiceXeroId: only, reference: c.creditNoteNumber ?? c.reference ?? null,
    txnDate: xeroDay(c.date), amount: money(c.total), amountDue: money(c.remainingCredit),
  }];
  // With a single allocation the credit note row already names its invoice; more than one gets a row each.
  if (allocations.length > 1) {
    for (const [i, a] of allocations.entries()) {
      rows.push({
        ...base, xeroType: 'credit_note', xeroId: lower(a.allocationID) ?? `${id.slice(0, 33)}-${String(i).padStart(2, '0')}`,
        invoiceXeroId: a.invoice!.invoiceID!.toLowerCase(), reference: c.creditNoteNumber ?? null, txnDate: xeroDay(a.date) ?? xeroDay(c.date),
        amount: money(a.amount), amountDue: null,
      });
    }
  }
  return rows;
}

export function planBankTransaction(b: XeroBankTransactionLike, linked: LinkedIds): PlannedTransaction | null {
  const id = lower(b.bankTransactionID);
  const contactId = lower(b.contact?.contactID);
  if (!id || !contactId || !linked.contacts.has(contactId) || !(RECEIVE_TYPES as readonly string[]).includes(str(b.type))) return null;
  return {
    xeroType: 'bank_transaction', xeroId: id, invoiceXeroId: null, contactXeroId: contactId, contactName: b.contact?.name ?? null,
    reference: b.reference ?? null, txnDate: xeroDay(b.date), dueDate: null, amount: money(b.total), amountDue: null,
    currency: str(b.currencyCode), status: str(b.status), updatedUtc: xeroTime(b.updatedDateUTC),
  };
}

/** The ids a page refers to, to ask the link table once per page which are ours. */
export function referencedIds(page: { invoices?: XeroInvoiceLike[]; payments?: XeroPaymentLike[]; creditNotes?: XeroCreditNoteLike[]; bank?: XeroBankTransactionLike[] }): { invoices: string[]; contacts: string[] } {
  const invoices = new Set<string>();
  const contacts = new Set<string>();
  const add = (set: Set<string>, id: string | undefined) => { if (id) set.add(id.toLowerCase()); };
  for (const i of page.invoices ?? []) { add(invoices, i.invoiceID); add(contacts, i.contact?.contactID); }
  for (const p of page.payments ?? []) { add(invoices, p.invoice?.invoiceID); add(contacts, p.invoice?.contact?.contactID); }
  for (const c of page.creditNotes ?? []) {
    add(contacts, c.contact?.contactID);
    for (const a of c.allocations ?? []) add(invoices, a.invoice?.invoiceID);
  }
  for (const b of page.bank ?? []) add(contacts, b.contact?.contactID);
  return { invoices: [...invoices], contacts: [...contacts] };
}
