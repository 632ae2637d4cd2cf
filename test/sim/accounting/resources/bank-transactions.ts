/** /BankTransactions: RECEIVE and SPEND money through a BANK account, with lines taxed like invoices. */
import type { AccountingRequest, AccountingResponse } from '../../contract.ts';
import { Problems, writeBatch } from '../batch.ts';
import type { Books } from '../books.ts';
import { instantString, msDateOfDay, msDateOfInstant, parseDay } from '../dates.ts';
import { checkLockDates, docMsg } from '../documents.ts';
import { envelope } from '../envelope.ts';
import { ElementError, notFound } from '../errors.ts';
import { array, bool, compact, field, GUID, object, text, type Json } from '../input.ts';
import { buildLine, findAccountByCode, lineView, totalsOf } from '../lines.ts';
import { toNumber } from '../money.ts';
import { listParam, listQuery, unitDp } from '../query.ts';
import type { AccountRec, BankTransactionRec, ContactRec, CurrencyRec, LineAmountTypes } from '../types.ts';
import { contactRefView, resolveDocumentContact } from './contacts.ts';

export const bankMsg = {
  type: 'Bank transaction Type must be RECEIVE or SPEND', // L
  bankAccount: 'A valid BankAccount (Code or AccountID of a BANK account) must be specified', // L
};

function save(books: Books, input: Json, unitdp: 2 | 4): BankTransactionRec {
  const problems = new Problems();
  const type = text(input, 'Type')?.toUpperCase();
  if (type !== 'RECEIVE' && type !== 'SPEND') problems.add(bankMsg.type);
  const contact = resolveDocumentContact(books, object(input, 'Contact'), problems);
  const bankRef = object(input, 'BankAccount');
  const bankId = text(bankRef, 'AccountID');
  const bankCode = text(bankRef, 'Code');
  const bank = bankId && GUID.test(bankId) ? books.store.get<AccountRec>('accounts', bankId.toLowerCase())
    : bankCode ? findAccountByCode(books, bankCode) : undefined;
  if (!bank || bank.Type !== 'BANK') problems.add(bankMsg.bankAccount);
  const lat = (text(input, 'LineAmountTypes') ?? 'Exclusive') as LineAmountTypes;
  const lineAmountTypes: LineAmountTypes = ['Exclusive', 'Inclusive', 'NoTax'].includes(lat) ? lat : 'Exclusive';
  const lines = (array(input, 'LineItems') ?? []).map((l) => buildLine({
    books, side: type === 'SPEND' ? 'PURCHASES' : 'SALES', lineAmountTypes, unitdp, requireAccount: true, problems,
  }, l, new Set()));
  const dateRaw = field(input, 'Date');
  const date = dateRaw === undefined ? books.today() : parseDay(dateRaw);
  if (!date) problems.add(docMsg.badDate('Date'));
  else checkLockDates(books, date, problems);
  const currency = text(input, 'CurrencyCode')?.toUpperCase() ?? bank?.CurrencyCode ?? books.settings.baseCurrency;
  if (!books.store.get<CurrencyRec>('currencies', currency)) problems.add(docMsg.currency(currency));
  problems.throwIfAny();
  const record: BankTransactionRec = compact({
    BankTransactionID: books.newId(),
    Type: type as 'RECEIVE' | 'SPEND',
    ContactID: (contact as ContactRec).ContactID,
    BankAccountID: (bank as AccountRec).AccountID,
    Date: date as string,
    Reference: text(input, 'Reference') || undefined,
    Status: 'AUTHORISED' as const,
    IsReconciled: bool(input, 'IsReconciled') ?? false,
    LineAmountTypes: lineAmountTypes,
    LineItems: lines,
    ...totalsOf(lines, lineAmountTypes),
    CurrencyCode: currency,
    CurrencyRate: toNumber(field(input, 'CurrencyRate')) ?? 1,
    Url: text(input, 'Url') || undefined,
    UpdatedDateUTC: books.nowIso(),
  });
  books.store.put('bankTransactions', record.BankTransactionID, record);
  return record;
}

function view(books: Books, t: BankTransactionRec, unitdp: 2 | 4): Json {
  const bank = books.store.get<AccountRec>('accounts', t.BankAccountID);
  return compact({
    BankTransactionID: t.BankTransactionID,
    Type: t.Type,
    Contact: contactRefView(books.store.get<ContactRec>('contacts', t.ContactID), t.ContactID),
    BankAccount: { AccountID: t.BankAccountID, Code: bank?.Code, Name: bank?.Name },
    IsReconciled: t.IsReconciled,
    Date: msDateOfDay(t.Date),
    Reference: t.Reference,
    CurrencyCode: t.CurrencyCode,
    CurrencyRate: t.CurrencyRate,
    Url: t.Url,
    Status: t.Status,
    LineAmountTypes: t.LineAmountTypes,
    LineItems: t.LineItems.map((l) => lineView(l, unitdp)),
    SubTotal: t.SubTotal,
    TotalTax: t.TotalTax,
    Total: t.Total,
    UpdatedDateUTC: msDateOfInstant(t.UpdatedDateUTC),
    UpdatedDateUTCString: instantString(t.UpdatedDateUTC),
    HasAttachments: false,
  });
}

function fields(books: Books, t: BankTransactionRec): Json {
  const contact = books.store.get<ContactRec>('contacts', t.ContactID);
  return {
    BankTransactionID: t.BankTransactionID, Type: t.Type, Contact: { ContactID: t.ContactID, Name: contact?.Name ?? null },
    BankAccount: { AccountID: t.BankAccountID }, Date: t.Date, Reference: t.Reference ?? null, Status: t.Status,
    IsReconciled: t.IsReconciled, SubTotal: t.SubTotal, TotalTax: t.TotalTax, Total: t.Total,
    CurrencyCode: t.CurrencyCode, UpdatedDateUTC: t.UpdatedDateUTC,
  };
}

export function listBankTransactions(books: Books, req: AccountingRequest): AccountingResponse {
  let records = books.store.all<BankTransactionRec>('bankTransactions');
  const references = listParam(req, 'References')?.map((r) => r.toLowerCase());
  if (references) records = records.filter((t) => references.includes((t.Reference ?? '').toLowerCase()));
  const { items, pagination } = listQuery(records, req, {
    typeName: 'BankTransaction', paged: true, updatedOf: (t) => t.UpdatedDateUTC, fieldsOf: (t) => fields(books, t),
  });
  const unitdp = unitDp(req);
  return { status: 200, body: envelope(books.now(), 'BankTransactions', items.map((t) => view(books, t, unitdp)), pagination) };
}

export function getBankTransaction(books: Books, req: AccountingRequest, id: string): AccountingResponse {
  const t = books.store.get<BankTransactionRec>('bankTransactions', id.toLowerCase());
  if (!t) throw notFound();
  return { status: 200, body: envelope(books.now(), 'BankTransactions', [view(books, t, unitDp(req))]) };
}

/** Create only: editing bank transactions is outside what a CRM sync needs (a POST with an id is refused). */
export function writeBankTransactions(books: Books, req: AccountingRequest): AccountingResponse {
  const unitdp = unitDp(req);
  return writeBatch(books, req, {
    collection: 'BankTransactions',
    idField: 'BankTransactionID',
    apply: (element) => {
      if (text(element, 'BankTransactionID')) throw new ElementError(['Updating bank transactions is not supported by the simulator.']);
      return view(books, save(books, element, unitdp), unitdp);
    },
  });
}
