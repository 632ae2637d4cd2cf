/**
 * Contacts: name unique among ACTIVE contacts, ContactNumber unique, at most 5 ContactPersons, archived contacts
 * hidden from lists unless includeArchived and not editable through the API.
 */
import type { AccountingRequest, AccountingResponse } from '../../contract.ts';
import { Problems, writeBatch, writeSingle } from '../batch.ts';
import type { Books } from '../books.ts';
import { instantString, msDateOfInstant } from '../dates.ts';
import { envelope } from '../envelope.ts';
import { INDEX, norm } from '../indexes.ts';
import { ElementError, notFound } from '../errors.ts';
import { array, bool, compact, GUID, has, text, type Json } from '../input.ts';
import { boolParam, listParam, listQuery, param } from '../query.ts';
import { round2 } from '../money.ts';
import type { AddressRec, ContactPersonRec, ContactRec, DocumentRec, PhoneRec } from '../types.ts';

export const MAX_CONTACT_PERSONS = 5;
const ADDRESS_SLOTS = ['POBOX', 'STREET'];
const PHONE_SLOTS = ['DDI', 'DEFAULT', 'FAX', 'MOBILE'];
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const msg = {
  nameTaken: (name: string) =>
    `The contact name ${name} is already assigned to another contact. The contact name must be unique across all active contacts.`,
  numberTaken: (n: string) => `The contact number ${n} is already assigned to another contact.`,
  archivedEdit: 'The specified contact details matched an archived contact. Archived contacts cannot currently be edited via the API.',
  // Reference §4.6 gives the limit (5) but no verbatim text; this wording is the simulator's.
  tooManyPersons: `A contact can have a maximum of ${MAX_CONTACT_PERSONS} contact persons.`,
  nameRequired: 'The contact name must be specified.',
  badEmail: 'Email address must be valid.',
  identify: 'The Contact must contain at least 1 of the following elements to identify the contact: Name, ContactID, ContactNumber',
};

export function findContactByName(books: Books, name: string, exceptId?: string): ContactRec | undefined {
  return books.store.lookup<ContactRec>('contacts', INDEX.contactName, norm(name))
    .find((c) => c.ContactStatus === 'ACTIVE' && c.ContactID !== exceptId);
}

function archivedByName(books: Books, name: string): ContactRec | undefined {
  return books.store.lookup<ContactRec>('contacts', INDEX.contactName, norm(name)).find((c) => c.ContactStatus === 'ARCHIVED');
}

export function findContactByNumber(books: Books, number: string, exceptId?: string): ContactRec | undefined {
  return books.store.lookup<ContactRec>('contacts', INDEX.contactNumber, norm(number)).find((c) => c.ContactID !== exceptId);
}

/** GET /Contacts/{id}: ContactID or ContactNumber. */
export function findContact(books: Books, idOrNumber: string): ContactRec | undefined {
  if (GUID.test(idOrNumber)) {
    const byId = books.store.get<ContactRec>('contacts', idOrNumber.toLowerCase());
    if (byId) return byId;
  }
  return findContactByNumber(books, idOrNumber);
}

function addresses(input: Json[] | undefined, current: AddressRec[]): AddressRec[] {
  if (!input) return current;
  const byType = new Map(current.map((a) => [a.AddressType, a]));
  for (const a of input) {
    const type = (text(a, 'AddressType') ?? 'POBOX').toUpperCase();
    byType.set(type, compact({
      AddressType: type,
      AddressLine1: text(a, 'AddressLine1'), AddressLine2: text(a, 'AddressLine2'),
      AddressLine3: text(a, 'AddressLine3'), AddressLine4: text(a, 'AddressLine4'),
      City: text(a, 'City'), Region: text(a, 'Region'), PostalCode: text(a, 'PostalCode'),
      Country: text(a, 'Country'), AttentionTo: text(a, 'AttentionTo'),
    }));
  }
  return [...byType.values()];
}

function phones(input: Json[] | undefined, current: PhoneRec[]): PhoneRec[] {
  if (!input) return current;
  const byType = new Map(current.map((p) => [p.PhoneType, p]));
  for (const p of input) {
    const type = (text(p, 'PhoneType') ?? 'DEFAULT').toUpperCase();
    byType.set(type, compact({
      PhoneType: type, PhoneNumber: text(p, 'PhoneNumber'), PhoneAreaCode: text(p, 'PhoneAreaCode'),
      PhoneCountryCode: text(p, 'PhoneCountryCode'),
    }));
  }
  return [...byType.values()];
}

function persons(input: Json[] | undefined, current: ContactPersonRec[]): ContactPersonRec[] {
  if (!input) return current;
  return input.map((p) => compact({
    FirstName: text(p, 'FirstName'), LastName: text(p, 'LastName'), EmailAddress: text(p, 'EmailAddress'),
    IncludeInEmails: bool(p, 'IncludeInEmails') ?? false,
  }));
}

export interface ContactWriteOptions {
  /** PUT: an existing name/number is an error rather than a match. */
  createOnly: boolean;
  /** Admin actions act as a Xero user and may edit archived contacts. */
  asUser?: boolean;
}

/** Creates or updates one contact from request JSON; throws ElementError with every problem found. */
export function saveContact(books: Books, input: Json, existing: ContactRec | undefined, opts: ContactWriteOptions): ContactRec {
  const problems = new Problems();
  const name = has(input, 'Name') ? text(input, 'Name') ?? '' : existing?.Name;
  const status = (text(input, 'ContactStatus')?.toUpperCase() ?? existing?.ContactStatus ?? 'ACTIVE') as ContactRec['ContactStatus'];
  if (existing?.ContactStatus === 'ARCHIVED' && !opts.asUser && status !== 'ACTIVE') {
    throw new ElementError([msg.archivedEdit]);
  }
  if (!name) problems.add(msg.nameRequired);
  else if (status === 'ACTIVE' && findContactByName(books, name, existing?.ContactID)) problems.add(msg.nameTaken(name));
  const number = has(input, 'ContactNumber') ? text(input, 'ContactNumber') : existing?.ContactNumber;
  if (number && findContactByNumber(books, number, existing?.ContactID)) problems.add(msg.numberTaken(number));
  const email = has(input, 'EmailAddress') ? text(input, 'EmailAddress') : existing?.EmailAddress;
  if (email && !EMAIL.test(email)) problems.add(msg.badEmail);
  const contactPersons = persons(array(input, 'ContactPersons'), existing?.ContactPersons ?? []);
  if (contactPersons.length > MAX_CONTACT_PERSONS) problems.add(msg.tooManyPersons);
  for (const p of contactPersons) if (p.EmailAddress && !EMAIL.test(p.EmailAddress)) problems.add(msg.badEmail);
  problems.throwIfAny();

  const keep = (key: keyof ContactRec): string | undefined =>
    has(input, key) ? text(input, key) : (existing?.[key] as string | undefined);
  const record: ContactRec = compact({
    ContactID: existing?.ContactID ?? books.newId(),
    ContactNumber: number || undefined,
    AccountNumber: keep('AccountNumber') || undefined,
    ContactStatus: status,
    Name: name as string,
    FirstName: keep('FirstName') || undefined,
    LastName: keep('LastName') || undefined,
    EmailAddress: email || undefined,
    CompanyNumber: keep('CompanyNumber') || undefined,
    Website: keep('Website') || undefined,
    TaxNumber: keep('TaxNumber') || undefined,
    DefaultCurrency: keep('DefaultCurrency') || undefined,
    ContactPersons: contactPersons,
    Addresses: addresses(array(input, 'Addresses'), existing?.Addresses ?? []),
    Phones: phones(array(input, 'Phones'), existing?.Phones ?? []),
    IsSupplier: existing?.IsSupplier ?? false,
    IsCustomer: existing?.IsCustomer ?? false,
    UpdatedDateUTC: existing?.UpdatedDateUTC ?? books.nowIso(),
  });
  if (existing && sameRecord(existing, record)) return existing;
  record.UpdatedDateUTC = books.nowIso();
  books.store.put('contacts', record.ContactID, record);
  books.changed('CONTACT', existing ? 'UPDATE' : 'CREATE', record.ContactID);
  return record;
}

function sameRecord(a: ContactRec, b: ContactRec): boolean {
  return JSON.stringify({ ...a, UpdatedDateUTC: '' }) === JSON.stringify({ ...b, UpdatedDateUTC: '' });
}

/** Marks a contact as customer/supplier when a document is raised against it (no UpdatedDateUTC bump, as in Xero). */
export function markContactRole(books: Books, contact: ContactRec, role: 'IsCustomer' | 'IsSupplier'): void {
  if (contact[role]) return;
  books.store.put('contacts', contact.ContactID, { ...contact, [role]: true });
}

/**
 * Resolves the Contact of a document: by ContactID, ContactNumber or Name; a Name that matches nobody creates the
 * contact (Xero staff answer, reference §4.1). Archived contacts cannot be used on new documents.
 */
export function resolveDocumentContact(books: Books, input: Json | undefined, problems: Problems): ContactRec | undefined {
  if (!input) {
    problems.add('A Contact must be specified for this type of transaction');
    return undefined;
  }
  const id = text(input, 'ContactID');
  const number = text(input, 'ContactNumber');
  const name = text(input, 'Name');
  let contact: ContactRec | undefined;
  if (id) {
    contact = GUID.test(id) ? books.store.get<ContactRec>('contacts', id.toLowerCase()) : undefined;
    if (!contact) {
      problems.add(`The contact with ContactID ${id} could not be found.`); // L: wording not verified against Xero
      return undefined;
    }
  } else if (number) {
    contact = findContactByNumber(books, number);
    if (!contact && !name) {
      problems.add(`The contact with ContactNumber ${number} could not be found.`);
      return undefined;
    }
  }
  if (!contact && name) {
    contact = findContactByName(books, name) ?? archivedByName(books, name);
    if (!contact) {
      try {
        contact = saveContact(books, input, undefined, { createOnly: true });
      } catch (error) {
        if (!(error instanceof ElementError)) throw error;
        for (const m of error.messages) problems.add(m);
        return undefined;
      }
    }
  }
  if (!contact) {
    problems.add(msg.identify);
    return undefined;
  }
  if (contact.ContactStatus === 'ARCHIVED') {
    // L: Xero's exact wording for documents on archived contacts is not in the reference.
    problems.add('The contact is archived and cannot be used.');
    return undefined;
  }
  return contact;
}

// ---- views ----

/** Full contact as GET /Contacts returns it, with Xero's fixed address and phone slots. */
export function contactView(c: ContactRec, summaryOnly = false): Json {
  const addresses = [...c.Addresses];
  for (const slot of ADDRESS_SLOTS) if (!addresses.some((a) => a.AddressType === slot)) addresses.push({ AddressType: slot });
  const phoneList = [...c.Phones];
  for (const slot of PHONE_SLOTS) if (!phoneList.some((p) => p.PhoneType === slot)) phoneList.push({ PhoneType: slot });
  const base = compact({
    ContactID: c.ContactID,
    ContactNumber: c.ContactNumber,
    AccountNumber: c.AccountNumber,
    ContactStatus: c.ContactStatus,
    Name: c.Name,
    FirstName: c.FirstName,
    LastName: c.LastName,
    EmailAddress: c.EmailAddress,
    CompanyNumber: c.CompanyNumber,
    TaxNumber: c.TaxNumber,
    DefaultCurrency: c.DefaultCurrency,
    Website: c.Website,
    UpdatedDateUTC: msDateOfInstant(c.UpdatedDateUTC),
    IsSupplier: c.IsSupplier,
    IsCustomer: c.IsCustomer,
    HasAttachments: false,
    HasValidationErrors: false,
  });
  if (summaryOnly) return base;
  return {
    ...base,
    ContactPersons: c.ContactPersons,
    Addresses: addresses,
    Phones: phoneList,
    ContactGroups: [],
  };
}

/** The contact summary embedded in documents. */
export function contactRefView(c: ContactRec | undefined, id: string): Json {
  if (!c) return { ContactID: id };
  return compact({
    ContactID: c.ContactID, ContactNumber: c.ContactNumber, ContactStatus: c.ContactStatus, Name: c.Name,
    FirstName: c.FirstName, LastName: c.LastName, EmailAddress: c.EmailAddress, HasValidationErrors: false,
  });
}

export function contactFields(c: ContactRec): Json {
  return {
    ContactID: c.ContactID, ContactNumber: c.ContactNumber ?? null, AccountNumber: c.AccountNumber ?? null,
    ContactStatus: c.ContactStatus, Name: c.Name, FirstName: c.FirstName ?? null, LastName: c.LastName ?? null,
    EmailAddress: c.EmailAddress ?? null, CompanyNumber: c.CompanyNumber ?? null, TaxNumber: c.TaxNumber ?? null,
    IsSupplier: c.IsSupplier, IsCustomer: c.IsCustomer, DefaultCurrency: c.DefaultCurrency ?? null,
    UpdatedDateUTC: c.UpdatedDateUTC, HasAttachments: false, Website: c.Website ?? null,
  };
}

// ---- handlers ----

export function listContacts(books: Books, req: AccountingRequest): AccountingResponse {
  let records = books.store.all<ContactRec>('contacts');
  const ids = listParam(req, 'IDs')?.map((s) => s.toLowerCase());
  if (ids) records = records.filter((c) => ids.includes(c.ContactID));
  // Archived contacts are left out unless asked for, or unless asked for by id.
  if (!boolParam(req, 'includeArchived') && !ids) records = records.filter((c) => c.ContactStatus !== 'ARCHIVED');
  const term = param(req, 'searchTerm')?.trim().toLowerCase();
  if (term) {
    records = records.filter((c) => [c.Name, c.FirstName, c.LastName, c.ContactNumber, c.CompanyNumber, c.EmailAddress]
      .some((v) => v?.toLowerCase().includes(term)));
  }
  const { items, pagination } = listQuery(records, req, {
    typeName: 'Contact', fieldsOf: contactFields, updatedOf: (c) => c.UpdatedDateUTC, paged: true,
  });
  const summaryOnly = boolParam(req, 'summaryOnly') ?? false;
  return { status: 200, body: envelope(books.now(), 'Contacts', items.map((c) => contactView(c, summaryOnly)), pagination) };
}

/** GET /Contacts/{id}: the full contact plus its Balances (only single-contact reads carry them, as in Xero). */
export function getContact(books: Books, id: string): AccountingResponse {
  const contact = findContact(books, id);
  if (!contact) throw notFound();
  return { status: 200, body: envelope(books.now(), 'Contacts', [{ ...contactView(contact), Balances: balancesOf(books, contact) }]) };
}

function balancesOf(books: Books, contact: ContactRec): Json {
  const today = books.today();
  const owed = { ACCREC: { Outstanding: 0, Overdue: 0 }, ACCPAY: { Outstanding: 0, Overdue: 0 } };
  for (const d of books.store.all<DocumentRec>('invoices')) {
    if (d.ContactID !== contact.ContactID || d.Status !== 'AUTHORISED') continue;
    const side = owed[d.Type as 'ACCREC' | 'ACCPAY'];
    side.Outstanding += d.AmountDue;
    if (d.DueDate && d.DueDate < today) side.Overdue += d.AmountDue;
  }
  const money = (v: { Outstanding: number; Overdue: number }) => ({ Outstanding: round2(v.Outstanding), Overdue: round2(v.Overdue) });
  return { AccountsReceivable: money(owed.ACCREC), AccountsPayable: money(owed.ACCPAY) };
}

/** PUT /Contacts (create only) and POST /Contacts (create or update, matching ContactID, ContactNumber, then Name). */
export function writeContacts(books: Books, req: AccountingRequest, createOnly: boolean): AccountingResponse {
  return writeBatch(books, req, {
    collection: 'Contacts',
    idField: 'ContactID',
    apply: (element) => contactView(saveContact(books, element, matchExisting(books, element, createOnly), { createOnly })),
  });
}

function matchExisting(books: Books, element: Json, createOnly: boolean): ContactRec | undefined {
  const id = text(element, 'ContactID');
  if (id) {
    const found = GUID.test(id) ? books.store.get<ContactRec>('contacts', id.toLowerCase()) : undefined;
    if (!found) throw new ElementError([`The contact with ContactID ${id} could not be found.`]);
    return found;
  }
  if (createOnly) return undefined;
  const number = text(element, 'ContactNumber');
  const byNumber = number ? findContactByNumber(books, number) : undefined;
  if (byNumber) return byNumber;
  const name = text(element, 'Name');
  return name ? findContactByName(books, name) ?? archivedByName(books, name) : undefined;
}

/** POST /Contacts/{id}. */
export function updateContact(books: Books, req: AccountingRequest, id: string): AccountingResponse {
  const existing = findContact(books, id);
  if (!existing) throw notFound();
  return writeSingle(books, req, {
    collection: 'Contacts',
    idField: 'ContactID',
    apply: (element) => contactView(saveContact(books, element, existing, { createOnly: false })),
  });
}

