/**
 * Invoices and credit notes: creation, subset updates and the status lifecycle, with Xero's error texts
 * (reference §4.2–4.5). Both are "documents" with lines, totals, payments and allocations; the differences live in
 * DocSpec.
 */
import { Problems } from './batch.ts';
import type { Books } from './books.ts';
import { longDay, parseDay } from './dates.ts';
import { ElementError } from './errors.ts';
import { INDEX, norm } from './indexes.ts';
import { array, bool, field, has, object, text, type Json } from './input.ts';
import { buildLine, lineSignature, totalsOf } from './lines.ts';
import { round2, sum2, toNumber } from './money.ts';
import { markContactRole, resolveDocumentContact } from './resources/contacts.ts';
import type { ContactRec, CurrencyRec, DocStatus, DocumentRec, LineAmountTypes } from './types.ts';

export interface DocSpec {
  kind: DocumentRec['Kind'];
  collection: 'invoices' | 'creditNotes';
  /** Model name for where-clause errors and the noun in messages. */
  typeName: 'Invoice' | 'CreditNote';
  noun: 'Invoice' | 'Credit Note';
  idField: 'InvoiceID' | 'CreditNoteID';
  numberField: 'InvoiceNumber' | 'CreditNoteNumber';
  salesType: 'ACCREC' | 'ACCRECCREDIT';
  purchaseType: 'ACCPAY' | 'ACCPAYCREDIT';
}

export const INVOICE: DocSpec = {
  kind: 'INVOICE', collection: 'invoices', typeName: 'Invoice', noun: 'Invoice', idField: 'InvoiceID',
  numberField: 'InvoiceNumber', salesType: 'ACCREC', purchaseType: 'ACCPAY',
};

export const CREDIT_NOTE: DocSpec = {
  kind: 'CREDITNOTE', collection: 'creditNotes', typeName: 'CreditNote', noun: 'Credit Note', idField: 'CreditNoteID',
  numberField: 'CreditNoteNumber', salesType: 'ACCRECCREDIT', purchaseType: 'ACCPAYCREDIT',
};

export const docMsg = {
  notModifiable: (spec: DocSpec) => `${spec.noun} not of valid status for modification`,
  notCreatable: (spec: DocSpec) => `${spec.noun} not of valid status for creation`,
  badType: (spec: DocSpec) => `${spec.noun} not of valid type for creation`,
  allocated: 'This document cannot be edited as it has a payment or credit note allocated to it.',
  statusWithPayments: (status: string) =>
    `The status ${status} cannot be applied to the invoice because it has payments or credit notes allocated to it.`,
  numberTaken: (spec: DocSpec) => (spec.kind === 'INVOICE' ? 'Invoice # must be unique.' : 'Credit Note # must be unique.'),
  currency: (code: string) => `Organisation is not subscribed to currency ${code}`,
  periodLock: (day: string) => `The document date cannot be before the period lock date of ${longDay(day)}`,
  endOfYearLock: (day: string) => `The document date cannot be before the end of year lock date of ${longDay(day)}`,
  badDate: (name: string) => `${name} is not a valid date.`,
  noLines: 'One or more line items must be specified',
};

const APPROVED: readonly DocStatus[] = ['AUTHORISED', 'PAID', 'VOIDED'];
const LINE_AMOUNT_TYPES: readonly LineAmountTypes[] = ['Exclusive', 'Inclusive', 'NoTax'];

/** Indicative rates against the base currency when a client sends none (Xero would use XE's daily rate). */
const USD_PER_UNIT: Record<string, number> = { USD: 1, NZD: 0.6, AUD: 0.66, GBP: 1.27, EUR: 1.09, CAD: 0.74 };

export function findDocument(books: Books, spec: DocSpec, idOrNumber: string): DocumentRec | undefined {
  const byId = books.store.get<DocumentRec>(spec.collection, idOrNumber.toLowerCase());
  if (byId) return byId;
  const byNumber = bySalesNumber(books, spec, idOrNumber);
  return byNumber.find((d) => d.Status !== 'DELETED') ?? byNumber[0];
}

function bySalesNumber(books: Books, spec: DocSpec, number: string): DocumentRec[] {
  return books.store.lookup<DocumentRec>(spec.collection, INDEX.salesNumber, norm(number));
}

export interface SaveOptions {
  unitdp: 2 | 4;
  /** PUT: never matches an existing document. */
  createOnly: boolean;
  /** Admin edits act as a Xero user (lines of an AUTHORISED invoice with no payments, dates…). */
  asUser?: boolean;
}

/** Matches the element of a POST to an existing document: by id, else (sales documents) by number. */
export function matchDocument(books: Books, spec: DocSpec, input: Json, createOnly: boolean): DocumentRec | undefined {
  const id = text(input, spec.idField);
  if (id) {
    const found = books.store.get<DocumentRec>(spec.collection, id.toLowerCase());
    if (found && createOnly) throw new ElementError([`${spec.noun} with ${spec.idField} ${id} already exists.`]);
    if (!found) throw new ElementError([`${spec.noun} with ${spec.idField} ${id} could not be found.`]);
    return found;
  }
  if (createOnly) return undefined;
  const number = text(input, spec.numberField);
  const type = text(input, 'Type')?.toUpperCase();
  if (!number || (type !== undefined && type !== spec.salesType)) return undefined;
  return bySalesNumber(books, spec, number).find((d) => d.Status !== 'DELETED');
}

/** Creates (existing undefined) or updates a document from request JSON. Throws ElementError with all problems. */
export function saveDocument(books: Books, spec: DocSpec, input: Json, existing: DocumentRec | undefined, opts: SaveOptions): DocumentRec {
  return existing ? updateDocument(books, spec, input, existing, opts) : createDocument(books, spec, input, opts);
}

function createDocument(books: Books, spec: DocSpec, input: Json, opts: SaveOptions): DocumentRec {
  const problems = new Problems();
  const type = text(input, 'Type')?.toUpperCase();
  if (type !== spec.salesType && type !== spec.purchaseType) {
    problems.add(docMsg.badType(spec));
    problems.throwIfAny();
  }
  const docType = type as DocumentRec['Type'];
  // Checked in the order live Xero reports them (pyxero's recorded response: lines, status, contact).
  if ((array(input, 'LineItems') ?? []).length === 0) problems.add(docMsg.noLines);
  const status = (text(input, 'Status')?.toUpperCase() ?? 'DRAFT') as DocStatus;
  if (!['DRAFT', 'SUBMITTED', 'AUTHORISED'].includes(status)) problems.add(docMsg.notCreatable(spec));
  const contact = resolveDocumentContact(books, object(input, 'Contact'), problems);
  const fields = readCommonFields(input, problems);
  const currency = fields.CurrencyCode ?? books.settings.baseCurrency;
  checkCurrency(books, currency, problems);
  const lineAmountTypes = fields.LineAmountTypes ?? 'Exclusive';
  const lines = (array(input, 'LineItems') ?? []).map((l) => buildLine({
    books, side: isSales(spec, docType) ? 'SALES' : 'PURCHASES', lineAmountTypes, unitdp: opts.unitdp,
    requireAccount: status === 'AUTHORISED', problems,
  }, l, new Set()));
  const date = fields.Date ?? books.today();
  if (APPROVED.includes(status)) checkLockDates(books, date, problems);

  let number = text(input, spec.numberField) ?? '';
  if (isSales(spec, docType)) {
    if (number && numberTaken(books, spec, number, undefined)) problems.add(docMsg.numberTaken(spec));
  }
  problems.throwIfAny();
  if (isSales(spec, docType) && !number) number = nextNumber(books, spec);

  const totals = totalsOf(lines, lineAmountTypes);
  const now = books.nowIso();
  let record: DocumentRec = {
    ID: books.newId(),
    Kind: spec.kind,
    Type: docType,
    Number: number,
    ...(fields.Reference ? { Reference: fields.Reference } : {}),
    ContactID: (contact as ContactRec).ContactID,
    Date: date,
    ...(fields.DueDate ? { DueDate: fields.DueDate } : {}),
    ...(fields.ExpectedPaymentDate ? { ExpectedPaymentDate: fields.ExpectedPaymentDate } : {}),
    ...(fields.PlannedPaymentDate ? { PlannedPaymentDate: fields.PlannedPaymentDate } : {}),
    LineAmountTypes: lineAmountTypes,
    Status: status,
    CurrencyCode: currency,
    CurrencyRate: fields.CurrencyRate ?? defaultRate(books, currency),
    // SentToContact "can be set only on invoices that have been approved" (reference §4.1); ignored on drafts.
    SentToContact: APPROVED.includes(status) ? fields.SentToContact ?? false : false,
    ...(fields.Url ? { Url: fields.Url } : {}),
    ...(fields.BrandingThemeID ? { BrandingThemeID: fields.BrandingThemeID } : {}),
    LineItems: lines,
    ...totals,
    AmountPaid: 0,
    AmountCredited: 0,
    AmountDue: totals.Total,
    Payments: [],
    Credits: [],
    UpdatedDateUTC: now,
  };
  record = settle(record);
  books.store.put(spec.collection, record.ID, record);
  markContactRole(books, contact as ContactRec, isSales(spec, docType) ? 'IsCustomer' : 'IsSupplier');
  documentChanged(books, record, 'CREATE');
  return record;
}

function updateDocument(books: Books, spec: DocSpec, input: Json, existing: DocumentRec, opts: SaveOptions): DocumentRec {
  const problems = new Problems();
  const current = existing.Status;
  const requested = (text(input, 'Status')?.toUpperCase() ?? current) as DocStatus;
  const fields = readCommonFields(input, problems);
  const contactInput = object(input, 'Contact');
  let contact: ContactRec | undefined;
  if (contactInput) {
    const contactId = text(contactInput, 'ContactID')?.toLowerCase();
    contact = contactId === existing.ContactID
      ? books.store.get<ContactRec>('contacts', existing.ContactID)
      : resolveDocumentContact(books, contactInput, problems);
  }
  const lineAmountTypes = fields.LineAmountTypes ?? existing.LineAmountTypes;
  const linesInput = array(input, 'LineItems');
  const existingIds = new Set(existing.LineItems.map((l) => l.LineItemID));
  const approvedAfter = requested === 'AUTHORISED' || (requested === current && APPROVED.includes(current));
  const rebuilt = linesInput
    ? linesInput.map((l) => buildLine({
      books, side: isSales(spec, existing.Type) ? 'SALES' : 'PURCHASES', lineAmountTypes, unitdp: opts.unitdp,
      requireAccount: approvedAfter, problems,
    }, l, existingIds))
    : lineAmountTypes !== existing.LineAmountTypes
      ? existing.LineItems.map((l) => buildLine({
        books, side: isSales(spec, existing.Type) ? 'SALES' : 'PURCHASES', lineAmountTypes, unitdp: 4,
        requireAccount: approvedAfter, problems,
      }, { ...l, TaxAmount: undefined } as unknown as Json, existingIds))
      : existing.LineItems;
  // Lines re-sent unchanged (a client echoing its own data without LineItemIDs) are not an edit: keep the stored ones.
  const lines = lineSignature(rebuilt) === lineSignature(existing.LineItems) ? existing.LineItems : rebuilt;
  // Approving a draft whose lines lack accounts must fail as it would in Xero, even when the lines are not resent.
  if (!linesInput && requested === 'AUTHORISED' && current !== 'AUTHORISED') {
    for (const l of existing.LineItems) {
      if (!l.AccountCode && (l.Quantity !== undefined || l.UnitAmount !== undefined)) problems.add('Account code or ID must be specified');
    }
  }
  const currency = fields.CurrencyCode ?? existing.CurrencyCode;
  if (fields.CurrencyCode) checkCurrency(books, currency, problems);
  let number = existing.Number;
  const sentNumber = text(input, spec.numberField);
  if (sentNumber !== undefined && sentNumber !== existing.Number) {
    if (isSales(spec, existing.Type) && numberTaken(books, spec, sentNumber, existing.ID)) problems.add(docMsg.numberTaken(spec));
    number = sentNumber;
  }
  problems.throwIfAny();

  const totals = totalsOf(lines, lineAmountTypes);
  const next: DocumentRec = {
    ...existing,
    Number: number || existing.Number,
    Reference: fields.Reference !== undefined ? fields.Reference : existing.Reference,
    ContactID: contact?.ContactID ?? existing.ContactID,
    Date: fields.Date ?? existing.Date,
    DueDate: fields.DueDate ?? existing.DueDate,
    ExpectedPaymentDate: fields.ExpectedPaymentDate ?? existing.ExpectedPaymentDate,
    PlannedPaymentDate: fields.PlannedPaymentDate ?? existing.PlannedPaymentDate,
    LineAmountTypes: lineAmountTypes,
    CurrencyCode: currency,
    CurrencyRate: fields.CurrencyRate ?? (fields.CurrencyCode && fields.CurrencyCode !== existing.CurrencyCode
      ? defaultRate(books, currency) : existing.CurrencyRate),
    Url: fields.Url ?? existing.Url,
    BrandingThemeID: fields.BrandingThemeID ?? existing.BrandingThemeID,
    LineItems: lines,
    ...totals,
    Status: requested,
    SentToContact: fields.SentToContact ?? existing.SentToContact,
  };
  if (next.Reference === '') delete next.Reference;

  const financial = lineSignature(lines) !== lineSignature(existing.LineItems) || next.ContactID !== existing.ContactID ||
    next.Date !== existing.Date || next.CurrencyCode !== existing.CurrencyCode ||
    next.LineAmountTypes !== existing.LineAmountTypes || next.CurrencyRate !== existing.CurrencyRate;
  const statusChange = requested !== current;
  const anyChange = financial || statusChange || JSON.stringify({ ...next, UpdatedDateUTC: '' }) !==
    JSON.stringify({ ...existing, UpdatedDateUTC: '' });
  if (!anyChange) return existing;

  const applied = round2(existing.AmountPaid + existing.AmountCredited);
  const failures = new Problems();
  if (current === 'DELETED' || current === 'VOIDED') failures.add(docMsg.notModifiable(spec));
  else if (statusChange) checkTransition(spec, current, requested, applied, failures);
  if (!failures.any && financial && applied > 0) failures.add(docMsg.allocated);
  if (!failures.any && next.SentToContact && !existing.SentToContact && !APPROVED.includes(requested)) {
    next.SentToContact = false; // only approved documents can be marked sent; silently kept false like Xero
  }
  // Nothing about an approved document may change inside a locked period (reference §4.2); drafts are free
  // (peers.md §8). Marking it sent is not an edit of the books, so it stays possible.
  const onlyMarkedSent = !financial && !statusChange &&
    JSON.stringify({ ...next, SentToContact: existing.SentToContact, UpdatedDateUTC: '' }) === JSON.stringify({ ...existing, UpdatedDateUTC: '' });
  if (!failures.any && (APPROVED.includes(requested) || APPROVED.includes(current)) && !onlyMarkedSent) {
    checkLockDates(books, existing.Date, failures);
    if (next.Date !== existing.Date) checkLockDates(books, next.Date, failures);
  }
  failures.throwIfAny();

  let record: DocumentRec = { ...next, UpdatedDateUTC: books.nowIso() };
  if (record.Status === 'VOIDED' || record.Status === 'DELETED') record.AmountDue = 0;
  else record = settle({ ...record, AmountDue: round2(record.Total - record.AmountPaid - record.AmountCredited) });
  books.store.put(spec.collection, record.ID, record);
  if (contact) markContactRole(books, contact, isSales(spec, record.Type) ? 'IsCustomer' : 'IsSupplier');
  documentChanged(books, record, 'UPDATE');
  return record;
}

/** Queues the webhook event for a changed invoice or credit note (credit note events carry its Type and Status). */
export function documentChanged(books: Books, doc: DocumentRec, type: 'CREATE' | 'UPDATE'): void {
  books.changed(doc.Kind, type, doc.ID, doc.Kind === 'CREDITNOTE' ? { Type: doc.Type, Status: doc.Status } : undefined);
}

/** Status transitions a client may request (reference §4.2). */
function checkTransition(spec: DocSpec, from: DocStatus, to: DocStatus, applied: number, problems: Problems): void {
  const ok: Record<DocStatus, readonly DocStatus[]> = {
    DRAFT: ['SUBMITTED', 'AUTHORISED', 'DELETED'],
    SUBMITTED: ['DRAFT', 'AUTHORISED', 'DELETED'],
    // Un-approving is allowed only while nothing is paid or credited (the "status … cannot be applied" rule).
    AUTHORISED: ['DRAFT', 'SUBMITTED', 'VOIDED'],
    PAID: [],
    VOIDED: [],
    DELETED: [],
  };
  if (applied > 0 && (to === 'DRAFT' || to === 'SUBMITTED' || (to === 'AUTHORISED' && from === 'PAID'))) {
    problems.add(docMsg.statusWithPayments(to));
  } else if (applied > 0 && to === 'VOIDED' && from === 'AUTHORISED') {
    // Part-paid: the allocation is what blocks it. Fully paid documents are simply past modification.
    problems.add(docMsg.allocated);
  } else if (!ok[from].includes(to)) {
    problems.add(docMsg.notModifiable(spec));
  }
}

interface CommonFields {
  Reference?: string;
  Date?: string;
  DueDate?: string;
  ExpectedPaymentDate?: string;
  PlannedPaymentDate?: string;
  LineAmountTypes?: LineAmountTypes;
  CurrencyCode?: string;
  CurrencyRate?: number;
  SentToContact?: boolean;
  Url?: string;
  BrandingThemeID?: string;
}

/** Writable header fields; read-only fields a client echoes back (totals, UpdatedDateUTC…) are ignored. */
function readCommonFields(input: Json, problems: Problems): CommonFields {
  const out: CommonFields = {};
  const lines = field(input, 'LineItems');
  if (lines !== undefined && lines !== null && !Array.isArray(lines)) problems.add('LineItems must be a list of line items.');
  const day = (name: keyof CommonFields & string) => {
    const raw = field(input, name);
    if (raw === undefined || raw === null || raw === '') return undefined;
    const parsed = parseDay(raw);
    if (!parsed) problems.add(docMsg.badDate(name));
    return parsed;
  };
  if (has(input, 'Reference')) out.Reference = text(input, 'Reference') ?? '';
  out.Date = day('Date');
  out.DueDate = day('DueDate');
  out.ExpectedPaymentDate = day('ExpectedPaymentDate');
  out.PlannedPaymentDate = day('PlannedPaymentDate');
  const lat = text(input, 'LineAmountTypes');
  if (lat !== undefined) {
    const match = LINE_AMOUNT_TYPES.find((t) => t.toLowerCase() === lat.toLowerCase());
    if (match) out.LineAmountTypes = match;
    else problems.add(`LineAmountTypes '${lat}' is not valid. Use Exclusive, Inclusive or NoTax.`);
  }
  const currency = text(input, 'CurrencyCode')?.toUpperCase();
  if (currency) out.CurrencyCode = currency;
  const rate = toNumber(field(input, 'CurrencyRate'));
  if (rate !== undefined && rate > 0) out.CurrencyRate = rate;
  const sent = bool(input, 'SentToContact');
  if (sent !== undefined) out.SentToContact = sent;
  const url = text(input, 'Url');
  if (url) out.Url = url;
  const theme = text(input, 'BrandingThemeID');
  if (theme) out.BrandingThemeID = theme;
  return out;
}

function checkCurrency(books: Books, code: string, problems: Problems): void {
  if (!books.store.get<CurrencyRec>('currencies', code)) problems.add(docMsg.currency(code));
}

/** Lock dates: the period lock date and the end-of-year lock date; the later one is reported. */
export function checkLockDates(books: Books, date: string, problems: Problems): void {
  const { periodLockDate, endOfYearLockDate } = books.settings;
  if (periodLockDate && date <= periodLockDate && (!endOfYearLockDate || periodLockDate >= endOfYearLockDate)) {
    problems.add(docMsg.periodLock(periodLockDate));
  } else if (endOfYearLockDate && date <= endOfYearLockDate) {
    problems.add(docMsg.endOfYearLock(endOfYearLockDate));
  } else if (periodLockDate && date <= periodLockDate) {
    problems.add(docMsg.periodLock(periodLockDate));
  }
}

function defaultRate(books: Books, currency: string): number {
  const base = books.settings.baseCurrency;
  if (currency === base) return 1;
  const from = USD_PER_UNIT[base];
  const to = USD_PER_UNIT[currency];
  return from && to ? Number((from / to).toFixed(6)) : 1;
}

function isSales(spec: DocSpec, type: DocumentRec['Type']): boolean {
  return type === spec.salesType;
}

function numberTaken(books: Books, spec: DocSpec, number: string, exceptId: string | undefined): boolean {
  return bySalesNumber(books, spec, number).some((d) => d.ID !== exceptId && d.Status !== 'DELETED');
}

/** Next free number in the org's sequence (INV-0001, CN-0001…), skipping numbers clients have used. */
function nextNumber(books: Books, spec: DocSpec): string {
  const isInvoice = spec.kind === 'INVOICE';
  const prefix = isInvoice ? books.settings.invoicePrefix : books.settings.creditNotePrefix;
  let n = isInvoice ? books.settings.nextInvoiceNumber : books.settings.nextCreditNoteNumber;
  let candidate = `${prefix}${String(n).padStart(4, '0')}`;
  while (numberTaken(books, spec, candidate, undefined)) candidate = `${prefix}${String(++n).padStart(4, '0')}`;
  books.updateSettings(isInvoice ? { nextInvoiceNumber: n + 1 } : { nextCreditNoteNumber: n + 1 });
  return candidate;
}

/**
 * Recomputes the money owed after payments/allocations change and moves AUTHORISED ⇄ PAID: PAID (with
 * FullyPaidOnDate = the latest payment or allocation date) when nothing is due, back to AUTHORISED when a payment goes.
 */
export function settle(doc: DocumentRec): DocumentRec {
  const paid = sum2(doc.Payments.map((p) => p.Amount));
  const credited = sum2(doc.Credits.map((c) => c.AppliedAmount));
  const due = round2(doc.Total - paid - credited);
  const next: DocumentRec = { ...doc, AmountPaid: paid, AmountCredited: credited, AmountDue: due };
  if ((next.Status === 'AUTHORISED' || next.Status === 'PAID') && due <= 0) {
    next.Status = 'PAID';
    const dates = [...doc.Payments.map((p) => p.Date), ...doc.Credits.map((c) => c.Date)].sort();
    next.FullyPaidOnDate = dates[dates.length - 1] ?? doc.Date;
  } else {
    if (next.Status === 'PAID') next.Status = 'AUTHORISED';
    delete next.FullyPaidOnDate;
  }
  return next;
}
