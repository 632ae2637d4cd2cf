import type { Company, Person } from '../../domain/party.ts';
import type { ContactPayload, ContactPersonPayload } from './xero-payload.ts';
import { contactNumberForCompany, contactNumberForPerson } from './bitrix-keys.ts';
import { LIMITS, mapAddresses, mapPhones, validEmails } from './contact-fields.ts';
import { contentHash } from './content-hash.ts';
import { cleanText } from './text-fields.ts';
import type { PlanWarning } from './plan-result.ts';
import type { PartyIdentity } from './contact-match.ts';

/** Xero accepts at most five additional people on a contact. */
export const MAX_CONTACT_PERSONS = 5;

export type Party = { type: 'company'; company: Company } | { type: 'person'; person: Person };

export interface ContactPlan {
  payload: ContactPayload;
  /** contentHash('contact', payload). */
  hash: string;
  /** Link-table identity: ENTITY_TYPE 'company' | 'contact' and ENTITY_ID. */
  entity: { type: 'company' | 'contact'; id: number };
  warnings: PlanWarning[];
}

/** The party an invoice is billed to: its company when it has one, else its primary contact; null when neither. */
export function payerOf(invoice: { company: Company | null; contacts: readonly Person[] }): Party | null {
  if (invoice.company) return { type: 'company', company: invoice.company };
  const [primary] = invoice.contacts;
  return primary ? { type: 'person', person: primary } : null;
}

/**
 * A person's display name and the FirstName/LastName that reproduce it, so that Xero's Name equals its primary
 * person (the import rule reads such a contact back as a Bitrix contact). Falls back to FULL_NAME (split at the
 * last space), then the first email, then 'Contact #<id>'.
 */
export function personName(person: Person): { name: string; firstName: string; lastName: string; fallback: boolean } {
  const first = cleanText(person.firstName, LIMITS.personName);
  const last = cleanText(person.lastName, LIMITS.personName);
  const joined = cleanText(`${first} ${last}`, LIMITS.name);
  if (joined !== '') return { name: joined, firstName: first, lastName: last, fallback: false };
  const full = cleanText(person.fullName, LIMITS.name);
  if (full !== '') {
    const cut = full.lastIndexOf(' ');
    return cut === -1
      ? { name: full, firstName: full, lastName: '', fallback: true }
      : { name: full, firstName: full.slice(0, cut), lastName: full.slice(cut + 1), fallback: true };
  }
  const email = validEmails(person.emails)[0];
  const name = email ?? `Contact #${person.id}`;
  return { name, firstName: name, lastName: '', fallback: true };
}

function contactPerson(person: Person): ContactPersonPayload {
  const { firstName, lastName } = personName(person);
  const out: ContactPersonPayload = { firstName, lastName, includeInEmails: false };
  const email = validEmails(person.emails)[0];
  if (email) out.emailAddress = email;
  return out;
}

function companyContact(company: Company): ContactPlan {
  const warnings: PlanWarning[] = [];
  let name = cleanText(company.title, LIMITS.name);
  if (name === '') {
    name = `Company #${company.id}`;
    warnings.push({ code: 'name_fallback', message: `Company ${company.id} has no title; sent to Xero as "${name}"` });
  }
  const [primary, ...others] = company.contacts;
  const primaryName = primary ? personName(primary) : { firstName: '', lastName: '', name: '' };
  if (primary && primaryName.name.toLowerCase() === name.toLowerCase()) {
    warnings.push({
      code: 'company_named_like_person',
      message: `Company "${name}" has the same name as its primary contact; a later import from Xero would read it as a contact`,
    });
  }
  if (others.length > MAX_CONTACT_PERSONS) {
    const dropped = others.slice(MAX_CONTACT_PERSONS).map((p) => personName(p).name);
    warnings.push({
      code: 'contact_persons_dropped',
      message: `Company "${name}": Xero keeps ${MAX_CONTACT_PERSONS} additional people; not sent: ${dropped.join(', ')}`,
      details: { dropped },
    });
  }
  // Invoices go to the primary person's email; the company's own email stands in when that person has none.
  const email = (primary ? validEmails(primary.emails)[0] : undefined) ?? validEmails(company.emails)[0];
  const phones = mapPhones(company.phones.length > 0 ? company.phones : (primary?.phones ?? []), `Company "${name}"`);
  warnings.push(...phones.warnings);
  const payload: ContactPayload = {
    name,
    contactNumber: contactNumberForCompany(company.id),
    firstName: primaryName.firstName,
    lastName: primaryName.lastName,
    contactPersons: others.slice(0, MAX_CONTACT_PERSONS).map(contactPerson),
    phones: phones.phones,
    addresses: mapAddresses(company.addresses.length > 0 ? company.addresses : (primary?.addresses ?? [])),
  };
  if (email) payload.emailAddress = email;
  const taxNumber = cleanText(company.taxNumber, LIMITS.taxNumber);
  if (taxNumber !== '') payload.taxNumber = taxNumber;
  return { payload, hash: contentHash('contact', payload), entity: { type: 'company', id: company.id }, warnings };
}

function personContact(person: Person): ContactPlan {
  const warnings: PlanWarning[] = [];
  const { name, firstName, lastName, fallback } = personName(person);
  if (fallback) warnings.push({ code: 'name_fallback', message: `Contact ${person.id} has no first or last name; sent to Xero as "${name}"` });
  const phones = mapPhones(person.phones, `Contact "${name}"`);
  warnings.push(...phones.warnings);
  const payload: ContactPayload = {
    name,
    contactNumber: contactNumberForPerson(person.id),
    firstName,
    lastName,
    contactPersons: [],
    phones: phones.phones,
    addresses: mapAddresses(person.addresses),
  };
  const email = validEmails(person.emails)[0];
  if (email) payload.emailAddress = email;
  const taxNumber = cleanText(person.taxNumber, LIMITS.taxNumber);
  if (taxNumber !== '') payload.taxNumber = taxNumber;
  return { payload, hash: contentHash('contact', payload), entity: { type: 'contact', id: person.id }, warnings };
}

/**
 * The Xero contact for a Bitrix payer, mirroring the import rule (ARCHITECTURE, sync/):
 * - a company → Name = company title, primary person = its primary Bitrix contact, ContactPersons = its other
 *   contacts (at most 5, IncludeInEmails false so invoices go only to the primary person), ContactNumber B24-CO-<id>;
 * - a person → Name "First Last" whose primary person is that same person, ContactNumber B24-C-<id>.
 */
export function planPartyContact(party: Party): ContactPlan {
  return party.type === 'company' ? companyContact(party.company) : personContact(party.person);
}

/** What matchContact needs to know about a planned party. */
export function partyIdentity(party: Party, plan: ContactPlan): PartyIdentity {
  const xeroId = party.type === 'company' ? party.company.xeroId : party.person.xeroId;
  return {
    entity: plan.entity, xeroId: xeroId?.trim() || null, name: plan.payload.name, contactNumber: plan.payload.contactNumber,
    email: plan.payload.emailAddress ?? null,
  };
}

/**
 * Xero contact names are unique among active contacts, and two different Bitrix parties may share a name (a person
 * called "Good Company Ltd" and the company itself; two Jane Does). The rule, in order: the party whose name is taken
 * by ANOTHER party's Xero contact is sent as "Name (its email)", or — with no email, or that name taken too —
 * "Name (its ContactNumber)", which is unique by construction. The first party keeps the plain name; the qualifier
 * is stored with the link (NAME_SUFFIX) and sent on every later push, so the name does not flip back.
 * Returns the suffixes to try, in order.
 */
export function nameQualifiers(plan: ContactPlan): string[] {
  const out: string[] = [];
  const email = plan.payload.emailAddress?.trim();
  if (email) out.push(` (${email})`);
  out.push(` (${plan.payload.contactNumber})`);
  return out.filter((s) => !plan.payload.name.toLowerCase().endsWith(s.toLowerCase()));
}

/** The plan with `suffix` on the name (the plain name cut so the whole fits Xero's limit); the hash follows. */
export function withNameSuffix(plan: ContactPlan, suffix: string | null | undefined): ContactPlan {
  if (!suffix) return plan;
  const base = plan.payload.name.slice(0, Math.max(1, LIMITS.name - suffix.length)).trimEnd();
  const payload: ContactPayload = { ...plan.payload, name: `${base}${suffix}` };
  return { ...plan, payload, hash: contentHash('contact', payload) };
}
