import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildContact } from '../fixture/builders/contact.ts';
import { buildProduct } from '../fixture/builders/product.ts';
import { setModuleOption } from '../fixture/builders/module-options.ts';
import { OPTION_KEYS } from '../../daemon/src/domain/settings.ts';
import {
  apiWrites, createPushWorld, errorsOf, lastSeq, linkOf, simInvoicesByKey, simState, type PushWorld,
} from './support/push-harness.ts';
import { LEGACY, SMART, type InvoiceKindAdapter } from './support/invoice-kinds.ts';

/**
 * A change of the module's settings reaches invoices already in Xero without a Bitrix edit: drafts Bitrix still owns
 * are updated, invoices Xero owns are left alone without a conflict, and the content hashes keep it cheap.
 * The invoices were last modified in Bitrix two hours ago, so the safety scan's "not modified since its push"
 * shortcut (Bitrix time zone known) would settle them without planning — the case the settings re-plan exists for.
 */
let world: PushWorld;
const drafts: Array<{ k: InvoiceKindAdapter; id: number }> = [];
let approved: number;
const ITEM_CODE = 'SET-CHANGE-1';
/** As `b24xero sync` runs with BITRIX_TIMEZONE set; no scan overlap, so only the settings re-plan can reach them. */
const quiet = { timeZone: 'UTC', scanOverlapSeconds: 0 } as const;

async function backdate(k: InvoiceKindAdapter, id: number): Promise<void> {
  if (k.kind === 'smart') await sql`UPDATE b_crm_dynamic_items_31 SET UPDATED_TIME = NOW() - INTERVAL 2 HOUR WHERE ID = ${id}`.execute(world.db);
  else await sql`UPDATE b_crm_invoice SET DATE_UPDATE = NOW() - INTERVAL 2 HOUR WHERE ID = ${id}`.execute(world.db);
}

function accountCodes(k: InvoiceKindAdapter, id: number): Array<string | undefined> {
  return simInvoicesByKey(world, k.key(id)).flatMap((i) => i.LineItems.map((l) => l.AccountCode));
}

beforeAll(async () => {
  world = await createPushWorld('settings_change');
  const payer = (await buildContact(world.db, { name: 'Anahera', lastName: 'Settings', emails: ['anahera@example.test'] })).contactId;
  for (const k of [SMART, SMART, LEGACY]) {
    drafts.push({ k, id: await k.create(world, { contactId: payer, lines: [{ name: `Draft ${k.kind}`, price: 100 }, { name: 'Second line', price: 20 }] }) });
  }
  approved = await SMART.create(world, { contactId: payer, lines: [{ name: 'Approved in Xero', price: 500 }] });
  const product = await buildProduct(world.db, { name: 'Support plan', price: 80, code: ITEM_CODE, vatId: world.info.vat.gst15, vatIncluded: false });
  drafts.push({ k: SMART, id: await SMART.create(world, { contactId: payer, lines: [{ productId: product.productId, name: 'Support plan', price: 80 }, { name: 'Setup', price: 20 }] }) });
  for (const { k, id } of drafts) await backdate(k, id);
  await backdate(SMART, approved);
  await world.pass(quiet);
  world.sim.tenantAdmin(world.tenantId, `invoices/${simInvoicesByKey(world, SMART.key(approved))[0]!.ID}/approve`, 'POST', {});
  // A pass with nothing to do, so the scan cursor is past every invoice and the next pass starts from rest.
  await world.pass(quiet);
});
afterAll(async () => {
  await world?.close();
});

describe('a change of the module settings', () => {
  it('moves the existing Xero DRAFTs to the new default sales account on the next pass, without any Bitrix edit', async () => {
    for (const { k, id } of drafts) expect(accountCodes(k, id)).toEqual(['200', '200']);
    await setModuleOption(world.db, OPTION_KEYS.defaultSalesAccount, '260');
    const since = lastSeq(world);
    const result = await world.pass(quiet);

    for (const { k, id } of drafts) {
      expect(accountCodes(k, id)).toEqual(['260', '260']);
      expect(simInvoicesByKey(world, k.key(id))[0]!.Status).toBe('DRAFT');
    }
    expect(result.stats.updated).toBe(4);
    // Batched per invoice kind (three smart, one legacy), not one call per invoice.
    expect(apiWrites(world, '/Invoices', since).map((w) => ((w.body as { Invoices?: unknown[] }).Invoices ?? []).length)).toEqual([3, 1]);
    // The catalog product's Xero Item follows the default account too.
    expect(simState(world).items.find((i) => i.Code === ITEM_CODE)?.SalesDetails.AccountCode).toBe('260');
  });

  it('leaves an invoice Xero has approved untouched and records no conflict: a settings change is not a Bitrix edit', async () => {
    const [invoice] = simInvoicesByKey(world, SMART.key(approved));
    expect(invoice).toMatchObject({ Status: 'AUTHORISED' });
    expect(invoice!.LineItems.map((l) => l.AccountCode)).toEqual(['200']);
    expect(await linkOf(world, SMART.entityType, approved)).toMatchObject({ STATE: 'synced', XERO_STATUS: 'AUTHORISED' });
    expect(await errorsOf(world, SMART.entityType, approved)).toEqual([]);
  });

  it('makes no write and no API call on the pass after', async () => {
    const since = lastSeq(world);
    const result = await world.pass(quiet);
    expect(apiWrites(world, undefined, since)).toEqual([]);
    expect(result.stats.apiCalls).toBe(0);
  });

  it('costs no write when the new settings leave every payload as it was (a tax map naming the rates already used)', async () => {
    await setModuleOption(world.db, OPTION_KEYS.taxMap, JSON.stringify({ 15: 'OUTPUT2' }));
    const since = lastSeq(world);
    const result = await world.pass(quiet);
    expect(apiWrites(world, undefined, since)).toEqual([]);
    expect(result.stats.updated).toBe(0);
  });

  it('also reaches drafts the safety scan re-reads in its overlap window, where they would be settled unplanned, still without a conflict on the approved one', async () => {
    await setModuleOption(world.db, OPTION_KEYS.defaultSalesAccount, '270');
    await world.pass({ timeZone: 'UTC', scanOverlapSeconds: 4 * 3600 });
    for (const { k, id } of drafts) expect(accountCodes(k, id)).toEqual(['270', '270']);
    // Re-read by the scan too, unmodified since its push: the difference is the settings', so still no conflict.
    expect(await linkOf(world, SMART.entityType, approved)).toMatchObject({ STATE: 'synced', XERO_STATUS: 'AUTHORISED' });
    expect(await errorsOf(world, SMART.entityType, approved)).toEqual([]);
  });

  it('costs no API call when the options page is saved again with the same values, whatever the key order', async () => {
    await setModuleOption(world.db, OPTION_KEYS.statusMap, JSON.stringify({ push: { createAs: 'DRAFT' }, skipStages: [] }));
    await world.pass(quiet);
    await setModuleOption(world.db, OPTION_KEYS.statusMap, JSON.stringify({ skipStages: [], push: { createAs: 'DRAFT' } }));
    await setModuleOption(world.db, OPTION_KEYS.taxMap, JSON.stringify({ 15: 'OUTPUT2' }));
    const result = await world.pass(quiet);
    expect(result.stats.apiCalls).toBe(0);
  });

  it('changes nothing in a dry run, and the real pass after it still applies the change', async () => {
    await setModuleOption(world.db, OPTION_KEYS.defaultSalesAccount, '260');
    const since = lastSeq(world);
    const dry = await world.pass({ ...quiet, dryRun: true });
    expect(apiWrites(world, undefined, since)).toEqual([]);
    expect(dry.plan.filter((p) => p.action === 'update' && p.entity !== 'product').map((p) => `${p.entity}:${p.id}`).sort())
      .toEqual(drafts.map((d) => `${d.k.entityType}:${d.id}`).sort());
    await world.pass(quiet);
    for (const { k, id } of drafts) expect(accountCodes(k, id)).toEqual(['260', '260']);
  });

  it('still reports a later Bitrix edit of the approved invoice as a conflict', async () => {
    await SMART.edit(world, approved, { lineName: 'Edited after approval', dueDate: '2030-03-31' });
    const result = await world.pass(quiet);
    expect(result.stats.conflicts).toBe(1);
    expect(simInvoicesByKey(world, SMART.key(approved))[0]!.LineItems[0]!.Description).toBe('Approved in Xero');
    expect((await errorsOf(world, SMART.entityType, approved)).map((e) => e.CODE)).toEqual(['approved_in_xero']);
  });
});
