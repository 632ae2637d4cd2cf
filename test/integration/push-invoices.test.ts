import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCompany } from '../fixture/builders/company.ts';
import { buildContact } from '../fixture/builders/contact.ts';
import { buildProduct } from '../fixture/builders/product.ts';
import {
  apiWrites, createPushWorld, errorsOf, inboxOf, lastSeq, linkOf, simContact, simContactsNamed, simInvoicesByKey, simState, type PushWorld,
} from './support/push-harness.ts';
import { KINDS, SMART, type InvoiceKindAdapter } from './support/invoice-kinds.ts';

let world: PushWorld;
let n = 0;
/** A surname no other test uses, so Xero's name-uniqueness never couples two tests. */
const unique = (base: string) => `${base}${String.fromCharCode(65 + (n % 26))}${++n}`;

beforeAll(async () => {
  world = await createPushWorld('push_invoices');
});
afterAll(async () => {
  await world?.close();
});

async function person(first = 'Aroha', last = unique('Ngata')) {
  const c = await buildContact(world.db, { name: first, lastName: last, emails: [`${first}.${last}@example.test`.toLowerCase()] });
  return { id: c.contactId, name: `${first} ${last}` };
}

describe.each(KINDS)('$kind invoices', (k: InvoiceKindAdapter) => {
  it('pushes a new invoice as a DRAFT with the right contact, lines, taxes, accounts and currency, and queues the Bitrix bindings', async () => {
    const payer = await person();
    const id = await k.create(world, {
      contactId: payer.id, currency: 'NZD',
      lines: [{ name: 'Consulting hour', price: 150, quantity: 2 }, { name: 'Website hosting', price: 50 }],
    });
    await world.pass();

    const [invoice, ...others] = simInvoicesByKey(world, k.key(id));
    expect(others).toHaveLength(0);
    expect(invoice).toMatchObject({ Status: 'DRAFT', CurrencyCode: 'NZD', LineAmountTypes: 'Exclusive', Total: 402.5 });
    expect(simContact(world, invoice!.ContactID)?.Name).toBe(payer.name);
    expect(invoice!.LineItems.map((l) => [l.Description, l.Quantity, l.UnitAmount, l.TaxType, l.AccountCode])).toEqual([
      ['Consulting hour', 2, 150, 'OUTPUT2', '200'],
      ['Website hosting', 1, 50, 'OUTPUT2', '200'],
    ]);
    const invoiceID = invoice!.ID.toLowerCase();

    const link = await linkOf(world, k.entityType, id);
    expect(link).toMatchObject({ STATE: 'synced', XERO_ID: invoiceID, XERO_STATUS: 'DRAFT' });
    const [row] = await inboxOf(world, k.entityType, id);
    expect(JSON.parse(row.PAYLOAD)).toEqual({
      fields: {
        XML_ID: invoiceID,
        UF_CRM_XERO_STATUS: 'DRAFT',
        UF_CRM_XERO_URL: `https://go.xero.com/AccountsReceivable/View.aspx?InvoiceID=${invoiceID}`,
      },
    });
    const [contactRow] = await inboxOf(world, 'contact', payer.id);
    expect(JSON.parse(contactRow.PAYLOAD)).toEqual({ fields: { UF_CRM_XERO_ID: invoice!.ContactID.toLowerCase() } });
  });

  it('creates a Xero Item for a catalog product used on the invoice and references it on the line', async () => {
    const payer = await person();
    const code = unique(`SKU-${k.kind}-`);
    const product = await buildProduct(world.db, { name: 'Support retainer', price: 800, code, vatId: world.info.vat.gst15, vatIncluded: false });
    const id = await k.create(world, { contactId: payer.id, lines: [{ productId: product.productId, name: 'Support retainer', price: 800 }] });
    await world.pass();
    const item = simState(world).items.find((i) => i.Code === code);
    expect(item).toMatchObject({ Name: 'Support retainer', SalesDetails: { UnitPrice: 800, AccountCode: '200', TaxType: 'OUTPUT2' } });
    const [invoice] = simInvoicesByKey(world, k.key(id));
    expect(invoice!.LineItems[0]).toMatchObject({ ItemCode: code, AccountCode: '200', TaxType: 'OUTPUT2', UnitAmount: 800 });
    expect(await linkOf(world, 'product', product.productId)).toMatchObject({ STATE: 'synced', XERO_NUMBER: code });
  });

  it('makes no write call on a second pass when nothing changed in Bitrix', async () => {
    const payer = await person();
    await k.create(world, { contactId: payer.id, lines: [{ name: 'Support retainer', price: 800 }] });
    await world.pass();
    const since = lastSeq(world);
    const second = await world.pass();
    expect(apiWrites(world, undefined, since)).toEqual([]);
    expect(second.stats.created + second.stats.updated).toBe(0);
  });

  it('updates the Xero draft when the invoice is edited in Bitrix', async () => {
    const payer = await person();
    const id = await k.create(world, { contactId: payer.id, lines: [{ name: 'Logo design', price: 1200 }] });
    await world.pass();
    await k.edit(world, id, { lineName: 'Logo design, two rounds', dueDate: '2030-01-31' });
    const result = await world.pass();

    const [invoice, ...others] = simInvoicesByKey(world, k.key(id));
    expect(others).toHaveLength(0);
    expect(invoice!.LineItems[0]?.Description).toBe('Logo design, two rounds');
    expect(String(invoice!.DueDate).slice(0, 10)).toBe('2030-01-31');
    expect(invoice!.Status).toBe('DRAFT');
    expect(result.stats.updated).toBeGreaterThanOrEqual(1);
  });

  it('records a conflict and leaves Xero untouched when Xero approved the invoice before the Bitrix edit', async () => {
    const payer = await person();
    const id = await k.create(world, { contactId: payer.id, lines: [{ name: 'Training day', price: 1950 }] });
    await world.pass();
    const [before] = simInvoicesByKey(world, k.key(id));
    world.sim.tenantAdmin(world.tenantId, `invoices/${before!.ID}/approve`, 'POST', {});
    await k.edit(world, id, { lineName: 'Training day (changed after approval)', dueDate: '2030-02-28' });
    const since = lastSeq(world);
    await world.pass();

    const [after] = simInvoicesByKey(world, k.key(id));
    expect(after!.Status).toBe('AUTHORISED');
    expect(after!.LineItems[0]?.Description).toBe('Training day');
    expect(apiWrites(world, '/Invoices', since)).toEqual([]);
    expect(await linkOf(world, k.entityType, id)).toMatchObject({ STATE: 'conflict', XERO_STATUS: 'AUTHORISED' });
    const conflict = (await errorsOf(world, k.entityType, id)).find((e) => e.OPERATION === 'conflict');
    expect(conflict).toMatchObject({ CLASS: 'never', CODE: 'approved_in_xero' });

    // Put back in Bitrix to what Xero has: the conflict closes, still without a write.
    await k.edit(world, id, { lineName: 'Training day', dueDate: String(before!.DueDate).slice(0, 10) });
    const again = lastSeq(world);
    await world.pass();
    expect(apiWrites(world, '/Invoices', again)).toEqual([]);
    expect(await linkOf(world, k.entityType, id)).toMatchObject({ STATE: 'synced' });
    expect((await errorsOf(world, k.entityType, id)).filter((e) => e.OPERATION === 'conflict')).toEqual([]);
  });

  it('bills a person payer to a Xero contact named "First Last" whose primary person is that same person', async () => {
    const payer = await person('Wiremu', unique('Parata'));
    const id = await k.create(world, { contactId: payer.id, lines: [{ name: 'Domain renewal', price: 35.5 }] });
    await world.pass();
    const [invoice] = simInvoicesByKey(world, k.key(id));
    const contact = simContact(world, invoice!.ContactID);
    expect(contact).toMatchObject({ Name: payer.name, FirstName: 'Wiremu', LastName: payer.name.split(' ')[1], ContactNumber: `B24-C-${payer.id}` });
    expect(contact!.ContactPersons ?? []).toEqual([]);
  });

  it('bills a company payer to the company contact, its primary Bitrix contact as primary person and the others as ContactPersons', async () => {
    const primary = await person('Sophie', unique('Cooper'));
    const second = await person('Liam', unique('Taylor'));
    const company = await buildCompany(world.db, { title: unique('Harbour Analytics '), contacts: [primary.id, second.id] });
    const id = await k.create(world, { companyId: company.companyId, contactId: primary.id, lines: [{ name: 'SSL certificate', price: 89.99 }] });
    await world.pass();
    const [invoice] = simInvoicesByKey(world, k.key(id));
    const contact = simContact(world, invoice!.ContactID)!;
    expect(contact.ContactNumber).toBe(`B24-CO-${company.companyId}`);
    expect(contact.Name).toMatch(/^Harbour Analytics /);
    expect([contact.FirstName, contact.LastName]).toEqual(['Sophie', primary.name.split(' ')[1]]);
    expect(contact.ContactPersons.map((p) => [p.FirstName, p.LastName])).toEqual([['Liam', second.name.split(' ')[1]]]);
    const [companyRow] = await inboxOf(world, 'company', company.companyId);
    expect(JSON.parse(companyRow.PAYLOAD).fields.UF_CRM_XERO_ID).toBe(contact.ContactID.toLowerCase());
  });

  it('never merges a same-named stranger: the payer gets a distinct Xero name (its email) and the invoice goes through', async () => {
    const last = unique('Walker');
    const stranger = world.sim.tenantAdmin(world.tenantId, 'contacts', 'POST', { Name: `Mere ${last}`, ContactNumber: unique('ACME-') });
    expect(stranger.status).toBe(200);
    const strangerId = String((stranger.body as { ContactID?: string }).ContactID);
    const payer = await person('Mere', last);
    const id = await k.create(world, { contactId: payer.id, lines: [{ name: 'Consulting hour', price: 150 }] });
    await world.pass();

    const distinct = `Mere ${last} (mere.${last.toLowerCase()}@example.test)`;
    const [contact] = simContactsNamed(world, distinct);
    expect(contact).toMatchObject({ ContactNumber: `B24-C-${payer.id}`, FirstName: 'Mere', LastName: last });
    expect(simContactsNamed(world, `Mere ${last}`).map((c) => c.ContactID)).toEqual([strangerId]);
    expect(simInvoicesByKey(world, k.key(id)).map((i) => i.ContactID.toLowerCase())).toEqual([contact!.ContactID.toLowerCase()]);
    expect(await errorsOf(world, 'contact', payer.id)).toEqual([]);
    // The qualifier sticks: a later edit of the person pushes the same distinct name, nothing else changes.
    expect(await linkOf(world, 'contact', payer.id)).toMatchObject({ STATE: 'synced' });
    const kept = await world.db.selectFrom('b_b24xero_contact_name').select('NAME_SUFFIX').where('ENTITY_TYPE', '=', 'contact').where('ENTITY_ID', '=', payer.id).execute();
    expect(kept).toEqual([{ NAME_SUFFIX: ` (mere.${last.toLowerCase()}@example.test)` }]);
  });

  it('stores a needs_person error for an invoice in a currency the organisation is not subscribed to, and pushes nothing for it', async () => {
    const payer = await person();
    const id = await k.create(world, { contactId: payer.id, currency: 'JPY', lines: [{ name: 'Consulting hour', price: 15000 }] });
    const ok = await k.create(world, { contactId: payer.id, currency: 'AUD', lines: [{ name: 'Consulting hour', price: 150 }] });
    await world.pass();
    expect(simInvoicesByKey(world, k.key(id))).toEqual([]);
    expect(simInvoicesByKey(world, k.key(ok)).map((i) => i.CurrencyCode)).toEqual(['AUD']);
    const [error] = await errorsOf(world, k.entityType, id);
    expect(error).toMatchObject({ CLASS: 'needs_person', CODE: 'currency_not_enabled', OPERATION: 'push' });
    expect(error.MESSAGE).toContain('JPY');
  });

  it('warns about rounding only when Xero’s total truly differs from Bitrix’s by more than a cent', async () => {
    const payer = await person();
    // 3 × 100 + GST = 345.00 in Xero; 345.02 is within rounding (a cent per line, half a cent per unit): a warning.
    const off = await k.create(world, { contactId: payer.id, lines: [{ name: 'Consulting hour', price: 100, quantity: 3 }] });
    const cent = await k.create(world, { contactId: payer.id, lines: [{ name: 'Consulting hour', price: 100 }] });
    await k.setTotal(world, off, 345.02);
    await k.setTotal(world, cent, 115.01);
    await world.pass();
    const warning = (await errorsOf(world, k.entityType, off)).find((e) => e.OPERATION === 'rounding');
    expect(warning).toMatchObject({ SEVERITY: 'warning' });
    expect(JSON.parse(warning.DETAILS)).toMatchObject({ xeroTotal: 345, bitrixTotal: 345.02 });
    expect((await errorsOf(world, k.entityType, cent)).filter((e) => e.OPERATION === 'rounding')).toEqual([]);
    expect(simInvoicesByKey(world, k.key(off))).toHaveLength(1);
  });

  it('does not send an invoice whose lines total differs from Bitrix’s beyond rounding: a needs_person total_mismatch', async () => {
    const payer = await person();
    const off = await k.create(world, { contactId: payer.id, lines: [{ name: 'Consulting hour', price: 100 }] });
    await k.setTotal(world, off, 120); // Xero would compute 115.00
    await world.pass();
    expect(simInvoicesByKey(world, k.key(off))).toEqual([]);
    const [error] = await errorsOf(world, k.entityType, off);
    expect(error).toMatchObject({ CLASS: 'needs_person', CODE: 'total_mismatch', OPERATION: 'push' });
    expect(error.MESSAGE).toContain('120.00');
  });

  it('lets Xero number the one of 50 whose number it already used, while the other 49 land in the first PUT', async () => {
    const payer = await person();
    // A number already taken in Xero: the planner cannot know, Xero rejects that one element.
    world.sim.tenantAdmin(world.tenantId, 'invoices', 'POST', {
      Type: 'ACCREC', Contact: { Name: unique('Somebody Else') }, InvoiceNumber: `TAKEN-${k.kind}`,
      LineItems: [{ Description: 'x', Quantity: 1, UnitAmount: 1, AccountCode: '200' }],
    });
    const ids: number[] = [];
    for (let i = 0; i < 50; i++) {
      ids.push(await k.create(world, { contactId: payer.id, ...(i === 17 && { accountNumber: `TAKEN-${k.kind}` }), lines: [{ name: `Line ${i}`, price: 10 + i }] }));
    }
    const since = lastSeq(world);
    await world.pass();
    const puts = apiWrites(world, '/Invoices', since).filter((w) => w.method === 'PUT');
    // The batch of 50, then the one Xero refused, again without an InvoiceNumber.
    expect(puts).toHaveLength(2);
    for (const id of ids) expect((await linkOf(world, k.entityType, id))?.STATE).toBe('synced');
    const [renumbered] = simInvoicesByKey(world, k.key(ids[17]!));
    expect(renumbered!.Number).not.toBe(`TAKEN-${k.kind}`);
    expect(renumbered!.Reference).toContain(`TAKEN-${k.kind}`);
    const [warning] = await errorsOf(world, k.entityType, ids[17]!);
    expect(warning).toMatchObject({ SEVERITY: 'warning', CODE: 'invoice_renumbered', OPERATION: 'number' });
    expect(warning.MESSAGE).toContain(`Xero numbered this one ${renumbered!.Number}`);
  });

  it('sends 120 new invoices in 3 batches with no 429 from Xero at 60 calls a minute', async () => {
    const payers = [await person(), await person(), await person()];
    for (let i = 0; i < 120; i++) {
      await k.create(world, { contactId: payers[i % 3]!.id, lines: [{ name: `Batch line ${i}`, price: 5 + i }] });
    }
    const since = lastSeq(world);
    await world.pass();
    const puts = apiWrites(world, '/Invoices', since).filter((w) => w.method === 'PUT');
    expect(puts.map((p) => ((p.body as { Invoices?: unknown[] }).Invoices ?? []).length)).toEqual([50, 50, 20]);
    expect(world.sim.counters().rateLimited).toBe(0);
  });
});

describe('contacts changed in Bitrix', () => {
  it('pushes the new details of a contact that is already in Xero', async () => {
    const payer = await person('Ruby', unique('Li'));
    await SMART.create(world, { contactId: payer.id, lines: [{ name: 'Consulting hour', price: 150 }] });
    await world.pass();
    await sql`UPDATE b_crm_field_multi SET VALUE = 'ruby.new@example.test' WHERE ENTITY_ID = 'CONTACT' AND ELEMENT_ID = ${payer.id} AND TYPE_ID = 'EMAIL'`.execute(world.db);
    await sql`UPDATE b_crm_contact SET DATE_MODIFY = NOW() WHERE ID = ${payer.id}`.execute(world.db);
    await world.pass();
    const contacts = simState(world).contacts.filter((c) => c.ContactNumber === `B24-C-${payer.id}`);
    expect(contacts.map((c) => c.EmailAddress)).toEqual(['ruby.new@example.test']);
  });
});

describe('change feed', () => {
  it('pushes an invoice the change feed names even when its modification time is behind the scan cursor, then completes the row', async () => {
    const payer = await person();
    const id = await SMART.create(world, { contactId: payer.id, lines: [{ name: 'Before the feed', price: 70 }] });
    await world.pass();
    // An edit that left UPDATED_TIME alone (as some imports do): only the module's event handler saw it.
    await sql`UPDATE b_crm_product_row SET PRODUCT_NAME = 'Seen by the feed' WHERE OWNER_TYPE = 'SI' AND OWNER_ID = ${id}`.execute(world.db);
    await sql`UPDATE b_crm_dynamic_items_31 SET UPDATED_TIME = '2020-01-01 00:00:00' WHERE ID = ${id}`.execute(world.db);
    await sql`INSERT INTO b_b24xero_change (ENTITY_TYPE, ENTITY_ID, ACTION, CREATED_AT) VALUES ('smart_invoice', ${id}, 'update', UTC_TIMESTAMP(3))`.execute(world.db);
    await world.pass({ scanOverlapSeconds: 0 });
    expect(simInvoicesByKey(world, SMART.key(id))[0]!.LineItems[0]!.Description).toBe('Seen by the feed');
    const left = await world.db.selectFrom('b_b24xero_change').select('ID').where('ENTITY_ID', '=', id).execute();
    expect(left).toEqual([]);
  });
});
