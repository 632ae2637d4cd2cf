/**
 * /Payments: against AUTHORISED invoices and credit notes only, partial payments allowed, never more than is due,
 * to a BANK account or one with payments enabled; deleting (POST {Status:"DELETED"}) restores the document.
 */
import type { AccountingRequest, AccountingResponse } from '../../contract.ts';
import { Problems, writeBatch } from '../batch.ts';
import type { Books } from '../books.ts';
import { instantString, longDay, msDateOfDay, msDateOfInstant, parseDay } from '../dates.ts';
import { CREDIT_NOTE, documentChanged, findDocument, INVOICE, settle, type DocSpec } from '../documents.ts';
import { envelope } from '../envelope.ts';
import { notFound, singleValidationError } from '../errors.ts';
import { bool, compact, field, GUID, object, text, type Json } from '../input.ts';
import { findAccountByCode } from '../lines.ts';
import { round2, toNumber } from '../money.ts';
import { listQuery } from '../query.ts';
import type { AccountRec, DocumentRec, PaymentRec } from '../types.ts';

export const paymentMsg = {
  exceeds: 'Payment amount exceeds the amount outstanding on this document', // reference §4.8 (H)
  // L: the texts below follow Xero's style; the reference has no verbatim source for them.
  notAuthorised: 'Payments can only be made against Authorised documents',
  noDocument: 'An Invoice or Credit Note must be specified for the payment',
  documentNotFound: (what: string) => `${what} could not be found`,
  noAccount: 'Account code or ID must be specified',
  accountNotFound: 'Account could not be found',
  accountNotPayable: "Payments can only be made to or from bank accounts or accounts with 'Enable payments to this account' checked",
  amount: 'Payment amount must be greater than zero',
  periodLock: (day: string) => `The payment date cannot be before the period lock date of ${longDay(day)}`,
  alreadyDeleted: 'This payment has already been deleted',
  onlyDelete: 'Payments can only be deleted, not edited. Set Status to DELETED.',
};

export interface PaymentInput {
  document: { spec: DocSpec; rec: DocumentRec };
  account: AccountRec;
  amount: number;
  date: string;
  reference?: string;
  currencyRate?: number;
  isReconciled?: boolean;
}

/** Applies a payment to a document (API and admin "pay" share this). */
export function recordPayment(books: Books, input: PaymentInput): PaymentRec {
  const { spec, rec } = input.document;
  const paymentType = rec.Type === 'ACCREC' ? 'ACCRECPAYMENT' : rec.Type === 'ACCPAY' ? 'ACCPAYPAYMENT'
    : rec.Type === 'ACCRECCREDIT' ? 'ARCREDITPAYMENT' : 'APCREDITPAYMENT';
  const now = books.nowIso();
  const payment: PaymentRec = compact({
    PaymentID: books.newId(),
    DocumentID: rec.ID,
    DocumentKind: spec.kind,
    AccountID: input.account.AccountID,
    Date: input.date,
    Amount: round2(input.amount),
    CurrencyRate: input.currencyRate ?? rec.CurrencyRate,
    Reference: input.reference,
    IsReconciled: input.isReconciled ?? false,
    Status: 'AUTHORISED' as const,
    PaymentType: paymentType,
    UpdatedDateUTC: now,
  });
  books.store.put('payments', payment.PaymentID, payment);
  const updated = settle({
    ...rec,
    Payments: [...rec.Payments, compact({ PaymentID: payment.PaymentID, Date: payment.Date, Amount: payment.Amount,
      Reference: payment.Reference, CurrencyRate: payment.CurrencyRate })],
    UpdatedDateUTC: now,
  });
  books.store.put(spec.collection, updated.ID, updated);
  documentChanged(books, updated, 'UPDATE');
  return payment;
}

/** Reverses a payment: the document gets its amount back and returns from PAID to AUTHORISED. */
export function deletePaymentRecord(books: Books, payment: PaymentRec): PaymentRec {
  const now = books.nowIso();
  const deleted: PaymentRec = { ...payment, Status: 'DELETED', UpdatedDateUTC: now };
  books.store.put('payments', payment.PaymentID, deleted);
  const spec = payment.DocumentKind === 'INVOICE' ? INVOICE : CREDIT_NOTE;
  const doc = books.store.get<DocumentRec>(spec.collection, payment.DocumentID);
  if (doc) {
    const updated = settle({ ...doc, Payments: doc.Payments.filter((p) => p.PaymentID !== payment.PaymentID), UpdatedDateUTC: now });
    books.store.put(spec.collection, updated.ID, updated);
    documentChanged(books, updated, 'UPDATE');
  }
  return deleted;
}

/** Validates one payment element from the API. */
function readPayment(books: Books, element: Json, problems: Problems): PaymentInput | undefined {
  const invoiceRef = object(element, 'Invoice');
  const creditRef = object(element, 'CreditNote');
  let document: PaymentInput['document'] | undefined;
  if (invoiceRef || creditRef) {
    const spec = invoiceRef ? INVOICE : CREDIT_NOTE;
    const ref = (invoiceRef ?? creditRef) as Json;
    const key = text(ref, spec.idField) ?? text(ref, spec.numberField);
    const rec = key ? findDocument(books, spec, key) : undefined;
    if (!rec) problems.add(paymentMsg.documentNotFound(spec.noun));
    else document = { spec, rec };
  } else {
    problems.add(paymentMsg.noDocument);
  }
  const accountRef = object(element, 'Account');
  const accountId = text(accountRef, 'AccountID');
  const code = text(accountRef, 'Code');
  let account: AccountRec | undefined;
  if (!accountId && !code) problems.add(paymentMsg.noAccount);
  else {
    account = accountId && GUID.test(accountId) ? books.store.get<AccountRec>('accounts', accountId.toLowerCase())
      : code ? findAccountByCode(books, code) : undefined;
    if (!account) problems.add(paymentMsg.accountNotFound);
    else if (account.Type !== 'BANK' && !account.EnablePaymentsToAccount) problems.add(paymentMsg.accountNotPayable);
  }
  const amount = toNumber(field(element, 'Amount'));
  if (amount === undefined || amount <= 0) problems.add(paymentMsg.amount);
  const date = parseDay(field(element, 'Date')) ?? books.today();
  if (document) {
    if (document.rec.Status !== 'AUTHORISED') problems.add(paymentMsg.notAuthorised);
    else if (amount !== undefined && round2(amount) > document.rec.AmountDue) problems.add(paymentMsg.exceeds);
  }
  const lock = books.settings.periodLockDate;
  if (lock && date <= lock) problems.add(paymentMsg.periodLock(lock));
  if (problems.any || !document || !account || amount === undefined) return undefined;
  return {
    document, account, amount, date,
    reference: text(element, 'Reference') || undefined,
    currencyRate: toNumber(field(element, 'CurrencyRate')),
    isReconciled: bool(element, 'IsReconciled'),
  };
}

export function paymentView(books: Books, p: PaymentRec): Json {
  const account = books.store.get<AccountRec>('accounts', p.AccountID);
  const spec = p.DocumentKind === 'INVOICE' ? INVOICE : CREDIT_NOTE;
  const doc = books.store.get<DocumentRec>(spec.collection, p.DocumentID);
  const docView = doc ? compact({
    [spec.idField]: doc.ID, [spec.numberField]: doc.Number, Type: doc.Type, Contact: { ContactID: doc.ContactID },
    CurrencyCode: doc.CurrencyCode, IsDiscounted: false, HasErrors: false,
  }) : { [spec.idField]: p.DocumentID };
  // Amount is in the document's currency; BankAmount in the bank account's (the base currency here).
  const bankAmount = doc && doc.CurrencyCode !== books.settings.baseCurrency && p.CurrencyRate > 0
    ? round2(p.Amount / p.CurrencyRate) : p.Amount;
  return compact({
    PaymentID: p.PaymentID,
    Date: msDateOfDay(p.Date),
    BankAmount: bankAmount,
    Amount: p.Amount,
    Reference: p.Reference,
    CurrencyRate: p.CurrencyRate,
    PaymentType: p.PaymentType,
    Status: p.Status,
    UpdatedDateUTC: msDateOfInstant(p.UpdatedDateUTC),
    UpdatedDateUTCString: instantString(p.UpdatedDateUTC),
    HasAccount: true,
    IsReconciled: p.IsReconciled,
    Account: account ? { AccountID: account.AccountID, Code: account.Code } : { AccountID: p.AccountID },
    [p.DocumentKind === 'INVOICE' ? 'Invoice' : 'CreditNote']: docView,
    HasValidationErrors: false,
  });
}

function paymentFields(books: Books, p: PaymentRec): Json {
  const spec = p.DocumentKind === 'INVOICE' ? INVOICE : CREDIT_NOTE;
  const doc = books.store.get<DocumentRec>(spec.collection, p.DocumentID);
  return {
    PaymentID: p.PaymentID, Date: p.Date, Amount: p.Amount, Reference: p.Reference ?? null, Status: p.Status,
    PaymentType: p.PaymentType, UpdatedDateUTC: p.UpdatedDateUTC, IsReconciled: p.IsReconciled, CurrencyRate: p.CurrencyRate,
    Invoice: p.DocumentKind === 'INVOICE' ? { InvoiceID: p.DocumentID, InvoiceNumber: doc?.Number ?? null,
      Contact: { ContactID: doc?.ContactID ?? null } } : null,
    CreditNote: p.DocumentKind === 'CREDITNOTE' ? { CreditNoteID: p.DocumentID } : null,
    Account: { AccountID: p.AccountID },
  };
}

export function listPayments(books: Books, req: AccountingRequest): AccountingResponse {
  const { items, pagination } = listQuery(books.store.all<PaymentRec>('payments'), req, {
    typeName: 'Payment', paged: true, updatedOf: (p) => p.UpdatedDateUTC, fieldsOf: (p) => paymentFields(books, p),
  });
  return { status: 200, body: envelope(books.now(), 'Payments', items.map((p) => paymentView(books, p)), pagination) };
}

export function getPayment(books: Books, id: string): AccountingResponse {
  const payment = books.store.get<PaymentRec>('payments', id.toLowerCase());
  if (!payment) throw notFound();
  return { status: 200, body: envelope(books.now(), 'Payments', [paymentView(books, payment)]) };
}

/** PUT /Payments (batch) and POST /Payments (xero-node's createPayment sends one bare Payment object). */
export function writePayments(books: Books, req: AccountingRequest): AccountingResponse {
  return writeBatch(books, req, {
    collection: 'Payments',
    idField: 'PaymentID',
    apply: (element) => {
      const problems = new Problems();
      const input = readPayment(books, element, problems);
      problems.throwIfAny();
      return paymentView(books, recordPayment(books, input as PaymentInput));
    },
  });
}

/** POST /Payments/{id} with {"Status":"DELETED"}: the only change a payment accepts. */
export function deletePayment(books: Books, req: AccountingRequest, id: string): AccountingResponse {
  const payment = books.store.get<PaymentRec>('payments', id.toLowerCase());
  if (!payment) throw notFound();
  const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Json;
  const element = (Array.isArray(field(body, 'Payments')) ? (field(body, 'Payments') as Json[])[0] : body) ?? {};
  if (text(element, 'Status')?.toUpperCase() !== 'DELETED') throw singleValidationError({ PaymentID: payment.PaymentID }, paymentMsg.onlyDelete);
  if (payment.Status === 'DELETED') throw singleValidationError({ PaymentID: payment.PaymentID }, paymentMsg.alreadyDeleted);
  const deleted = books.atomically(() => deletePaymentRecord(books, payment));
  return { status: 200, body: envelope(books.now(), 'Payments', [paymentView(books, deleted)]) };
}

