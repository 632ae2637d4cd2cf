/**
 * /CreditNotes and their Allocations to invoices. An allocation needs an AUTHORISED credit note and invoice of the
 * same side and currency, and may not exceed either the remaining credit or the invoice's amount due.
 */
import type { AccountingRequest, AccountingResponse } from '../../contract.ts';
import { Problems, writeBatch, writeSingle } from '../batch.ts';
import type { Books } from '../books.ts';
import { dayString, instantString, msDateOfDay, msDateOfInstant, parseDay } from '../dates.ts';
import { CREDIT_NOTE, documentChanged, findDocument, INVOICE, matchDocument, saveDocument, settle } from '../documents.ts';
import { envelope } from '../envelope.ts';
import { notFound } from '../errors.ts';
import { compact, field, object, text, type Json } from '../input.ts';
import { lineView } from '../lines.ts';
import { round2, toNumber } from '../money.ts';
import { listQuery, unitDp } from '../query.ts';
import type { AllocationRec, ContactRec, DocumentRec } from '../types.ts';
import { contactRefView } from './contacts.ts';

export const allocationMsg = {
  // L: none of these texts is verified against live Xero; they follow its phrasing.
  creditNotStatus: 'Credit Note not of valid status for allocation. Only AUTHORISED credit notes can be allocated.',
  invoiceNotStatus: 'Invoice not of valid status for allocation. Only AUTHORISED invoices can receive credit.',
  noInvoice: 'An Invoice must be specified for the allocation',
  invoiceNotFound: 'Invoice could not be found',
  side: 'A sales credit note can only be allocated to a sales invoice, and a purchases credit note to a bill.',
  currency: 'The credit note and the invoice must be in the same currency.',
  amount: 'Allocation amount must be greater than zero',
  exceedsCredit: 'The amount to allocate exceeds the remaining credit on this credit note',
  exceedsDue: 'Payment amount exceeds the amount outstanding on this document',
};

export function creditNoteView(books: Books, d: DocumentRec, unitdp: 2 | 4): Json {
  const contact = books.store.get<ContactRec>('contacts', d.ContactID);
  return compact({
    Type: d.Type,
    CreditNoteID: d.ID,
    CreditNoteNumber: d.Number,
    Reference: d.Reference,
    Contact: contactRefView(contact, d.ContactID),
    DateString: dayString(d.Date),
    Date: msDateOfDay(d.Date),
    DueDate: d.DueDate ? msDateOfDay(d.DueDate) : undefined,
    Status: d.Status,
    LineAmountTypes: d.LineAmountTypes,
    LineItems: d.LineItems.map((l) => lineView(l, unitdp)),
    SubTotal: d.SubTotal,
    TotalTax: d.TotalTax,
    Total: d.Total,
    UpdatedDateUTC: msDateOfInstant(d.UpdatedDateUTC),
    UpdatedDateUTCString: instantString(d.UpdatedDateUTC),
    CurrencyCode: d.CurrencyCode,
    CurrencyRate: d.CurrencyRate,
    FullyPaidOnDate: d.FullyPaidOnDate ? msDateOfDay(d.FullyPaidOnDate) : undefined,
    RemainingCredit: d.Status === 'VOIDED' || d.Status === 'DELETED' ? 0 : d.AmountDue,
    Allocations: d.Credits.map((c) => ({
      AllocationID: c.AllocationID, Amount: c.AppliedAmount, Date: msDateOfDay(c.Date),
      Invoice: { InvoiceID: c.CreditNoteID, InvoiceNumber: c.CreditNoteNumber },
    })),
    Payments: d.Payments.map((p) => ({ PaymentID: p.PaymentID, Date: msDateOfDay(p.Date), Amount: p.Amount })),
    SentToContact: d.SentToContact,
    HasAttachments: false,
    HasErrors: false,
  });
}

function creditFields(books: Books, d: DocumentRec): Json {
  const contact = books.store.get<ContactRec>('contacts', d.ContactID);
  return {
    Type: d.Type, CreditNoteID: d.ID, CreditNoteNumber: d.Number, Reference: d.Reference ?? null,
    Contact: { ContactID: d.ContactID, Name: contact?.Name ?? null }, Date: d.Date, Status: d.Status,
    SubTotal: d.SubTotal, TotalTax: d.TotalTax, Total: d.Total, RemainingCredit: d.AmountDue,
    CurrencyCode: d.CurrencyCode, UpdatedDateUTC: d.UpdatedDateUTC, LineAmountTypes: d.LineAmountTypes,
  };
}

export function listCreditNotes(books: Books, req: AccountingRequest): AccountingResponse {
  const { items, pagination } = listQuery(books.store.all<DocumentRec>('creditNotes'), req, {
    typeName: 'CreditNote', paged: true, updatedOf: (d) => d.UpdatedDateUTC, fieldsOf: (d) => creditFields(books, d),
  });
  const unitdp = unitDp(req);
  return { status: 200, body: envelope(books.now(), 'CreditNotes', items.map((d) => creditNoteView(books, d, unitdp)), pagination) };
}

function findCredit(books: Books, id: string): DocumentRec {
  const found = findDocument(books, CREDIT_NOTE, id);
  if (!found) throw notFound();
  return found;
}

export function getCreditNote(books: Books, req: AccountingRequest, id: string): AccountingResponse {
  return { status: 200, body: envelope(books.now(), 'CreditNotes', [creditNoteView(books, findCredit(books, id), unitDp(req))]) };
}

export function writeCreditNotes(books: Books, req: AccountingRequest, createOnly: boolean): AccountingResponse {
  const unitdp = unitDp(req);
  return writeBatch(books, req, {
    collection: 'CreditNotes',
    idField: 'CreditNoteID',
    apply: (element) => creditNoteView(books, saveDocument(books, CREDIT_NOTE, element,
      matchDocument(books, CREDIT_NOTE, element, createOnly), { unitdp, createOnly }), unitdp),
  });
}

export function updateCreditNote(books: Books, req: AccountingRequest, id: string): AccountingResponse {
  const existing = findCredit(books, id);
  const unitdp = unitDp(req);
  return writeSingle(books, req, {
    collection: 'CreditNotes',
    idField: 'CreditNoteID',
    apply: (element) => creditNoteView(books, saveDocument(books, CREDIT_NOTE, element,
      books.store.get<DocumentRec>('creditNotes', existing.ID), { unitdp, createOnly: false }), unitdp),
  });
}

/** Allocates credit to an invoice (API and admin share it); validates first, collecting every problem. */
export function allocateCredit(books: Books, credit: DocumentRec, element: Json): AllocationRec {
  const problems = new Problems();
  const invoiceRef = object(element, 'Invoice');
  const key = text(invoiceRef, 'InvoiceID') ?? text(invoiceRef, 'InvoiceNumber');
  const invoice = key ? findDocument(books, INVOICE, key) : undefined;
  if (!invoiceRef || !key) problems.add(allocationMsg.noInvoice);
  else if (!invoice) problems.add(allocationMsg.invoiceNotFound);
  const amount = toNumber(field(element, 'Amount'));
  if (amount === undefined || amount <= 0) problems.add(allocationMsg.amount);
  if (credit.Status !== 'AUTHORISED') problems.add(allocationMsg.creditNotStatus);
  if (invoice) {
    if (invoice.Status !== 'AUTHORISED') problems.add(allocationMsg.invoiceNotStatus);
    if ((credit.Type === 'ACCRECCREDIT') !== (invoice.Type === 'ACCREC')) problems.add(allocationMsg.side);
    if (credit.CurrencyCode !== invoice.CurrencyCode) problems.add(allocationMsg.currency);
    if (amount !== undefined && round2(amount) > invoice.AmountDue) problems.add(allocationMsg.exceedsDue);
  }
  if (amount !== undefined && round2(amount) > credit.AmountDue) problems.add(allocationMsg.exceedsCredit);
  problems.throwIfAny();
  const inv = invoice as DocumentRec;
  const date = parseDay(field(element, 'Date')) ?? books.today();
  const allocation: AllocationRec = {
    AllocationID: books.newId(), CreditNoteID: credit.ID, InvoiceID: inv.ID, Amount: round2(amount as number), Date: date, IsDeleted: false,
  };
  const now = books.nowIso();
  books.store.put('allocations', allocation.AllocationID, allocation);
  const updatedInvoice = settle({ ...inv, UpdatedDateUTC: now, Credits: [...inv.Credits, {
    AllocationID: allocation.AllocationID, CreditNoteID: credit.ID, CreditNoteNumber: credit.Number, Date: date, AppliedAmount: allocation.Amount,
  }] });
  books.store.put('invoices', inv.ID, updatedInvoice);
  // On a credit note, Credits lists the invoices it went to (same shape, ids of the other side).
  const updatedCredit = settle({ ...credit, UpdatedDateUTC: now, Credits: [...credit.Credits, {
    AllocationID: allocation.AllocationID, CreditNoteID: inv.ID, CreditNoteNumber: inv.Number, Date: date, AppliedAmount: allocation.Amount,
  }] });
  books.store.put('creditNotes', credit.ID, updatedCredit);
  documentChanged(books, updatedInvoice, 'UPDATE');
  documentChanged(books, updatedCredit, 'UPDATE');
  return allocation;
}

function allocationView(books: Books, a: AllocationRec): Json {
  const invoice = books.store.get<DocumentRec>('invoices', a.InvoiceID);
  const credit = books.store.get<DocumentRec>('creditNotes', a.CreditNoteID);
  return {
    AllocationID: a.AllocationID,
    Amount: a.Amount,
    Date: msDateOfDay(a.Date),
    IsDeleted: a.IsDeleted,
    Invoice: { InvoiceID: a.InvoiceID, InvoiceNumber: invoice?.Number ?? '', AmountDue: invoice?.AmountDue, Status: invoice?.Status },
    CreditNote: { CreditNoteID: a.CreditNoteID, CreditNoteNumber: credit?.Number ?? '', RemainingCredit: credit?.AmountDue },
  };
}

/** PUT /CreditNotes/{id}/Allocations. */
export function allocate(books: Books, req: AccountingRequest, id: string): AccountingResponse {
  const credit = findCredit(books, id);
  return writeBatch(books, req, {
    collection: 'Allocations',
    idField: 'AllocationID',
    apply: (element) => allocationView(books, allocateCredit(books, books.store.get<DocumentRec>('creditNotes', credit.ID) as DocumentRec, element)),
  });
}

/** DELETE /CreditNotes/{id}/Allocations/{allocationId}: credit and amount due go back. */
export function deleteAllocation(books: Books, creditId: string, allocationId: string): AccountingResponse {
  const credit = findCredit(books, creditId);
  const allocation = books.store.get<AllocationRec>('allocations', allocationId.toLowerCase());
  if (!allocation || allocation.CreditNoteID !== credit.ID || allocation.IsDeleted) throw notFound();
  const result = books.atomically(() => {
    const now = books.nowIso();
    const deleted = { ...allocation, IsDeleted: true };
    books.store.put('allocations', allocation.AllocationID, deleted);
    const invoice = books.store.get<DocumentRec>('invoices', allocation.InvoiceID);
    if (invoice) {
      const restored = settle({ ...invoice, UpdatedDateUTC: now,
        Credits: invoice.Credits.filter((c) => c.AllocationID !== allocation.AllocationID) });
      books.store.put('invoices', invoice.ID, restored);
      documentChanged(books, restored, 'UPDATE');
    }
    const credited = settle({ ...credit, UpdatedDateUTC: now,
      Credits: credit.Credits.filter((c) => c.AllocationID !== allocation.AllocationID) });
    books.store.put('creditNotes', credit.ID, credited);
    documentChanged(books, credited, 'UPDATE');
    return deleted;
  });
  return { status: 200, body: envelope(books.now(), 'Allocations', [allocationView(books, result)]) };
}
