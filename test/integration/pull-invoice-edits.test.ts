import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildContact } from '../fixture/builders/contact.ts';
import { applyInboxWithPhp } from '../module/php-applier.ts';
import { apiWrites, createPushWorld, errorsOf, lastSeq, simInvoicesByKey, type PushWorld } from './support/push-harness.ts';
import { KINDS, type InvoiceKindAdapter } from './support/invoice-kinds.ts';

/**
 * Xero-side invoice edits (issue 7 item 3), end to end with the module's PHP applier, for both invoice kinds: an
 * accountant edits lines and the due date in Xero → one set_invoice_content row → the Bitrix rows and dates follow →
 * the next pass writes nothing to Xero; a draft edited on both sides → Bitrix wins and one record shows both versions;
 * an approved invoice edited in Xero → Xero wins, with no conflict once Bitrix holds it.
 */
describe.each(KINDS)('Xero-side edits: $kind invoices', (K: InvoiceKindAdapter) => {
  let world: PushWorld;
  let payer: number;
  beforeAll(async () => {
    world = await createPushWorld(`pull_edit_${K.kind}`);
    payer = (await buildContact(world.db, { name: 'Edda', lastName: 'Edits' })).contactId;
  });
  afterAll(async () => {
    await world?.close();
  });

  const admin = (path: string, body: unknown = {}) => {
    const res = world.sim.tenantAdmin(world.tenantId, path, 'POST', body);
    if (res.status !== 200) throw new Error(`sim ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Record<string, any>;
  };
  const apply = () => {
    const report = applyInboxWithPhp(world.t.url);
    expect(report.failures).toEqual([]);
    return report;
  };
  const pass = () => world.pass({ pull: true });
  const rows = async (id: number) => K.kind === 'smart'
    ? (await sql<any>`SELECT PRODUCT_NAME AS name, PRICE_EXCLUSIVE AS price, QUANTITY AS qty FROM b_crm_product_row WHERE OWNER_TYPE = 'SI' AND OWNER_ID = ${id} ORDER BY SORT, ID`.execute(world.db)).rows
    : (await sql<any>`SELECT NAME AS name, PRICE AS price, QUANTITY AS qty FROM b_crm_invoice_basket WHERE ORDER_ID = ${id} ORDER BY SORT, ID`.execute(world.db)).rows;
  const dueDate = async (id: number) => K.kind === 'smart'
    ? String((await sql<any>`SELECT CLOSEDATE AS d FROM b_crm_dynamic_items_31 WHERE ID = ${id}`.execute(world.db)).rows[0].d).slice(0, 10)
    : String((await sql<any>`SELECT DATE_PAY_BEFORE AS d FROM b_crm_invoice WHERE ID = ${id}`.execute(world.db)).rows[0].d).slice(0, 10);
  const pendingContent = async (id: number) => (await world.db.selectFrom('b_b24xero_inbox').select('PAYLOAD')
    .where('ACTION', '=', 'set_invoice_content').where('ENTITY_TYPE', '=', K.entityType).where('ENTITY_ID', '=', id).where('STATE', '=', 'pending').execute())
    .map((r) => JSON.parse(r.PAYLOAD));
  const newInvoice = async () => {
    const id = await K.create(world, { contactId: payer, lines: [{ name: 'Consulting', price: 100, quantity: 2, taxRate: 15 }, { name: 'Travel', price: 40, taxRate: 15 }] });
    await pass();
    apply();
    return { id, xeroId: simInvoicesByKey(world, K.key(id))[0]!.ID };
  };
  const xeroLines = [
    { Description: 'Consulting (revised)', Quantity: 3, UnitAmount: 100, TaxType: 'OUTPUT2', AccountCode: '200' },
    { Description: 'Parking', Quantity: 1, UnitAmount: 12.5, TaxType: 'OUTPUT2', AccountCode: '200' },
  ];

  it('lines and due date edited in a Xero draft reach Bitrix, and nothing goes back to Xero', async () => {
    const { id, xeroId } = await newInvoice();
    admin(`invoices/${xeroId}/edit`, { lineItems: xeroLines, dueDate: '2031-03-31' });
    const first = await pass();
    expect(first.stats.conflicts).toBe(0);
    const [row] = await pendingContent(id);
    expect(row.fields).toEqual({ dueDate: '2031-03-31' });
    expect(row.rows.map((r: any) => [r.name, r.quantity, r.price, r.taxRate, r.taxIncluded])).toEqual([
      ['Consulting (revised)', 3, 100, 15, false], ['Parking', 1, 12.5, 15, false],
    ]);
    apply();
    expect((await rows(id)).map((r) => [r.name, Number(r.qty), Number(r.price)])).toEqual([['Consulting (revised)', 3, 100], ['Parking', 1, 12.5]]);
    expect(await dueDate(id)).toBe('2031-03-31');

    const since = lastSeq(world);
    const next = await pass();
    expect(apiWrites(world, undefined, since)).toEqual([]);
    expect(next.stats).toMatchObject({ updated: 0, conflicts: 0, failed: 0 });
    expect(await pendingContent(id)).toEqual([]);
    expect(await errorsOf(world, K.entityType, id)).toEqual([]);
  });

  it('a draft edited on both sides: Bitrix wins, and one record shows both versions', async () => {
    const { id, xeroId } = await newInvoice();
    admin(`invoices/${xeroId}/edit`, { lineItems: xeroLines });
    await K.edit(world, id, { lineName: 'Consulting (Bitrix)', dueDate: '2031-06-30' });
    await pass();
    const xero = simInvoicesByKey(world, K.key(id))[0]!;
    expect(xero.LineItems.map((l) => l.Description)).toEqual(['Consulting (Bitrix)', 'Travel']);
    const [record] = (await errorsOf(world, K.entityType, id)).filter((e) => e.CODE === 'xero_edit_overwritten');
    expect(record).toMatchObject({ SEVERITY: 'warning', CLASS: 'needs_person' });
    expect(record.MESSAGE).toContain('Xero had: Consulting (revised) 3 × 100, Parking 1 × 12.5');
    expect(record.MESSAGE).toContain('Bitrix sent: Consulting (Bitrix) 2 × 100, Travel 1 × 40');
    // What the push wrote is the new base: nothing of the overwritten edit is queued for Bitrix.
    expect(await pendingContent(id)).toEqual([]);
  });

  it('an approved invoice edited in Xero: Xero wins, and no conflict once Bitrix holds its content', async () => {
    const { id, xeroId } = await newInvoice();
    admin(`invoices/${xeroId}/approve`);
    admin(`invoices/${xeroId}/edit`, { lineItems: xeroLines });
    await pass();
    expect(await pendingContent(id)).toHaveLength(1);
    apply();
    const since = lastSeq(world);
    const next = await pass();
    expect(next.stats).toMatchObject({ conflicts: 0, failed: 0 });
    expect(apiWrites(world, undefined, since)).toEqual([]);
    // (An approval with no stage mapped to AUTHORISED is reported once as status_unmapped: the status map's business.)
    expect((await errorsOf(world, K.entityType, id)).map((e) => e.CODE).filter((c) => c !== 'status_unmapped')).toEqual([]);
    expect((await rows(id)).map((r) => r.name)).toEqual(['Consulting (revised)', 'Parking']);
  });
});
