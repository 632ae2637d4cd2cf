import type { Kysely } from 'kysely';
import type { RowProblem } from '../domain/invoice.ts';
import type { Address, Company, Email, Person, Phone } from '../domain/party.ts';
import { OWNER_TYPE, type BitrixTables, bitrixDb } from './tables.ts';
import { dbDateTime, groupBy, int, text, textOrNull, uniqueIds, yes } from './values.ts';

/** What contacts and companies both carry, loaded in one batch for a whole page. */
interface PartyDetails {
  emails: Email[];
  phones: Phone[];
  addresses: Address[];
  taxNumber: string;
  xeroId: string | null;
}

const EMPTY_DETAILS: PartyDetails = Object.freeze({ emails: [], phones: [], addresses: [], taxNumber: '', xeroId: null }) as PartyDetails;

type Owner = 'contact' | 'company';

/** crm EntityAddressType: 1 primary … 6 registered … 12 billing (reference §4.5). */
const ADDRESS_TYPE_IDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

/** Deliberately loose: one @, no spaces, a dot in the domain. Real validation is Xero's. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const key = (owner: Owner, id: number) => `${owner}:${id}`;

/**
 * Emails, phones, addresses, tax ids and Xero bindings of a set of contacts and companies: five queries whatever the
 * page size. Empty emails/phones ('' left by imports), emails that are not addresses and all-empty addresses are
 * dropped; values are trimmed; addresses come from the entity itself
 * (ENTITY_TYPE_ID 3/4) and from its requisites (ENTITY_TYPE_ID 8 anchored to it), the entity's own first.
 */
async function loadDetails(
  db: Kysely<BitrixTables>,
  contactIds: readonly number[],
  companyIds: readonly number[],
): Promise<Map<string, PartyDetails>> {
  const details = new Map<string, PartyDetails>();
  if (contactIds.length === 0 && companyIds.length === 0) return details;
  const of = (owner: Owner, id: number): PartyDetails => {
    let d = details.get(key(owner, id));
    if (!d) details.set(key(owner, id), (d = { emails: [], phones: [], addresses: [], taxNumber: '', xeroId: null }));
    return d;
  };
  const ownerOfType = (typeId: number): Owner | null =>
    typeId === OWNER_TYPE.contact ? 'contact' : typeId === OWNER_TYPE.company ? 'company' : null;

  const [multi, requisites, addresses, contactUf, companyUf] = await Promise.all([
    db.selectFrom('b_crm_field_multi').select(['ID', 'ENTITY_ID', 'ELEMENT_ID', 'TYPE_ID', 'VALUE_TYPE', 'VALUE'])
      .where((eb) => eb.or([
        ...(contactIds.length ? [eb.and([eb('ENTITY_ID', '=', 'CONTACT'), eb('ELEMENT_ID', 'in', contactIds)])] : []),
        ...(companyIds.length ? [eb.and([eb('ENTITY_ID', '=', 'COMPANY'), eb('ELEMENT_ID', 'in', companyIds)])] : []),
      ]))
      .where('TYPE_ID', 'in', ['EMAIL', 'PHONE'])
      .orderBy('ID')
      .execute(),
    db.selectFrom('b_crm_requisite').select(['ID', 'ENTITY_TYPE_ID', 'ENTITY_ID', 'ACTIVE', 'SORT', 'RQ_VAT_ID', 'RQ_INN'])
      .where((eb) => eb.or([
        ...(contactIds.length ? [eb.and([eb('ENTITY_TYPE_ID', '=', OWNER_TYPE.contact), eb('ENTITY_ID', 'in', contactIds)])] : []),
        ...(companyIds.length ? [eb.and([eb('ENTITY_TYPE_ID', '=', OWNER_TYPE.company), eb('ENTITY_ID', 'in', companyIds)])] : []),
      ]))
      .orderBy('SORT').orderBy('ID')
      .execute(),
    db.selectFrom('b_crm_addr')
      .select(['ID', 'TYPE_ID', 'ENTITY_TYPE_ID', 'ENTITY_ID', 'ANCHOR_TYPE_ID', 'ANCHOR_ID', 'ADDRESS_1', 'ADDRESS_2',
        'CITY', 'POSTAL_CODE', 'REGION', 'PROVINCE', 'COUNTRY', 'COUNTRY_CODE'])
      // Both branches are index ranges on crm's own indexes: (ANCHOR_TYPE_ID, ANCHOR_ID, TYPE_ID) finds requisite
      // addresses and the own addresses crm anchors to their owner; (ENTITY_ID, ENTITY_TYPE_ID) or the unique
      // (TYPE_ID, ENTITY_TYPE_ID, ENTITY_ID), entered through the known TYPE_IDs, finds own addresses written without
      // an anchor. Together an index merge, not a table scan.
      .where((eb) => {
        const own: ReturnType<typeof eb.and>[] = [];
        const anchored: ReturnType<typeof eb.and>[] = [];
        if (contactIds.length) {
          own.push(eb.and([eb('ENTITY_TYPE_ID', '=', OWNER_TYPE.contact), eb('ENTITY_ID', 'in', contactIds)]));
          anchored.push(eb.and([eb('ANCHOR_TYPE_ID', '=', OWNER_TYPE.contact), eb('ANCHOR_ID', 'in', contactIds)]));
        }
        if (companyIds.length) {
          own.push(eb.and([eb('ENTITY_TYPE_ID', '=', OWNER_TYPE.company), eb('ENTITY_ID', 'in', companyIds)]));
          anchored.push(eb.and([eb('ANCHOR_TYPE_ID', '=', OWNER_TYPE.company), eb('ANCHOR_ID', 'in', companyIds)]));
        }
        return eb.or([...anchored, eb.and([eb('TYPE_ID', 'in', ADDRESS_TYPE_IDS), eb.or(own)])]);
      })
      .orderBy('TYPE_ID').orderBy('ID')
      .execute(),
    // selectAll: the UF column exists only once the module is installed; a portal without it reads as "not bound".
    contactIds.length
      ? db.selectFrom('b_uts_crm_contact').selectAll().where('VALUE_ID', 'in', contactIds).execute()
      : Promise.resolve([]),
    companyIds.length
      ? db.selectFrom('b_uts_crm_company').selectAll().where('VALUE_ID', 'in', companyIds).execute()
      : Promise.resolve([]),
  ]);

  for (const row of multi) {
    const owner: Owner | null = row.ENTITY_ID === 'CONTACT' ? 'contact' : row.ENTITY_ID === 'COMPANY' ? 'company' : null;
    const value = text(row.VALUE);
    if (!owner || value === '') continue;
    // Free text typed into the email field ('call reception, no email') would make Xero reject the whole contact.
    if (row.TYPE_ID === 'EMAIL' && !EMAIL.test(value)) continue;
    const kind = text(row.VALUE_TYPE).toUpperCase() || 'WORK';
    if (row.TYPE_ID === 'EMAIL') of(owner, row.ELEMENT_ID).emails.push({ kind, address: value });
    else of(owner, row.ELEMENT_ID).phones.push({ kind, number: value });
  }

  // Tax id: the first active requisite (by SORT) with a VAT id, else the first with an INN.
  const active = requisites.filter((r) => text(r.ACTIVE) === '' || yes(r.ACTIVE));
  for (const column of ['RQ_VAT_ID', 'RQ_INN'] as const) {
    for (const r of active) {
      const owner = ownerOfType(int(r.ENTITY_TYPE_ID));
      const value = text(r[column]);
      if (!owner || value === '') continue;
      const d = of(owner, r.ENTITY_ID);
      if (d.taxNumber === '') d.taxNumber = value;
    }
  }

  const inactiveRequisites = new Set(requisites.filter((r) => !active.includes(r)).map((r) => r.ID));
  const ownFirst = [...addresses].sort((a, b) =>
    Number(int(a.ENTITY_TYPE_ID) === OWNER_TYPE.requisite) - Number(int(b.ENTITY_TYPE_ID) === OWNER_TYPE.requisite));
  for (const row of ownFirst) {
    const entityType = int(row.ENTITY_TYPE_ID);
    let owner: Owner | null;
    let ownerId: number;
    if (entityType === OWNER_TYPE.requisite) {
      if (inactiveRequisites.has(row.ENTITY_ID)) continue;
      owner = ownerOfType(int(row.ANCHOR_TYPE_ID));
      ownerId = int(row.ANCHOR_ID);
    } else if (entityType !== OWNER_TYPE.contact && entityType !== OWNER_TYPE.company) {
      continue; // anchored to our party but owned by something else (e.g. a lead's address)
    } else {
      owner = ownerOfType(entityType);
      ownerId = row.ENTITY_ID;
    }
    if (!owner) continue;
    const address: Address = {
      typeId: int(row.TYPE_ID),
      line1: text(row.ADDRESS_1),
      line2: text(row.ADDRESS_2),
      city: text(row.CITY),
      region: text(row.REGION) || text(row.PROVINCE),
      postalCode: text(row.POSTAL_CODE),
      country: text(row.COUNTRY),
      countryCode: text(row.COUNTRY_CODE).toUpperCase(),
    };
    const { typeId: _type, ...content } = address;
    if (Object.values(content).every((v) => v === '')) continue;
    const list = of(owner, ownerId).addresses;
    // A requisite address repeating a type the entity already has adds nothing.
    if (!list.some((a) => a.typeId === address.typeId)) list.push(address);
  }

  for (const [owner, rows] of [['contact', contactUf], ['company', companyUf]] as const) {
    for (const row of rows as Array<Record<string, unknown>>) {
      const xeroId = textOrNull(row['UF_CRM_XERO_ID']);
      if (xeroId !== null) of(owner, Number(row['VALUE_ID'])).xeroId = xeroId;
    }
  }
  return details;
}

const CONTACT_COLUMNS = ['ID', 'DATE_MODIFY', 'FULL_NAME', 'NAME', 'LAST_NAME', 'SECOND_NAME'] as const;

async function loadPeople(db: Kysely<BitrixTables>, ids: readonly number[], details: Map<string, PartyDetails>) {
  const people = new Map<number, Person>();
  if (ids.length === 0) return people;
  const rows = await db.selectFrom('b_crm_contact').select(CONTACT_COLUMNS).where('ID', 'in', ids).execute();
  for (const row of rows) {
    const firstName = text(row.NAME);
    const lastName = text(row.LAST_NAME);
    const d = details.get(key('contact', row.ID)) ?? EMPTY_DETAILS;
    people.set(row.ID, {
      id: row.ID,
      firstName,
      lastName,
      secondName: text(row.SECOND_NAME),
      fullName: text(row.FULL_NAME) || [firstName, lastName].filter(Boolean).join(' '),
      emails: [...d.emails],
      phones: [...d.phones],
      addresses: [...d.addresses],
      taxNumber: d.taxNumber,
      xeroId: d.xeroId,
      modifiedAt: dbDateTime(row.DATE_MODIFY),
    });
  }
  return people;
}

export interface Parties {
  contacts: Map<number, Person>;
  companies: Map<number, Company>;
}

/**
 * Contacts and companies, complete with their details and (for companies) their attached contacts, for a whole page
 * of invoices in a fixed number of queries (at most eight). Ids that do not exist are simply absent from the maps;
 * callers decide whether that is a problem.
 */
export async function loadParties<DB extends BitrixTables>(
  anyDb: Kysely<DB>,
  contactIds: Iterable<unknown>,
  companyIds: Iterable<unknown>,
): Promise<Parties> {
  const db = bitrixDb(anyDb);
  const wantedCompanies = uniqueIds(companyIds);
  const [companyRows, links] = wantedCompanies.length === 0
    ? [[], []]
    : await Promise.all([
      db.selectFrom('b_crm_company').select(['ID', 'TITLE', 'DATE_MODIFY']).where('ID', 'in', wantedCompanies).execute(),
      // Primary first, then SORT (b_crm_contact_company keeps both per company).
      db.selectFrom('b_crm_contact_company').select(['COMPANY_ID', 'CONTACT_ID', 'SORT', 'IS_PRIMARY'])
        .where('COMPANY_ID', 'in', wantedCompanies)
        .execute(),
    ]);
  const linkedContacts = groupBy(
    [...links].sort((a, b) =>
      Number(yes(b.IS_PRIMARY)) - Number(yes(a.IS_PRIMARY)) || int(a.SORT) - int(b.SORT) || a.CONTACT_ID - b.CONTACT_ID),
    (l) => l.COMPANY_ID,
  );
  const allContactIds = uniqueIds([...contactIds, ...links.map((l) => l.CONTACT_ID)]);
  const details = await loadDetails(db, allContactIds, companyRows.map((c) => c.ID));
  const contacts = await loadPeople(db, allContactIds, details);

  const companies = new Map<number, Company>();
  for (const row of companyRows) {
    const d = details.get(key('company', row.ID)) ?? EMPTY_DETAILS;
    companies.set(row.ID, {
      id: row.ID,
      title: text(row.TITLE),
      emails: [...d.emails],
      phones: [...d.phones],
      addresses: [...d.addresses],
      taxNumber: d.taxNumber,
      xeroId: d.xeroId,
      // A link to a deleted contact is a leftover; the company is still complete without it.
      contacts: (linkedContacts.get(row.ID) ?? []).flatMap((l) => contacts.get(l.CONTACT_ID) ?? []),
      modifiedAt: dbDateTime(row.DATE_MODIFY),
    });
  }
  return { contacts, companies };
}

export interface ContactPage {
  contacts: Person[];
  problems: RowProblem[];
}

/** Contacts by id, in the order asked; ids that no longer exist are left out. */
export async function readContacts<DB extends BitrixTables>(anyDb: Kysely<DB>, ids: readonly number[]): Promise<ContactPage> {
  const db = bitrixDb(anyDb);
  const wanted = uniqueIds(ids);
  const { contacts } = await loadParties(db, wanted, []);
  return { contacts: wanted.flatMap((id) => contacts.get(id) ?? []), problems: [] };
}

export interface CompanyPage {
  companies: Company[];
  problems: RowProblem[];
}

/** Companies by id with their contacts (primary first), in the order asked; missing ids are left out. */
export async function readCompanies<DB extends BitrixTables>(anyDb: Kysely<DB>, ids: readonly number[]): Promise<CompanyPage> {
  const db = bitrixDb(anyDb);
  const wanted = uniqueIds(ids);
  const { companies } = await loadParties(db, [], wanted);
  return { companies: wanted.flatMap((id) => companies.get(id) ?? []), problems: [] };
}
