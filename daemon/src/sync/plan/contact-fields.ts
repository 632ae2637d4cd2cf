import type { Address, Email, Phone } from '../../domain/party.ts';
import type { AddressPayload, AddressType, PhonePayload, PhoneType } from './xero-payload.ts';
import { cleanText } from './text-fields.ts';
import type { PlanWarning } from './plan-result.ts';

/** Xero field limits (Accounting API Contacts). */
export const LIMITS = {
  name: 255,
  personName: 255,
  email: 255,
  phoneNumber: 50,
  phoneAreaCode: 10,
  phoneCountryCode: 20,
  addressLine: 500,
  city: 255,
  region: 255,
  postalCode: 50,
  country: 50,
  taxNumber: 50,
} as const;

// Deliberately simple: one @, no spaces, a dot in the domain. Xero rejects worse; we only keep what it would accept.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validEmails(emails: readonly Email[]): string[] {
  return emails.map((e) => e.address.trim()).filter((a) => a.length <= LIMITS.email && EMAIL.test(a));
}

/** Xero has one slot per phone type; Bitrix kinds map to their natural slot, the rest fill DDI, then DEFAULT. */
const PHONE_SLOT: Readonly<Record<string, PhoneType>> = { WORK: 'DEFAULT', MOBILE: 'MOBILE', FAX: 'FAX' };
const OVERFLOW_SLOTS: readonly PhoneType[] = ['DDI', 'DEFAULT', 'MOBILE'];

/**
 * Splits a number into country / area / number only when its writing makes that unambiguous:
 * '+64 9 555 1234' → 64 | 9 | 555 1234; '(09) 555 1234' → — | 09 | 555 1234; '+44 (20) 7946 0000' → 44 | 20 | ….
 * Anything else goes whole into PhoneNumber, as typed.
 */
export function splitPhone(raw: string): Omit<PhonePayload, 'phoneType'> {
  const value = cleanText(raw, 200);
  const international = /^\+(\d{1,4})[\s-]+(?:\((\d{1,5})\)[\s-]*|(\d{1,5})[\s-]+)(\d[\d\s-]*\d)$/.exec(value);
  if (international?.[1] && international[4]) {
    const area = international[2] ?? international[3];
    const result: Omit<PhonePayload, 'phoneType'> = { phoneCountryCode: international[1], phoneNumber: international[4] };
    if (area) result.phoneAreaCode = area;
    if (result.phoneNumber.length <= LIMITS.phoneNumber) return result;
  }
  const local = /^\((\d{1,5})\)[\s-]*(\d[\d\s-]*\d)$/.exec(value);
  if (local?.[1] && local[2] && local[2].length <= LIMITS.phoneNumber) return { phoneAreaCode: local[1], phoneNumber: local[2] };
  return { phoneNumber: cleanText(value, LIMITS.phoneNumber) };
}

export function mapPhones(phones: readonly Phone[], owner: string): { phones: PhonePayload[]; warnings: PlanWarning[] } {
  const taken = new Map<PhoneType, PhonePayload>();
  const dropped: string[] = [];
  for (const phone of phones) {
    if (phone.number.trim() === '') continue;
    const preferred = PHONE_SLOT[phone.kind.toUpperCase()];
    const slot = preferred && !taken.has(preferred) ? preferred : OVERFLOW_SLOTS.find((s) => !taken.has(s));
    if (!slot || (preferred === 'FAX' && slot !== 'FAX')) {
      dropped.push(phone.number.trim());
      continue;
    }
    taken.set(slot, { phoneType: slot, ...splitPhone(phone.number) });
  }
  const warnings: PlanWarning[] =
    dropped.length > 0
      ? [{ code: 'phones_dropped', message: `${owner}: Xero holds one phone per type; not sent: ${dropped.join(', ')}`, details: { dropped } }]
      : [];
  // Stable order for hashing and diffs.
  const order: readonly PhoneType[] = ['DEFAULT', 'DDI', 'MOBILE', 'FAX'];
  return { phones: order.flatMap((t) => (taken.has(t) ? [taken.get(t) as PhonePayload] : [])), warnings };
}

/**
 * Bitrix address TYPE_IDs in order of preference per Xero slot. POBOX is the postal address Xero prints on invoices:
 * billing (12), post (8), legal/registered (6), then the primary address (1). STREET is the physical address:
 * primary (1), work (5), home (4), delivery (11), legal (6). A single Bitrix address fills both slots, as a Xero user
 * ticking "same as postal" would.
 */
const ADDRESS_PREFERENCE: Readonly<Record<AddressType, readonly number[]>> = {
  POBOX: [12, 8, 6, 1, 5, 4, 11, 2, 3, 7, 9, 10],
  STREET: [1, 5, 4, 11, 6, 12, 8, 2, 3, 7, 9, 10],
};

function isEmptyAddress(a: Address): boolean {
  return [a.line1, a.line2, a.city, a.region, a.postalCode, a.country, a.countryCode].every((v) => !v || v.trim() === '');
}

function toPayload(type: AddressType, a: Address): AddressPayload {
  const out: AddressPayload = { addressType: type };
  const set = (key: Exclude<keyof AddressPayload, 'addressType'>, value: string, max: number): void => {
    const cleaned = cleanText(value, max);
    if (cleaned !== '') out[key] = cleaned;
  };
  set('addressLine1', a.line1, LIMITS.addressLine);
  set('addressLine2', a.line2, LIMITS.addressLine);
  set('city', a.city, LIMITS.city);
  set('region', a.region, LIMITS.region);
  set('postalCode', a.postalCode, LIMITS.postalCode);
  set('country', a.country.trim() !== '' ? a.country : a.countryCode, LIMITS.country);
  return out;
}

export function mapAddresses(addresses: readonly Address[]): AddressPayload[] {
  const usable = addresses.filter((a) => !isEmptyAddress(a));
  const result: AddressPayload[] = [];
  for (const type of ['POBOX', 'STREET'] as const) {
    const rank = (a: Address): number => {
      const i = ADDRESS_PREFERENCE[type].indexOf(a.typeId);
      return i === -1 ? Number.MAX_SAFE_INTEGER : i;
    };
    const best = [...usable].sort((a, b) => rank(a) - rank(b) || a.typeId - b.typeId)[0];
    if (best) result.push(toPayload(type, best));
  }
  return result;
}
