import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCompany } from '../fixture/builders/company.ts';
import { buildContact } from '../fixture/builders/contact.ts';
import { setModuleOption } from '../fixture/builders/module-options.ts';
import { buildSmartInvoice } from '../fixture/builders/smart-invoice.ts';
import { applyInboxWithPhp } from '../module/php-applier.ts';
import { readSettings } from '../../daemon/src/config/settings.ts';
import { pullContacts, type ContactPullSummary } from '../../daemon/src/sync/pull/contact-pull.ts';
import type { StateDb } from '../../daemon/src/state/tables.ts';
import { createPushWorld, errorsOf, linkOf, simState, type PushWorld } from './support/push-harness.ts';

/**
 * Contacts and companies from Xero (issue 7 item 4), end to end: a realistic Xero contact book (persons, companies
 * with 0–5 persons, archived ones, names clashing with unlinked Bitrix records, unicode, first-name-only people,
 * duplicate emails, one Bitrix contact bound by UF_CRM_XERO_ID, one contact the push made) is pulled through xero-node;
 * the module's real PHP applier creates the Bitrix records; the daemon links them from the applier's results. Every
 * Xero contact is checked against the rule; a second run imports nothing; Xero edits, archiving and a two-sided edit
 * come back as the rule says.
 */
let world: PushWorld;
type Expect = { id: string; kind: 'contact' | 'company' | 'archived' | 'flagged' | 'bound'; name: string; first: string; last: string; persons: number; hasPrimary: boolean };
const book: Expect[] = [];
let exportedContact = 0;
let exportedXeroId = '';
let boundContact = 0;
const clashIds: number[] = [];

const admin = (path: string, body: unknown = {}) => {
  const res = world.sim.tenantAdmin(world.tenantId, path, 'POST', body);
  if (res.status !== 200) throw new Error(`sim ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Record<string, any>;
};
const ctx = async () => ({
  db: world.db, state: world.db as StateDb, gateway: world.gateway, settings: (await readSettings(world.db)).settings,
  tenantId: world.tenantId, dryRun: false, log: world.log,
});
const apply = () => {
  let applied = 0;
  for (;;) {
    const report = applyInboxWithPhp(world.t.url, { limit: 1000 });
    expect(report.failures).toEqual([]);
    applied += report.applied;
    if (report.applied === 0) return applied;
  }
};
const pendingImports = async () => (await world.db.selectFrom('b_b24xero_inbox').select(['ACTION']).where('STATE', '=', 'pending').execute()).map((r) => r.ACTION);
const bitrixParty = async (type: 'contact' | 'company', xeroId: string) => {
  const table = type === 'contact' ? 'b_crm_contact' : 'b_crm_company';
  const uts = type === 'contact' ? 'b_uts_crm_contact' : 'b_uts_crm_company';
  return (await sql<any>`SELECT t.*, u.UF_CRM_XERO_ID AS XID, u.UF_CRM_XERO_STATUS AS XSTATUS FROM ${sql.table(table)} t JOIN ${sql.table(uts)} u ON u.VALUE_ID = t.ID WHERE u.UF_CRM_XERO_ID = ${xeroId}`.execute(world.db)).rows;
};
const emailsOf = async (type: 'CONTACT' | 'COMPANY', id: number) =>
  (await sql<any>`SELECT VALUE FROM b_crm_field_multi WHERE ENTITY_ID = ${type} AND ELEMENT_ID = ${id} AND TYPE_ID = 'EMAIL' ORDER BY ID`.execute(world.db)).rows.map((r) => r.VALUE);
const attached = async (companyId: number) =>
  (await sql<any>`SELECT cc.CONTACT_ID, cc.SORT, c.NAME, c.LAST_NAME, u.UF_CRM_XERO_ID AS XID FROM b_crm_contact_company cc JOIN b_crm_contact c ON c.ID = cc.CONTACT_ID
    LEFT JOIN b_uts_crm_contact u ON u.VALUE_ID = c.ID WHERE cc.COMPANY_ID = ${companyId} ORDER BY cc.SORT, cc.CONTACT_ID`.execute(world.db)).rows;

const FIRST = ['Aroha', 'Zoë', 'Łukasz', 'Mere', 'Tom', 'Ana', 'José', 'Søren', 'Wiremu', 'Li'];
const LAST = ['Ngata', 'Ångström', 'Wójcik', 'Parata', 'Walsh', 'Silva', 'Núñez', 'Kierkegaard', 'Tane', 'Wei'];

beforeAll(async () => {
  world = await createPushWorld('pull_contacts');
  await setModuleOption(world.db, 'start_date', '2020-01-01');
  // One contact the push makes (B24-C-n in Xero): never imported back.
  exportedContact = (await buildContact(world.db, { name: 'Exported', lastName: 'Person', emails: ['exported@example.com'] })).contactId;
  await buildSmartInvoice(world.db, world.info, { contactIds: [exportedContact], rows: [{ name: 'Export', price: 10, taxRate: 0 }] });
  const pass = await world.pass();
  expect(pass.stats.contactsCreated).toBe(1);
  exportedXeroId = (await linkOf(world, 'contact', exportedContact)).XERO_ID;

  // Bitrix records nobody linked, whose names Xero contacts will share.
  for (let i = 0; i < 10; i++) {
    clashIds.push((await buildContact(world.db, { name: 'Clash', lastName: `Person${i}` })).contactId);
    await buildCompany(world.db, { title: `Clash Co ${i}` });
  }

  const person = (i: number) => {
    const first = FIRST[i % 10]!;
    const last = `${LAST[Math.floor(i / 10) % 10]!}${i >= 100 ? ` ${i}` : ''}`;
    return { first, last };
  };
  for (let i = 0; i < 180; i++) {
    const { first, last } = person(i);
    // Name as typed by people: sometimes lower case or with doubled spaces — still the primary person's name.
    const name = i % 7 === 0 ? `${first}  ${last}`.toLowerCase() : `${first} ${last}`;
    const email = i % 15 === 0 ? 'shared@dup.example' : `p${i}@people.example`;
    const body = {
      Name: name, FirstName: first, LastName: last, EmailAddress: email,
      ...(i % 3 === 0 && { Phones: [{ PhoneType: 'MOBILE', PhoneNumber: `21 555 ${1000 + i}`, PhoneCountryCode: '64' }, { PhoneType: 'DEFAULT', PhoneNumber: `555 ${2000 + i}`, PhoneAreaCode: '9' }] }),
      ...(i % 4 === 0 && { Addresses: [{ AddressType: 'STREET', AddressLine1: `${i} Queen Street`, City: 'Auckland', PostalCode: '1010', Country: 'New Zealand' }] }),
    };
    const c = admin('contacts', body);
    book.push({ id: c.ContactID.toLowerCase(), kind: 'contact', name, first, last, persons: 0, hasPrimary: false });
  }
  // A first-name-only person ("Cher"): still a contact.
  for (let i = 0; i < 5; i++) {
    const c = admin('contacts', { Name: `Solo${i}`, FirstName: `Solo${i}` });
    book.push({ id: c.ContactID.toLowerCase(), kind: 'contact', name: `Solo${i}`, first: `Solo${i}`, last: '', persons: 0, hasPrimary: false });
  }
  for (let i = 0; i < 80; i++) {
    const name = `Lonely Business ${i} Ltd`;
    const c = admin('contacts', { Name: name, EmailAddress: `office${i}@lonely.example`, TaxNumber: `12-345-${i}`, Website: `https://lonely${i}.example` });
    book.push({ id: c.ContactID.toLowerCase(), kind: 'company', name, first: '', last: '', persons: 0, hasPrimary: false });
  }
  for (let i = 0; i < 200; i++) {
    const name = `Kauri ${i} Timber Ltd`;
    const k = i % 6;
    const persons = Array.from({ length: k }, (_, j) => ({ FirstName: `Staff${j}`, LastName: `Kauri${i}`, EmailAddress: j === 1 ? `shared@dup.example` : `s${j}.${i}@kauri.example` }));
    const c = admin('contacts', { Name: name, FirstName: `Boss${i}`, LastName: 'Kauri', EmailAddress: `boss${i}@kauri.example`, ContactPersons: persons });
    book.push({ id: c.ContactID.toLowerCase(), kind: 'company', name, first: `Boss${i}`, last: 'Kauri', persons: k, hasPrimary: true });
  }
  for (let i = 0; i < 40; i++) {
    const name = i % 2 ? `Gone Person${i}` : `Gone Company ${i} Ltd`;
    const c = admin('contacts', i % 2 ? { Name: name, FirstName: 'Gone', LastName: `Person${i}` } : { Name: name });
    admin(`contacts/${c.ContactID}/archive`);
    book.push({ id: c.ContactID.toLowerCase(), kind: 'archived', name, first: '', last: '', persons: 0, hasPrimary: false });
  }
  for (let i = 0; i < 10; i++) {
    const a = admin('contacts', { Name: `Clash Person${i}`, FirstName: 'Clash', LastName: `Person${i}` });
    book.push({ id: a.ContactID.toLowerCase(), kind: 'flagged', name: `Clash Person${i}`, first: 'Clash', last: `Person${i}`, persons: 0, hasPrimary: false });
    const b = admin('contacts', { Name: `Clash Co ${i}` });
    book.push({ id: b.ContactID.toLowerCase(), kind: 'flagged', name: `Clash Co ${i}`, first: '', last: '', persons: 0, hasPrimary: false });
  }
  // A Bitrix contact someone bound by hand (UF_CRM_XERO_ID): imported into that record, not beside it.
  const bound = admin('contacts', { Name: 'Bound Person', FirstName: 'Bound', LastName: 'Person', EmailAddress: 'bound@example.com' });
  boundContact = (await buildContact(world.db, { name: 'Bound', lastName: 'Person', xeroId: bound.ContactID.toLowerCase() })).contactId;
  book.push({ id: bound.ContactID.toLowerCase(), kind: 'bound', name: 'Bound Person', first: 'Bound', last: 'Person', persons: 0, hasPrimary: false });
}, 180_000);
afterAll(async () => {
  await world?.close();
});

describe('contacts and companies from Xero', () => {
  let first: ContactPullSummary;
  it('imports the book by the rule, row by row, in pages of 100', async () => {
    expect(book.length).toBeGreaterThanOrEqual(500);
    first = await pullContacts(await ctx());
    const importable = book.filter((b) => b.kind === 'contact' || b.kind === 'company' || b.kind === 'bound');
    expect(first.imported).toBe(importable.length);
    expect(first.flagged).toBe(20);
    expect(first.skipped).toEqual({ archived: 40 });
    expect(first.calls).toBe(Math.ceil((book.length + 1) / 100));
    const actions = await pendingImports();
    expect(actions.filter((a) => a === 'import_contact')).toHaveLength(importable.filter((b) => b.kind !== 'company').length);
    expect(actions.filter((a) => a === 'import_company')).toHaveLength(importable.filter((b) => b.kind === 'company').length);

    apply();
    // The next pull links what the applier made (from its result rows) before it reads Xero.
    const again = await pullContacts(await ctx());
    expect(again.linked).toBe(importable.length);

    for (const b of book) {
      if (b.kind === 'contact' || b.kind === 'bound') {
        const rows = await bitrixParty('contact', b.id);
        expect(rows, b.name).toHaveLength(1);
        expect([rows[0].NAME, rows[0].LAST_NAME ?? '']).toEqual([b.first, b.last]);
        expect(await bitrixParty('company', b.id)).toEqual([]);
        expect((await linkOf(world, 'contact', rows[0].ID))).toMatchObject({ XERO_ID: b.id, STATE: 'synced', IDEMPOTENCY_KEY: `import:${b.id}` });
        if (b.kind === 'bound') expect(rows[0].ID).toBe(boundContact);
      } else if (b.kind === 'company') {
        const rows = await bitrixParty('company', b.id);
        expect(rows, b.name).toHaveLength(1);
        expect(rows[0].TITLE).toBe(b.name);
        expect(await bitrixParty('contact', b.id)).toEqual([]);
        const people = await attached(rows[0].ID);
        expect(people, b.name).toHaveLength(b.persons + (b.hasPrimary ? 1 : 0));
        for (const p of people) expect(p.XID).toBe(`person:${b.id}`);
        if (b.hasPrimary) {
          // The company's primary contact is the first by SORT (Bitrix's IS_PRIMARY is the contact's primary company).
          expect(`${people[0].NAME} ${people[0].LAST_NAME}`, b.name).toBe(`${b.first} ${b.last}`);
        }
        expect((await linkOf(world, 'company', rows[0].ID))).toMatchObject({ XERO_ID: b.id, STATE: 'synced' });
      } else {
        expect(await bitrixParty('contact', b.id), b.name).toEqual([]);
        expect(await bitrixParty('company', b.id), b.name).toEqual([]);
      }
    }
    // Details went to the fields they belong to.
    const aroha = book.find((b) => b.kind === 'contact' && b.first === 'Aroha' && b.last === 'Ngata')!;
    const [row] = await bitrixParty('contact', aroha.id);
    expect(await emailsOf('CONTACT', row.ID)).toEqual(['shared@dup.example']);
    const lonely = await bitrixParty('company', book.find((b) => b.name === 'Lonely Business 3 Ltd')!.id);
    expect(await emailsOf('COMPANY', lonely[0].ID)).toEqual(['office3@lonely.example']);
    // The contact the push made stays one Bitrix contact.
    expect((await bitrixParty('contact', exportedXeroId)).map((r) => r.ID)).toEqual([exportedContact]);
    expect((await sql<any>`SELECT COUNT(*) AS n FROM b_crm_contact WHERE NAME = 'Exported'`.execute(world.db)).rows[0].n).toBe(1);
  });

  it('flags a Xero contact named like an unlinked Bitrix record for a person, and never merges it', async () => {
    const [error] = await errorsOf(world, 'contact', clashIds[0]!);
    expect(error).toMatchObject({ CODE: 'import_name_taken', CLASS: 'needs_person', OPERATION: 'import' });
    expect(error.MESSAGE).toContain('Clash Person0');
    expect((await sql<any>`SELECT COUNT(*) AS n FROM b_crm_contact WHERE NAME = 'Clash' AND LAST_NAME = 'Person0'`.execute(world.db)).rows[0].n).toBe(1);
  });

  it('a second run imports nothing', async () => {
    const second = await pullContacts(await ctx());
    expect(second).toMatchObject({ imported: 0, updated: 0, queued: 0, linked: 0 });
    expect(await pendingImports()).toEqual([]);
  });

  it('binding a flagged record by UF_CRM_XERO_ID lets that contact through into it', async () => {
    const clash = book.find((b) => b.name === 'Clash Person0')!;
    // What an admin does in the contact's form: the UF row is created on first save.
    await sql`INSERT INTO b_uts_crm_contact (VALUE_ID, UF_CRM_XERO_ID) VALUES (${clashIds[0]!}, ${clash.id}) ON DUPLICATE KEY UPDATE UF_CRM_XERO_ID = ${clash.id}`.execute(world.db);
    const run = await pullContacts(await ctx());
    expect(run.imported).toBe(1);
    apply();
    await pullContacts(await ctx());
    expect((await linkOf(world, 'contact', clashIds[0]!))?.XERO_ID).toBe(clash.id);
    expect(await errorsOf(world, 'contact', clashIds[0]!)).toEqual([]);
  });

  it('brings Xero edits of imported records back: details, persons, and archiving (marked, never deleted)', async () => {
    const person = book.find((b) => b.kind === 'contact' && b.first === 'Tom')!;
    const company = book.find((b) => b.name === 'Kauri 7 Timber Ltd')!;
    admin(`contacts/${person.id}/edit`, { EmailAddress: 'tom.new@people.example', LastName: `${person.last}-Smith`, Name: `${person.first} ${person.last}-Smith` });
    admin(`contacts/${company.id}/edit`, { ContactPersons: [{ FirstName: 'New', LastName: 'Hire', EmailAddress: 'new.hire@kauri.example' }] });
    const gone = book.find((b) => b.kind === 'contact' && b.first === 'Ana')!;
    admin(`contacts/${gone.id}/archive`);

    const run = await pullContacts(await ctx());
    expect(run.importedIds.map((id) => book.find((b) => b.id === id)?.name)).toEqual([]);
    expect(run).toMatchObject({ updated: 2, imported: 0 });
    const rows = await world.db.selectFrom('b_b24xero_inbox').select(['ACTION', 'ENTITY_TYPE', 'PAYLOAD']).where('STATE', '=', 'pending').execute();
    const update = rows.find((r) => r.ACTION === 'update_party' && r.ENTITY_TYPE === 'contact')!;
    expect(JSON.parse(update.PAYLOAD).set).toEqual({ lastName: `${person.last}-Smith`, emails: [{ value: 'tom.new@people.example', type: 'WORK' }] });
    expect(JSON.parse(rows.find((r) => r.ACTION === 'update_party' && r.ENTITY_TYPE === 'company')!.PAYLOAD).persons.others)
      .toEqual([{ firstName: 'New', lastName: 'Hire', email: 'new.hire@kauri.example' }]);
    apply();

    const [tom] = await bitrixParty('contact', person.id);
    expect(tom.LAST_NAME).toBe(`${person.last}-Smith`);
    expect(await emailsOf('CONTACT', tom.ID)).toEqual(['tom.new@people.example']);
    const [kauri] = await bitrixParty('company', company.id);
    expect((await attached(kauri.ID)).map((p) => `${p.NAME} ${p.LAST_NAME}`)).toContain('New Hire');
    const [ana] = await bitrixParty('contact', gone.id);
    expect(ana.XSTATUS).toBe('ARCHIVED');

    // What was applied comes back as nothing new.
    const echo = await pullContacts(await ctx());
    expect(echo.queued).toBe(0);
  });

  it('a field changed on both sides is one conflict; the master of the record wins it', async () => {
    // The contact the push made: Bitrix is its master. Xero and Bitrix both change its email.
    admin(`contacts/${exportedXeroId}/edit`, { EmailAddress: 'xero.again@example.com', Website: 'https://exported2.example' });
    await world.db.updateTable('b_crm_field_multi').set({ VALUE: 'bitrix.side@example.com' })
      .where('ENTITY_ID', '=', 'CONTACT').where('ELEMENT_ID', '=', exportedContact).where('TYPE_ID', '=', 'EMAIL').execute();
    const run = await pullContacts(await ctx());
    expect(run.conflicts).toBe(1);
    const [conflict] = (await errorsOf(world, 'contact', exportedContact)).filter((e) => e.CODE === 'contact_conflict');
    expect(conflict.MESSAGE).toContain('xero.again@example.com');
    expect(conflict.MESSAGE).toContain('bitrix.side@example.com');
    expect(conflict.MESSAGE).toContain('Bitrix (the record was created in Bitrix) wins');
    const [row] = await world.db.selectFrom('b_b24xero_inbox').select('PAYLOAD').where('ACTION', '=', 'update_party').where('STATE', '=', 'pending')
      .where('ENTITY_TYPE', '=', 'contact').where('ENTITY_ID', '=', exportedContact).execute();
    // Only what Bitrix did not change comes back; the email stays Bitrix's.
    expect(JSON.parse(row!.PAYLOAD).set).toEqual({ website: 'https://exported2.example' });
    expect(simState(world).contacts.length).toBeGreaterThan(500);
  });
});
