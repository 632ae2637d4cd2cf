/** Maps an Accounting API request (path below /api.xro/2.0) to its handler. Xero's routes are case-insensitive. */
import type { AccountingRequest, AccountingResponse } from '../contract.ts';
import type { Books } from './books.ts';
import { notFound } from './errors.ts';
import * as bank from './resources/bank-transactions.ts';
import * as contacts from './resources/contacts.ts';
import * as credits from './resources/credit-notes.ts';
import * as invoices from './resources/invoices.ts';
import * as items from './resources/items.ts';
import * as payments from './resources/payments.ts';
import * as settings from './resources/settings.ts';

type Handler = (books: Books, req: AccountingRequest, params: string[]) => AccountingResponse;

interface Route { method: AccountingRequest['method']; pattern: RegExp; handler: Handler }

const ID = '([^/]+)';
const route = (method: Route['method'], path: string, handler: Handler): Route =>
  ({ method, pattern: new RegExp(`^${path}/?$`, 'i'), handler });

const ROUTES: Route[] = [
  route('GET', '/Organisations?', (b) => settings.getOrganisation(b)),
  route('GET', '/Organisations?/Actions', (b) => settings.getOrganisationActions(b)),
  route('GET', '/BrandingThemes', (b) => settings.listBrandingThemes(b)),
  route('GET', '/Accounts', (b, r) => settings.listAccounts(b, r)),
  route('GET', `/Accounts/${ID}`, (b, _r, [id]) => settings.getAccount(b, id as string)),
  route('GET', '/TaxRates', (b, r) => settings.listTaxRates(b, r)),
  route('GET', '/Currencies', (b, r) => settings.listCurrencies(b, r)),
  route('GET', '/TrackingCategories', (b, r) => settings.listTrackingCategories(b, r)),
  route('GET', `/TrackingCategories/${ID}`, (b, _r, [id]) => settings.getTrackingCategory(b, id as string)),

  route('GET', '/Contacts', (b, r) => contacts.listContacts(b, r)),
  route('PUT', '/Contacts', (b, r) => contacts.writeContacts(b, r, true)),
  route('POST', '/Contacts', (b, r) => contacts.writeContacts(b, r, false)),
  route('GET', `/Contacts/${ID}`, (b, _r, [id]) => contacts.getContact(b, id as string)),
  route('POST', `/Contacts/${ID}`, (b, r, [id]) => contacts.updateContact(b, r, id as string)),

  route('GET', '/Invoices', (b, r) => invoices.listInvoices(b, r)),
  route('PUT', '/Invoices', (b, r) => invoices.writeInvoices(b, r, true)),
  route('POST', '/Invoices', (b, r) => invoices.writeInvoices(b, r, false)),
  route('GET', `/Invoices/${ID}/OnlineInvoice`, (b, _r, [id]) => invoices.onlineInvoice(b, id as string)),
  route('POST', `/Invoices/${ID}/Email`, (b, _r, [id]) => invoices.emailInvoice(b, id as string)),
  route('GET', `/Invoices/${ID}`, (b, r, [id]) => invoices.getInvoice(b, r, id as string)),
  route('POST', `/Invoices/${ID}`, (b, r, [id]) => invoices.updateInvoice(b, r, id as string)),

  route('GET', '/Items', (b, r) => items.listItems(b, r)),
  route('PUT', '/Items', (b, r) => items.writeItems(b, r, true)),
  route('POST', '/Items', (b, r) => items.writeItems(b, r, false)),
  route('GET', `/Items/${ID}`, (b, r, [id]) => items.getItem(b, r, id as string)),
  route('POST', `/Items/${ID}`, (b, r, [id]) => items.updateItem(b, r, id as string)),
  route('DELETE', `/Items/${ID}`, (b, _r, [id]) => items.deleteItem(b, id as string)),

  route('GET', '/Payments', (b, r) => payments.listPayments(b, r)),
  route('PUT', '/Payments', (b, r) => payments.writePayments(b, r)),
  route('POST', '/Payments', (b, r) => payments.writePayments(b, r)),
  route('GET', `/Payments/${ID}`, (b, _r, [id]) => payments.getPayment(b, id as string)),
  route('POST', `/Payments/${ID}`, (b, r, [id]) => payments.deletePayment(b, r, id as string)),

  route('GET', '/CreditNotes', (b, r) => credits.listCreditNotes(b, r)),
  route('PUT', '/CreditNotes', (b, r) => credits.writeCreditNotes(b, r, true)),
  route('POST', '/CreditNotes', (b, r) => credits.writeCreditNotes(b, r, false)),
  route('GET', `/CreditNotes/${ID}`, (b, r, [id]) => credits.getCreditNote(b, r, id as string)),
  route('POST', `/CreditNotes/${ID}`, (b, r, [id]) => credits.updateCreditNote(b, r, id as string)),
  route('PUT', `/CreditNotes/${ID}/Allocations`, (b, r, [id]) => credits.allocate(b, r, id as string)),
  route('DELETE', `/CreditNotes/${ID}/Allocations/${ID}`, (b, _r, [id, allocationId]) =>
    credits.deleteAllocation(b, id as string, allocationId as string)),

  route('GET', '/BankTransactions', (b, r) => bank.listBankTransactions(b, r)),
  route('PUT', '/BankTransactions', (b, r) => bank.writeBankTransactions(b, r)),
  route('POST', '/BankTransactions', (b, r) => bank.writeBankTransactions(b, r)),
  route('GET', `/BankTransactions/${ID}`, (b, r, [id]) => bank.getBankTransaction(b, r, id as string)),
];

export function dispatch(books: Books, req: AccountingRequest): AccountingResponse {
  const path = req.path.split('?')[0] ?? '';
  for (const r of ROUTES) {
    if (r.method !== req.method) continue;
    const m = r.pattern.exec(path);
    if (m) return r.handler(books, req, m.slice(1).map((s) => decodeURIComponent(s)));
  }
  throw notFound();
}
