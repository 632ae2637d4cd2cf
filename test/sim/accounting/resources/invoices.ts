/** /Invoices: list/get, PUT create, POST create-or-update, POST /{id}, Email, OnlineInvoice. */
import type { AccountingRequest, AccountingResponse } from '../../contract.ts';
import { writeBatch, writeSingle } from '../batch.ts';
import type { Books } from '../books.ts';
import { dayString, instantString, msDateOfDay, msDateOfInstant } from '../dates.ts';
import { findDocument, INVOICE, matchDocument, saveDocument } from '../documents.ts';
import { envelope } from '../envelope.ts';
import { notFound, singleValidationError } from '../errors.ts';
import { compact, type Json } from '../input.ts';
import { lineView } from '../lines.ts';
import { boolParam, listParam, listQuery, param, unitDp } from '../query.ts';
import type { ContactRec, DocumentRec } from '../types.ts';
import { contactRefView } from './contacts.ts';

export function invoiceFields(books: Books, d: DocumentRec): Json {
  const contact = books.store.get<ContactRec>('contacts', d.ContactID);
  return {
    Type: d.Type, InvoiceID: d.ID, InvoiceNumber: d.Number, Reference: d.Reference ?? null,
    Contact: { ContactID: d.ContactID, Name: contact?.Name ?? null, ContactNumber: contact?.ContactNumber ?? null,
      ContactStatus: contact?.ContactStatus ?? null },
    Date: d.Date, DueDate: d.DueDate ?? null, Status: d.Status, LineAmountTypes: d.LineAmountTypes,
    SubTotal: d.SubTotal, TotalTax: d.TotalTax, Total: d.Total, TotalDiscount: d.TotalDiscount,
    AmountDue: d.AmountDue, AmountPaid: d.AmountPaid, AmountCredited: d.AmountCredited,
    CurrencyCode: d.CurrencyCode, CurrencyRate: d.CurrencyRate, UpdatedDateUTC: d.UpdatedDateUTC,
    FullyPaidOnDate: d.FullyPaidOnDate ?? null, SentToContact: d.SentToContact, HasAttachments: false,
    IsDiscounted: d.TotalDiscount > 0, ExpectedPaymentDate: d.ExpectedPaymentDate ?? null,
    PlannedPaymentDate: d.PlannedPaymentDate ?? null, BrandingThemeID: d.BrandingThemeID ?? null, Url: d.Url ?? null,
  };
}

export type Detail = 'full' | 'list' | 'summary';

/** An invoice as the API returns it. 'list' drops line items (GET /Invoices without page), 'summary' is summaryOnly. */
export function invoiceView(books: Books, d: DocumentRec, unitdp: 2 | 4, detail: Detail = 'full'): Json {
  const contact = books.store.get<ContactRec>('contacts', d.ContactID);
  const view: Json = compact({
    Type: d.Type,
    InvoiceID: d.ID,
    InvoiceNumber: d.Number,
    Reference: d.Reference ?? '',
    Payments: detail === 'summary' ? undefined : d.Payments.map((p) => compact({
      PaymentID: p.PaymentID, Date: msDateOfDay(p.Date), Amount: p.Amount, Reference: p.Reference, CurrencyRate: p.CurrencyRate,
      HasAccount: false, HasValidationErrors: false,
    })),
    CreditNotes: detail === 'summary' ? undefined : d.Credits.map((c) => ({
      CreditNoteID: c.CreditNoteID, CreditNoteNumber: c.CreditNoteNumber, AppliedAmount: c.AppliedAmount,
      Date: msDateOfDay(c.Date), HasErrors: false,
    })),
    Prepayments: detail === 'summary' ? undefined : [],
    Overpayments: detail === 'summary' ? undefined : [],
    AmountDue: d.AmountDue,
    AmountPaid: d.AmountPaid,
    AmountCredited: d.AmountCredited,
    CurrencyRate: d.CurrencyRate,
    IsDiscounted: d.TotalDiscount > 0,
    HasAttachments: false,
    HasErrors: false,
    Contact: contactRefView(contact, d.ContactID),
    DateString: dayString(d.Date),
    Date: msDateOfDay(d.Date),
    DueDateString: d.DueDate ? dayString(d.DueDate) : undefined,
    DueDate: d.DueDate ? msDateOfDay(d.DueDate) : undefined,
    ExpectedPaymentDate: d.ExpectedPaymentDate ? msDateOfDay(d.ExpectedPaymentDate) : undefined,
    PlannedPaymentDate: d.PlannedPaymentDate ? msDateOfDay(d.PlannedPaymentDate) : undefined,
    BrandingThemeID: d.BrandingThemeID,
    Url: d.Url,
    Status: d.Status,
    LineAmountTypes: d.LineAmountTypes,
    LineItems: detail === 'full' ? d.LineItems.map((l) => lineView(l, unitdp)) : undefined,
    SubTotal: d.SubTotal,
    TotalTax: d.TotalTax,
    Total: d.Total,
    TotalDiscount: d.TotalDiscount > 0 ? d.TotalDiscount : undefined,
    UpdatedDateUTC: msDateOfInstant(d.UpdatedDateUTC),
    UpdatedDateUTCString: instantString(d.UpdatedDateUTC),
    CurrencyCode: d.CurrencyCode,
    FullyPaidOnDate: d.FullyPaidOnDate ? msDateOfDay(d.FullyPaidOnDate) : undefined,
    SentToContact: d.SentToContact,
  });
  return view;
}

export function listInvoices(books: Books, req: AccountingRequest): AccountingResponse {
  let records = books.store.all<DocumentRec>('invoices');
  const ids = listParam(req, 'IDs')?.map((s) => s.toLowerCase());
  if (ids) records = records.filter((d) => ids.includes(d.ID));
  const numbers = listParam(req, 'InvoiceNumbers')?.map((s) => s.toLowerCase());
  if (numbers) records = records.filter((d) => numbers.includes(d.Number.toLowerCase()));
  const contactIds = listParam(req, 'ContactIDs')?.map((s) => s.toLowerCase());
  if (contactIds) records = records.filter((d) => contactIds.includes(d.ContactID));
  const statuses = listParam(req, 'Statuses')?.map((s) => s.toUpperCase());
  if (statuses) records = records.filter((d) => statuses.includes(d.Status));
  // Invoices of archived contacts are left out unless includeArchived=true (Xero's parameter description).
  if (!boolParam(req, 'includeArchived')) {
    records = records.filter((d) => books.store.get<ContactRec>('contacts', d.ContactID)?.ContactStatus !== 'ARCHIVED');
  }
  const term = param(req, 'searchTerm')?.trim().toLowerCase();
  if (term) records = records.filter((d) => d.Number.toLowerCase().includes(term) || (d.Reference ?? '').toLowerCase().includes(term));
  const { items, pagination } = listQuery(records, req, {
    typeName: 'Invoice', fieldsOf: (d) => invoiceFields(books, d), updatedOf: (d) => d.UpdatedDateUTC, paged: true,
  });
  const detail: Detail = boolParam(req, 'summaryOnly') ? 'summary' : pagination ? 'full' : 'list';
  const unitdp = unitDp(req);
  return { status: 200, body: envelope(books.now(), 'Invoices', items.map((d) => invoiceView(books, d, unitdp, detail)), pagination) };
}

export function findInvoice(books: Books, idOrNumber: string): DocumentRec {
  const invoice = findDocument(books, INVOICE, idOrNumber);
  if (!invoice) throw notFound();
  return invoice;
}

export function getInvoice(books: Books, req: AccountingRequest, id: string): AccountingResponse {
  const invoice = findInvoice(books, id);
  if ((req.headers.accept ?? '').includes('application/pdf')) {
    return { status: 200, raw: { contentType: 'application/pdf', data: pdfOf(invoice) } };
  }
  return { status: 200, body: envelope(books.now(), 'Invoices', [invoiceView(books, invoice, unitDp(req))]) };
}

/** A minimal but valid one-page PDF naming the invoice, for getInvoiceAsPdf. */
function pdfOf(invoice: DocumentRec): Buffer {
  const textLine = `(Invoice ${invoice.Number} total ${invoice.Total.toFixed(2)} ${invoice.CurrencyCode}) Tj`;
  const stream = `BT /F1 12 Tf 72 720 Td ${textLine} ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => { offsets.push(body.length); body += `${i + 1} 0 obj\n${o}\nendobj\n`; });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

export function writeInvoices(books: Books, req: AccountingRequest, createOnly: boolean): AccountingResponse {
  const unitdp = unitDp(req);
  return writeBatch(books, req, {
    collection: 'Invoices',
    idField: 'InvoiceID',
    apply: (element) => invoiceView(books,
      saveDocument(books, INVOICE, element, matchDocument(books, INVOICE, element, createOnly), { unitdp, createOnly }), unitdp),
  });
}

/** POST /Invoices/{id}: the body's fields update only those fields. */
export function updateInvoice(books: Books, req: AccountingRequest, id: string): AccountingResponse {
  const existing = findInvoice(books, id);
  const unitdp = unitDp(req);
  return writeSingle(books, req, {
    collection: 'Invoices',
    idField: 'InvoiceID',
    apply: (element) => invoiceView(books,
      saveDocument(books, INVOICE, element, books.store.get<DocumentRec>('invoices', existing.ID), { unitdp, createOnly: false }), unitdp),
  });
}

// L: the reference (§4.3, §10) leaves the exact texts open; these follow Xero's "not of valid status" pattern.
export const emailMsg = {
  status: 'Invoice not of valid status for sending.',
  type: 'Only sales invoices (ACCREC) can be emailed.',
  noEmail: 'The contact for this invoice does not have an email address.',
};

/** POST /Invoices/{id}/Email → 204, and the invoice is marked SentToContact. */
export function emailInvoice(books: Books, id: string): AccountingResponse {
  const invoice = findInvoice(books, id);
  const element = { InvoiceID: invoice.ID, InvoiceNumber: invoice.Number, Status: invoice.Status };
  if (invoice.Type !== 'ACCREC') throw singleValidationError(element, emailMsg.type);
  if (!['AUTHORISED', 'PAID'].includes(invoice.Status)) throw singleValidationError(element, emailMsg.status);
  const contact = books.store.get<ContactRec>('contacts', invoice.ContactID);
  const hasEmail = !!contact?.EmailAddress || !!contact?.ContactPersons.some((p) => p.IncludeInEmails && p.EmailAddress);
  if (!hasEmail) throw singleValidationError(element, emailMsg.noEmail);
  markSent(books, invoice);
  return { status: 204 };
}

export function markSent(books: Books, invoice: DocumentRec): void {
  if (invoice.SentToContact) return;
  books.atomically(() => {
    books.store.put('invoices', invoice.ID, { ...invoice, SentToContact: true, UpdatedDateUTC: books.nowIso() });
    books.changed('INVOICE', 'UPDATE', invoice.ID);
  });
}

export const onlineInvoiceMsg = 'An Online Invoice cannot be created for a DRAFT invoice.'; // L: wording not verified

/** GET /Invoices/{id}/OnlineInvoice: only for sales invoices past DRAFT/SUBMITTED. */
export function onlineInvoice(books: Books, id: string): AccountingResponse {
  const invoice = findInvoice(books, id);
  if (invoice.Type !== 'ACCREC' || invoice.Status === 'DRAFT' || invoice.Status === 'SUBMITTED' || invoice.Status === 'DELETED') {
    throw singleValidationError({ InvoiceID: invoice.ID, Status: invoice.Status }, onlineInvoiceMsg);
  }
  const url = `https://in.xero.com/${invoice.ID.replace(/-/g, '').slice(0, 20)}?utm_source=invoice`;
  return { status: 200, body: envelope(books.now(), 'OnlineInvoices', [{ OnlineInvoiceUrl: url }]) };
}
