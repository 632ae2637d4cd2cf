import type { AddressPayload, AddressType, ContactPayload, InvoicePayload, ItemPayload, LineAmountType, LineItemPayload, PhonePayload, PhoneType } from './xero-payload.ts';

/** The fields of a xero-node Invoice that the projection reads (dates may be Date objects at runtime). */
export interface XeroInvoiceLike {
  invoiceID?: string | undefined;
  type?: unknown;
  contact?: { contactID?: string | undefined } | undefined;
  lineItems?: ReadonlyArray<{
    description?: string | undefined;
    quantity?: number | undefined;
    unitAmount?: number | undefined;
    discountRate?: number | undefined;
    discountAmount?: number | undefined;
    taxType?: string | undefined;
    accountCode?: string | undefined;
    itemCode?: string | undefined;
  }> | undefined;
  lineAmountTypes?: unknown;
  currencyCode?: unknown;
  date?: unknown;
  dueDate?: unknown;
  invoiceNumber?: string | undefined;
  reference?: string | undefined;
  status?: unknown;
}

/** 'YYYY-MM-DD' from what xero-node returns: a Date at UTC midnight, an ISO string, or '/Date(ms+0000)/'. */
export function xeroDate(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString().slice(0, 10);
  const text = String(value);
  const ms = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/.exec(text);
  if (ms?.[1]) return new Date(Number(ms[1])).toISOString().slice(0, 10);
  return /^\d{4}-\d{2}-\d{2}/.test(text) ? text.slice(0, 10) : undefined;
}

/**
 * Xero's copy of an invoice in the shape planInvoice produces, keeping only the fields we send, so diffPayload shows
 * what a push would change. Zero discounts and empty strings read as absent, as they are in a planned payload.
 */
export function invoicePayloadFromXero(
  invoice: XeroInvoiceLike,
  options: { invoiceNumberPolicy?: 'bitrix' | 'xero' } = {},
): Partial<InvoicePayload> {
  const out: Partial<InvoicePayload> = {};
  if (invoice.contact?.contactID) out.contact = { contactID: invoice.contact.contactID };
  out.lineItems = (invoice.lineItems ?? []).map((l) => {
    const line: LineItemPayload = {
      description: l.description ?? '',
      quantity: l.quantity ?? 0,
      unitAmount: l.unitAmount ?? 0,
      taxType: l.taxType ?? '',
      accountCode: l.accountCode ?? '',
    };
    if (l.discountRate) line.discountRate = l.discountRate;
    if (l.discountAmount) line.discountAmount = l.discountAmount;
    if (l.itemCode) line.itemCode = l.itemCode;
    return line;
  });
  if (invoice.type !== undefined) out.type = 'ACCREC';
  if (invoice.lineAmountTypes !== undefined) out.lineAmountTypes = String(invoice.lineAmountTypes) as LineAmountType;
  if (invoice.currencyCode !== undefined) out.currencyCode = String(invoice.currencyCode);
  const date = xeroDate(invoice.date);
  if (date) out.date = date;
  const dueDate = xeroDate(invoice.dueDate);
  if (dueDate) out.dueDate = dueDate;
  // Under the 'xero' policy Xero owns the number and our payload never carries one: leave it out of the comparison.
  if (invoice.invoiceNumber && options.invoiceNumberPolicy !== 'xero') out.invoiceNumber = invoice.invoiceNumber;
  if (invoice.reference) out.reference = invoice.reference;
  return out;
}

/** The fields of a xero-node Contact that the projection reads. */
export interface XeroContactLike {
  name?: string | undefined;
  contactNumber?: string | undefined;
  firstName?: string | undefined;
  lastName?: string | undefined;
  emailAddress?: string | undefined;
  taxNumber?: string | undefined;
  contactPersons?: ReadonlyArray<{ firstName?: string; lastName?: string; emailAddress?: string; includeInEmails?: boolean }> | undefined;
  phones?: ReadonlyArray<{ phoneType?: unknown; phoneNumber?: string; phoneAreaCode?: string; phoneCountryCode?: string }> | undefined;
  addresses?: ReadonlyArray<{
    addressType?: unknown;
    addressLine1?: string;
    addressLine2?: string;
    city?: string;
    region?: string;
    postalCode?: string;
    country?: string;
  }> | undefined;
}

const PHONE_ORDER: readonly PhoneType[] = ['DEFAULT', 'DDI', 'MOBILE', 'FAX'];

/**
 * Xero's copy of a contact in planPartyContact's shape. Xero always returns every phone and address slot, empty or
 * not; empty ones are dropped here, as the planner never sends them.
 */
export function contactPayloadFromXero(contact: XeroContactLike): Partial<ContactPayload> {
  const out: Partial<ContactPayload> = {
    name: contact.name ?? '',
    contactNumber: contact.contactNumber ?? '',
    firstName: contact.firstName ?? '',
    lastName: contact.lastName ?? '',
    contactPersons: (contact.contactPersons ?? []).map((p) => {
      const person: ContactPayload['contactPersons'][number] = {
        firstName: p.firstName ?? '',
        lastName: p.lastName ?? '',
        includeInEmails: p.includeInEmails === true,
      };
      if (p.emailAddress) person.emailAddress = p.emailAddress;
      return person;
    }),
  };
  if (contact.emailAddress) out.emailAddress = contact.emailAddress;
  if (contact.taxNumber) out.taxNumber = contact.taxNumber;
  const phones: PhonePayload[] = [];
  for (const p of contact.phones ?? []) {
    const type = String(p.phoneType ?? '') as PhoneType;
    if (!PHONE_ORDER.includes(type) || !p.phoneNumber) continue;
    const phone: PhonePayload = { phoneType: type, phoneNumber: p.phoneNumber };
    if (p.phoneAreaCode) phone.phoneAreaCode = p.phoneAreaCode;
    if (p.phoneCountryCode) phone.phoneCountryCode = p.phoneCountryCode;
    phones.push(phone);
  }
  out.phones = phones.sort((a, b) => PHONE_ORDER.indexOf(a.phoneType) - PHONE_ORDER.indexOf(b.phoneType));
  const addresses: AddressPayload[] = [];
  for (const a of contact.addresses ?? []) {
    const type = String(a.addressType ?? '') as AddressType;
    if (type !== 'POBOX' && type !== 'STREET') continue;
    const address: AddressPayload = { addressType: type };
    for (const key of ['addressLine1', 'addressLine2', 'city', 'region', 'postalCode', 'country'] as const) {
      if (a[key]) address[key] = a[key];
    }
    if (Object.keys(address).length > 1) addresses.push(address);
  }
  out.addresses = addresses.sort((a, b) => (a.addressType === b.addressType ? 0 : a.addressType === 'POBOX' ? -1 : 1));
  return out;
}

/** The fields of a xero-node Item that the projection reads. */
export interface XeroItemLike {
  code?: string | undefined;
  name?: string | undefined;
  description?: string | undefined;
  isSold?: boolean | undefined;
  salesDetails?: { unitPrice?: number | undefined; accountCode?: string | undefined; taxType?: string | undefined } | undefined;
}

/** Xero's copy of an item in planItem's shape. */
export function itemPayloadFromXero(item: XeroItemLike): Partial<ItemPayload> {
  const out: Partial<ItemPayload> = { code: item.code ?? '', name: item.name ?? '', description: item.description ?? '' };
  if (item.isSold) out.isSold = true;
  const details: ItemPayload['salesDetails'] = {};
  if (item.salesDetails?.unitPrice !== undefined) details.unitPrice = item.salesDetails.unitPrice;
  if (item.salesDetails?.accountCode) details.accountCode = item.salesDetails.accountCode;
  if (item.salesDetails?.taxType) details.taxType = item.salesDetails.taxType;
  out.salesDetails = details;
  return out;
}
