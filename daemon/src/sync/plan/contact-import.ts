import { foldName as norm } from '../../util/fold-name.ts';
import { cleanText } from './text-fields.ts';

/**
 * Xero contacts as Bitrix sees them (issue 7 item 4): the import rule, the inbox payloads it becomes, and the
 * three-way comparison that brings later Xero edits back. Pure: the executor is sync/pull/contact-pull.ts.
 *
 * The rule, row by row: a Xero contact whose Name equals its primary person (FirstName + LastName; trimmed, case- and
 * space-insensitive) is a Bitrix contact; otherwise a Bitrix company, its primary person a contact attached to it
 * (primary) and each ContactPerson a further attached contact. No primary person: a company alone.
 */

export interface ViewEmail { value: string; type: 'WORK' | 'HOME' | 'OTHER' }
export interface ViewPhone { value: string; type: 'WORK' | 'MOBILE' | 'FAX' | 'HOME' | 'OTHER' }
export interface ViewAddress {
  type: 'street' | 'postal';
  address1: string | null; address2: string | null; city: string | null; region: string | null; postalCode: string | null; country: string | null;
}
export interface ViewPerson { firstName: string; lastName: string; email: string | null }
export interface PartyDetails {
  emails: ViewEmail[];
  phones: ViewPhone[];
  addresses: ViewAddress[];
  website: string | null;
  taxNumber: string | null;
  accountNumber: string | null;
}

/** A Xero contact reduced to what Bitrix keeps of it (and what the contact pull stores as its last-seen copy). */
export interface XeroPartyView {
  contactID: string;
  /** What the rule makes of it. */
  kind: 'contact' | 'company';
  /** Xero's Name, cleaned; '' when it has none. */
  name: string;
  /** FirstName / LastName of the contact (of its primary person for a company). */
  firstName: string;
  lastName: string;
  details: PartyDetails;
  /** Companies: the primary person (null without a first or last name) and the ContactPersons. */
  primaryPerson: ViewPerson | null;
  persons: ViewPerson[];
  status: string;
  isCustomer: boolean;
  contactNumber: string | null;
}

/** The xero-node Contact fields read (a structural subset, so the push's payloads can be viewed the same way). */
export interface XeroContactFields {
  contactID?: string;
  name?: string;
  firstName?: string;
  lastName?: string;
  emailAddress?: string;
  contactNumber?: string;
  accountNumber?: string;
  taxNumber?: string;
  website?: string;
  contactStatus?: unknown;
  isCustomer?: boolean;
  contactPersons?: Array<{ firstName?: string; lastName?: string; emailAddress?: string }>;
  phones?: Array<{ phoneType?: unknown; phoneNumber?: string; phoneAreaCode?: string; phoneCountryCode?: string }>;
  addresses?: Array<{
    addressType?: unknown; addressLine1?: string; addressLine2?: string; addressLine3?: string; addressLine4?: string;
    city?: string; region?: string; postalCode?: string; country?: string;
  }>;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE_TYPE: Readonly<Record<string, ViewPhone['type']>> = { DEFAULT: 'WORK', MOBILE: 'MOBILE', FAX: 'FAX', DDI: 'OTHER' };
const ADDRESS_TYPE: Readonly<Record<string, ViewAddress['type']>> = { STREET: 'street', POBOX: 'postal' };
const text = (value: string | undefined, max = 1000): string | null => cleanText(value, max) || null;
const email = (value: string | undefined): string | null => {
  const v = cleanText(value, 255);
  return v.length >= 3 && EMAIL.test(v) ? v : null;
};

function person(p: { firstName?: string; lastName?: string; emailAddress?: string }): ViewPerson | null {
  const out = { firstName: cleanText(p.firstName, 255), lastName: cleanText(p.lastName, 255), email: email(p.emailAddress) };
  return out.firstName || out.lastName || out.email ? out : null;
}

export function viewOfXeroContact(c: XeroContactFields): XeroPartyView {
  const name = cleanText(c.name, 255);
  const firstName = cleanText(c.firstName, 255);
  const lastName = cleanText(c.lastName, 255);
  const isPerson = (firstName !== '' || lastName !== '') && norm(name) === norm(`${firstName} ${lastName}`);
  const mail = email(c.emailAddress);
  const phones: ViewPhone[] = [];
  for (const p of c.phones ?? []) {
    const number = cleanText(p.phoneNumber, 100);
    const type = PHONE_TYPE[String(p.phoneType ?? '').toUpperCase()];
    if (number === '' || !type) continue;
    const country = cleanText(p.phoneCountryCode, 20).replace(/^\+/, '');
    const value = cleanText([country ? `+${country}` : '', cleanText(p.phoneAreaCode, 10), number].filter(Boolean).join(' '), 100);
    phones.push({ value, type });
  }
  const addresses: ViewAddress[] = [];
  for (const a of c.addresses ?? []) {
    const type = ADDRESS_TYPE[String(a.addressType ?? '').toUpperCase()];
    if (!type || addresses.some((x) => x.type === type)) continue;
    const rest = [a.addressLine2, a.addressLine3, a.addressLine4].map((l) => cleanText(l, 500)).filter(Boolean).join(', ');
    const address: ViewAddress = {
      type, address1: text(a.addressLine1), address2: rest || null, city: text(a.city), region: text(a.region),
      postalCode: text(a.postalCode), country: text(a.country),
    };
    if (Object.entries(address).some(([k, v]) => k !== 'type' && v !== null)) addresses.push(address);
  }
  const primary = isPerson ? null : person({ firstName, lastName, ...(mail && { emailAddress: mail }) });
  return {
    contactID: String(c.contactID ?? '').toLowerCase(),
    kind: isPerson ? 'contact' : 'company',
    name, firstName, lastName,
    details: {
      emails: mail ? [{ value: mail, type: 'WORK' }] : [],
      phones,
      addresses: addresses.sort((a, b) => a.type.localeCompare(b.type)),
      website: text(c.website), taxNumber: text(c.taxNumber), accountNumber: text(c.accountNumber),
    },
    primaryPerson: primary && (primary.firstName || primary.lastName) ? primary : null,
    persons: (c.contactPersons ?? []).flatMap((p) => { const v = person(p); return v ? [v] : []; }).slice(0, 5),
    status: String(c.contactStatus ?? 'ACTIVE').toUpperCase(),
    isCustomer: c.isCustomer === true,
    contactNumber: text(c.contactNumber, 255),
  };
}

export type ImportSkip = 'archived' | 'not_customer' | 'no_name' | 'ours';

/** Whether an unlinked Xero contact is imported at all ('ours': a ContactNumber the push gives, B24-C-/B24-CO-). */
export function importSkip(view: XeroPartyView, mode: 'all' | 'customers'): ImportSkip | null {
  if (view.status !== 'ACTIVE') return 'archived';
  if (/^B24-(C|CO)-\d+$/.test(view.contactNumber ?? '')) return 'ours';
  if (view.name === '' && view.firstName === '' && view.lastName === '') return 'no_name';
  if (mode === 'customers' && !view.isCustomer) return 'not_customer';
  return null;
}

export type ImportRow =
  | { action: 'import_contact'; entityType: 'contact'; payload: Record<string, unknown> }
  | { action: 'import_company'; entityType: 'company'; payload: Record<string, unknown> };

/** The inbox row (sql/inbox/import_contact|import_company.schema.json) that makes this Xero contact a Bitrix record. */
export function importRow(view: XeroPartyView, xeroUpdatedUtc: string): ImportRow {
  if (view.kind === 'contact') {
    return {
      action: 'import_contact', entityType: 'contact',
      payload: { xeroContactId: view.contactID, xeroUpdatedUtc, person: { firstName: view.firstName, lastName: view.lastName }, details: view.details },
    };
  }
  return {
    action: 'import_company', entityType: 'company',
    payload: { xeroContactId: view.contactID, xeroUpdatedUtc, title: companyTitle(view), details: view.details, primaryPerson: view.primaryPerson, persons: view.persons },
  };
}

/** The Bitrix company title of a Xero contact: its Name; with none (Xero requires one; seen on imports), its person's. */
export function companyTitle(view: XeroPartyView): string {
  return view.name || cleanText(`${view.firstName} ${view.lastName}`, 255) || view.contactID;
}

/** The fields update_party can set, per kind, with the value a view holds for each. */
export function partyFields(view: XeroPartyView, kind: 'contact' | 'company'): Record<string, unknown> {
  const names = kind === 'contact' ? { firstName: view.firstName, lastName: view.lastName } : { title: view.name || view.contactID };
  return { ...names, ...view.details };
}

/** Fields the push payload carries (planPartyContact): only these can have changed on the Bitrix side. */
const BITRIX_CARRIES = new Set(['firstName', 'lastName', 'title', 'emails', 'phones', 'addresses', 'taxNumber']);

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

export interface PartyMerge {
  /** update_party `set`: what Xero changed since `base` and Bitrix may take. */
  set: Record<string, unknown>;
  /** update_party `persons` for a company whose people changed in Xero. */
  persons: { primary: ViewPerson | null; others: ViewPerson[] } | null;
  /** Fields changed on both sides to different values. */
  conflicts: Array<{ field: string; xero: unknown; bitrix: unknown }>;
}

/**
 * Three-way: `base` is the Xero copy last seen (the import, or the first look at a pushed contact), `xero` the copy
 * now, `bitrix` Bitrix's record seen the same way (its push payload through viewOfXeroContact). A field Xero changed
 * and Bitrix did not goes to Bitrix; changed on both sides to different values is a conflict — the record's master
 * (`xero` for what came from Xero, `bitrix` for what Bitrix created) wins it, and the conflict is recorded either way.
 * A field both sides changed to the same value, or our own push coming back, is nothing.
 */
export function mergeXeroEdit(
  base: XeroPartyView, xero: XeroPartyView, bitrix: XeroPartyView, kind: 'contact' | 'company', master: 'xero' | 'bitrix',
): PartyMerge {
  const b = partyFields(base, kind);
  const x = partyFields(xero, kind);
  const r = partyFields(bitrix, kind);
  const out: PartyMerge = { set: {}, persons: null, conflicts: [] };
  for (const field of Object.keys(x)) {
    if (same(x[field], b[field]) || same(x[field], r[field])) continue;
    const bitrixChanged = BITRIX_CARRIES.has(field) && !same(r[field], b[field]);
    if (bitrixChanged) {
      out.conflicts.push({ field, xero: x[field], bitrix: r[field] });
      if (master === 'bitrix') continue;
    }
    out.set[field] = x[field];
  }
  if (kind === 'company') {
    const people = (v: XeroPartyView) => ({ primary: v.primaryPerson, others: v.persons });
    if (!same(people(xero), people(base)) && !same(people(xero), people(bitrix))) out.persons = people(xero);
  }
  return out;
}

/** IDEMPOTENCY_KEY of a link the import made: marks the record as Xero's (its master for conflicts). */
export const importLinkKey = (xeroContactId: string): string => `import:${xeroContactId.toLowerCase()}`;
export const isImportLink = (key: string | null | undefined): boolean => (key ?? '').startsWith('import:');
