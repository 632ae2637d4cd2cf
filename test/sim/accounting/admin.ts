/**
 * Admin actions under /_sim/tenants/{tenantId}/…, acting as a Xero user in the web app: approve, submit, email or
 * mark sent, pay part or all, delete a payment, void, delete, edit an invoice; create/edit/archive contacts; set lock
 * dates; dump state. The UI enforces the same business rules as the API except where a person may do more (editing
 * an approved invoice without payments, editing archived contacts), so the same code paths are used.
 */
import type { AccountingResponse } from '../contract.ts';
import type { Books } from './books.ts';
import { parseDay } from './dates.ts';
import { CREDIT_NOTE, findDocument, INVOICE, saveDocument } from './documents.ts';
import { ApiError, ElementError, notFound, validationException } from './errors.ts';
import { field, text, type Json } from './input.ts';
import { findAccountByCode } from './lines.ts';
import { toNumber } from './money.ts';
import { allocateCredit, creditNoteView } from './resources/credit-notes.ts';
import { contactView, findContact, saveContact } from './resources/contacts.ts';
import { invoiceView, markSent } from './resources/invoices.ts';
import { deletePaymentRecord, paymentMsg, paymentView, recordPayment } from './resources/payments.ts';
import { accountView, organisationView } from './resources/settings.ts';
import type { AccountRec, DocumentRec, PaymentRec } from './types.ts';

type Admin = (books: Books, body: Json, params: string[]) => AccountingResponse;

const ok = (body: unknown): AccountingResponse => ({ status: 200, body });

/** Runs `work` atomically, turning business-rule failures into a 400 ValidationException naming the target. */
function asUser(books: Books, target: Json, work: () => AccountingResponse): AccountingResponse {
  try {
    return books.atomically(work);
  } catch (error) {
    if (error instanceof ElementError) throw validationException([{ ...target, ValidationErrors: error.messages.map((Message) => ({ Message })) }]);
    throw error;
  }
}

function invoiceOf(books: Books, id: string | undefined): DocumentRec {
  const invoice = id ? findDocument(books, INVOICE, id) : undefined;
  if (!invoice) throw notFound();
  return invoice;
}

function setInvoice(books: Books, id: string | undefined, patch: Json): AccountingResponse {
  const invoice = invoiceOf(books, id);
  return asUser(books, { InvoiceID: invoice.ID }, () =>
    ok(invoiceView(books, saveDocument(books, INVOICE, patch, invoice, { unitdp: 4, createOnly: false, asUser: true }), 4)));
}

/** camelCase admin bodies ({lineItems, dueDate}) map onto the API's field names; `field()` is case-insensitive. */
function editPatch(body: Json): Json {
  const patch: Json = {};
  for (const key of ['LineItems', 'Date', 'DueDate', 'Reference', 'Contact', 'LineAmountTypes', 'CurrencyCode', 'InvoiceNumber']) {
    const value = field(body, key);
    if (value !== undefined) patch[key] = value;
  }
  return patch;
}

const ACTIONS: Array<{ method: string; pattern: RegExp; run: Admin }> = [
  { method: 'GET', pattern: /^state$/i, run: (books) => ok({ organisation: organisationView(books), ...(books.store.toJSON()), settings: books.settings }) },
  {
    method: 'POST', pattern: /^lock-dates$/i, run: (books, body) => {
      const read = (name: string): string | undefined | null => {
        const raw = field(body, name);
        if (raw === undefined) return undefined;
        if (raw === null || raw === '') return null;
        const day = parseDay(raw);
        if (!day) throw validationException([{ [name]: raw, ValidationErrors: [{ Message: `${name} is not a valid date.` }] }]);
        return day;
      };
      const period = read('periodLockDate');
      const endOfYear = read('endOfYearLockDate');
      books.atomically(() => books.updateSettings({
        ...(period !== undefined ? { periodLockDate: period ?? undefined } : {}),
        ...(endOfYear !== undefined ? { endOfYearLockDate: endOfYear ?? undefined } : {}),
      }));
      return ok(organisationView(books));
    },
  },
  {
    method: 'POST', pattern: /^invoices$/i, run: (books, body) => asUser(books, {}, () =>
      ok(invoiceView(books, saveDocument(books, INVOICE, body, undefined, { unitdp: 4, createOnly: true, asUser: true }), 4))),
  },
  { method: 'POST', pattern: /^invoices\/([^/]+)\/approve$/i, run: (books, _b, [id]) => setInvoice(books, id, { Status: 'AUTHORISED' }) },
  { method: 'POST', pattern: /^invoices\/([^/]+)\/submit$/i, run: (books, _b, [id]) => setInvoice(books, id, { Status: 'SUBMITTED' }) },
  { method: 'POST', pattern: /^invoices\/([^/]+)\/void$/i, run: (books, _b, [id]) => setInvoice(books, id, { Status: 'VOIDED' }) },
  { method: 'POST', pattern: /^invoices\/([^/]+)\/delete$/i, run: (books, _b, [id]) => setInvoice(books, id, { Status: 'DELETED' }) },
  { method: 'POST', pattern: /^invoices\/([^/]+)\/edit$/i, run: (books, body, [id]) => setInvoice(books, id, editPatch(body)) },
  {
    // Emailing from the web app and "Mark as sent" both set SentToContact; only approved invoices can be sent.
    method: 'POST', pattern: /^invoices\/([^/]+)\/(email|mark-sent)$/i, run: (books, _b, [id]) => {
      const invoice = invoiceOf(books, id);
      if (!['AUTHORISED', 'PAID'].includes(invoice.Status)) {
        throw validationException([{ InvoiceID: invoice.ID, ValidationErrors: [{ Message: 'Invoice not of valid status for sending.' }] }]);
      }
      markSent(books, invoice);
      return ok(invoiceView(books, invoiceOf(books, invoice.ID), 4));
    },
  },
  {
    method: 'POST', pattern: /^invoices\/([^/]+)\/pay$/i, run: (books, body, [id]) => {
      const invoice = invoiceOf(books, id);
      return asUser(books, { InvoiceID: invoice.ID }, () => {
        const amount = toNumber(field(body, 'amount')) ?? invoice.AmountDue;
        const code = text(body, 'accountCode') ?? '090';
        const account = findAccountByCode(books, code);
        const problems: string[] = [];
        if (!account) problems.push(paymentMsg.accountNotFound);
        if (invoice.Status !== 'AUTHORISED') problems.push(paymentMsg.notAuthorised);
        else if (amount > invoice.AmountDue) problems.push(paymentMsg.exceeds);
        if (amount <= 0) problems.push(paymentMsg.amount);
        if (problems.length > 0 || !account) throw new ElementError(problems);
        const payment = recordPayment(books, {
          document: { spec: INVOICE, rec: invoice }, account, amount,
          date: parseDay(field(body, 'date')) ?? books.today(), reference: text(body, 'reference'),
        });
        return ok({ Payment: paymentView(books, payment), Invoice: invoiceView(books, invoiceOf(books, invoice.ID), 4) });
      });
    },
  },
  {
    method: 'POST', pattern: /^payments\/([^/]+)\/delete$/i, run: (books, _b, [id]) => {
      const payment = books.store.get<PaymentRec>('payments', (id ?? '').toLowerCase());
      if (!payment) throw notFound();
      if (payment.Status === 'DELETED') {
        throw validationException([{ PaymentID: payment.PaymentID, ValidationErrors: [{ Message: paymentMsg.alreadyDeleted }] }]);
      }
      return ok(paymentView(books, books.atomically(() => deletePaymentRecord(books, payment))));
    },
  },
  {
    method: 'POST', pattern: /^credit-notes$/i, run: (books, body) => asUser(books, {}, () =>
      ok(creditNoteView(books, saveDocument(books, CREDIT_NOTE, body, undefined, { unitdp: 4, createOnly: true, asUser: true }), 4))),
  },
  {
    method: 'POST', pattern: /^credit-notes\/([^/]+)\/allocate$/i, run: (books, body, [id]) => {
      const credit = id ? findDocument(books, CREDIT_NOTE, id) : undefined;
      if (!credit) throw notFound();
      return asUser(books, { CreditNoteID: credit.ID }, () => {
        allocateCredit(books, credit, body);
        return ok(creditNoteView(books, findDocument(books, CREDIT_NOTE, credit.ID) as DocumentRec, 4));
      });
    },
  },
  {
    // Archiving an account in the chart (Settings → Chart of accounts) to exercise Xero's archived-account rule.
    method: 'POST', pattern: /^accounts\/([^/]+)\/(archive|restore)$/i, run: (books, _b, [code, verb]) => {
      const account = code ? findAccountByCode(books, code) : undefined;
      if (!account) throw notFound();
      const next: AccountRec = { ...account, Status: verb?.toLowerCase() === 'archive' ? 'ARCHIVED' : 'ACTIVE', UpdatedDateUTC: books.nowIso() };
      books.atomically(() => books.store.put('accounts', account.AccountID, next));
      return ok(accountView(next));
    },
  },
  {
    method: 'POST', pattern: /^contacts$/i, run: (books, body) => asUser(books, {}, () =>
      ok(contactView(saveContact(books, body, undefined, { createOnly: true, asUser: true })))),
  },
  {
    method: 'POST', pattern: /^contacts\/([^/]+)\/edit$/i, run: (books, body, [id]) => {
      const contact = id ? findContact(books, id) : undefined;
      if (!contact) throw notFound();
      return asUser(books, { ContactID: contact.ContactID }, () =>
        ok(contactView(saveContact(books, body, contact, { createOnly: false, asUser: true }))));
    },
  },
  {
    method: 'POST', pattern: /^contacts\/([^/]+)\/(archive|unarchive)$/i, run: (books, _b, [id, verb]) => {
      const contact = id ? findContact(books, id) : undefined;
      if (!contact) throw notFound();
      const status = verb?.toLowerCase() === 'archive' ? 'ARCHIVED' : 'ACTIVE';
      return asUser(books, { ContactID: contact.ContactID }, () =>
        ok(contactView(saveContact(books, { ContactStatus: status }, contact, { createOnly: false, asUser: true }))));
    },
  },
];

export function runAdmin(books: Books, action: string, method: string, body: unknown): AccountingResponse {
  const path = action.replace(/^\/+|\/+$/g, '');
  const json = (body && typeof body === 'object' && !Array.isArray(body) ? body : {}) as Json;
  for (const a of ACTIONS) {
    const m = a.pattern.exec(path);
    if (!m) continue;
    if (a.method !== method.toUpperCase()) {
      throw new ApiError({ status: 405, body: { Message: `Use ${a.method} for ${path}` } });
    }
    return a.run(books, json, m.slice(1).map((s) => decodeURIComponent(s)));
  }
  throw notFound();
}
