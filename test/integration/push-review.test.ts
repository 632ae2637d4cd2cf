import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildContact } from '../fixture/builders/contact.ts';
import { runSyncPass, type PassResult } from '../../daemon/src/sync/pass.ts';
import { createXeroGateway, MemoryBudgetStore } from '../../daemon/src/xero/index.ts';
import { getCursor } from '../../daemon/src/state/cursors.ts';
import { decodeScanPosition } from '../../daemon/src/bitrix/scan.ts';
import type { PushGateway } from '../../daemon/src/sync/push/push-context.ts';
import {
  createPushWorld, errorsOf, linkOf, simInvoicesByKey, simState, TIME_SCALE, type PushWorld,
} from './support/push-harness.ts';
import { SMART } from './support/invoice-kinds.ts';

/**
 * Defects found reviewing the push executor, each proved against the real database, the simulator and xero-node.
 * Where a test needs something to happen at one instant (a Xero user approving between our read and our write, an
 * answer lost on the network), a thin wrapper around the real gateway does it there; the daemon code is unchanged.
 */
let world: PushWorld;
let n = 0;

beforeAll(async () => {
  world = await createPushWorld('push_review');
});
afterAll(async () => {
  await world?.close();
});

async function payer(): Promise<number> {
  const c = await buildContact(world.db, { name: 'Hemi', lastName: `Review${String.fromCharCode(65 + (n % 26))}${++n}`, emails: [`hemi${n}@example.test`] });
  return c.contactId;
}

/** The real gateway with one method replaced; everything else goes straight through. */
function wrapGateway(overrides: Partial<PushGateway>): PushGateway {
  return new Proxy(world.gateway, {
    get(target, property, receiver) {
      const own = (overrides as Record<string | symbol, unknown>)[property];
      if (own !== undefined) return own;
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as PushGateway;
}

function passWith(gateway: PushGateway): Promise<PassResult> {
  return runSyncPass({ db: world.db, gateway, connect: () => world.gateway.connect(), log: world.log }, { instance: world.instance });
}

async function renameFirstLine(id: number, name: string): Promise<void> {
  await sql`UPDATE b_crm_product_row SET PRODUCT_NAME = ${name} WHERE OWNER_TYPE = 'SI' AND OWNER_ID = ${id}`.execute(world.db);
  // A second later each time, as Bitrix stamps it, so every edit is a new modification the scan sees.
  await sql`UPDATE b_crm_dynamic_items_31 SET UPDATED_TIME = DATE_ADD(GREATEST(NOW(), UPDATED_TIME), INTERVAL 1 SECOND) WHERE ID = ${id}`.execute(world.db);
}

describe('updating an invoice Xero approves at the same moment', () => {
  it('records the approval race as a conflict needing a person instead of counting it as an ordinary update', async () => {
    const id = await SMART.create(world, { contactId: await payer(), lines: [{ name: 'Workshop', price: 900 }] });
    await world.pass();
    const [draft] = simInvoicesByKey(world, SMART.key(id));
    await renameFirstLine(id, 'Workshop, half day');

    // A Xero user approves the draft right after the daemon read its status and before its update arrives.
    const racing = wrapGateway({
      async getInvoices(query) {
        const page = await world.gateway.getInvoices(query);
        if (query?.ids?.some((x) => x.toLowerCase() === draft!.ID.toLowerCase())) {
          world.sim.tenantAdmin(world.tenantId, `invoices/${draft!.ID}/approve`, 'POST', {});
        }
        return page;
      },
    });
    const result = await passWith(racing);

    // Xero accepts edits of an approved invoice without payments, so the update lands: say so, loudly.
    const [after] = simInvoicesByKey(world, SMART.key(id));
    expect(after!.Status).toBe('AUTHORISED');
    expect(result.stats.updated).toBe(0);
    expect(result.stats.conflicts).toBe(1);
    const conflict = (await errorsOf(world, SMART.entityType, id)).find((e) => e.OPERATION === 'conflict');
    expect(conflict).toMatchObject({ CLASS: 'needs_person', CODE: 'approved_during_update' });
    expect(JSON.parse(conflict.DETAILS)).toMatchObject({ xeroStatus: 'AUTHORISED', xeroId: draft!.ID.toLowerCase() });
    // The link tells the truth: Xero holds this content, approved; a later Bitrix edit is a plain conflict.
    expect(await linkOf(world, SMART.entityType, id)).toMatchObject({ STATE: 'synced', XERO_STATUS: 'AUTHORISED' });
    await renameFirstLine(id, 'Workshop, full day');
    await world.pass();
    expect(simInvoicesByKey(world, SMART.key(id))[0]!.LineItems[0]!.Description).toBe('Workshop, half day');
    expect(await linkOf(world, SMART.entityType, id)).toMatchObject({ STATE: 'conflict' });
  });
});

describe('update Idempotency-Keys', () => {
  it('applies an edit that returns the invoice to content it had minutes ago (A → B → A → B all reach Xero)', async () => {
    const id = await SMART.create(world, { contactId: await payer(), lines: [{ name: 'Version A', price: 100 }] });
    await world.pass();
    for (const name of ['Version B', 'Version A', 'Version B']) {
      await renameFirstLine(id, name);
      await world.pass();
      expect(simInvoicesByKey(world, SMART.key(id))[0]!.LineItems[0]!.Description).toBe(name);
    }
  });

  it('applies a contact edit that returns its details to what they were minutes ago', async () => {
    const contactId = await payer();
    await SMART.create(world, { contactId, lines: [{ name: 'Retainer', price: 100 }] });
    await world.pass();
    for (const email of ['second@example.test', `hemi${contactId}@example.test`, 'second@example.test']) {
      await sql`UPDATE b_crm_field_multi SET VALUE = ${email} WHERE ENTITY_ID = 'CONTACT' AND ELEMENT_ID = ${contactId} AND TYPE_ID = 'EMAIL'`.execute(world.db);
      await sql`UPDATE b_crm_contact SET DATE_MODIFY = DATE_ADD(GREATEST(NOW(), DATE_MODIFY), INTERVAL 1 SECOND) WHERE ID = ${contactId}`.execute(world.db);
      await world.pass();
      const [contact] = simState(world).contacts.filter((c) => c.ContactNumber === `B24-C-${contactId}`);
      expect(contact?.EmailAddress).toBe(email);
    }
  });
});

describe('find-before-create', () => {
  it('finds the invoice a lost create answer left in Xero even after its number was changed in Bitrix', async () => {
    const id = await SMART.create(world, { contactId: await payer(), accountNumber: `LOST-${n}`, lines: [{ name: 'Audit', price: 300 }] });
    // Xero executes the create, the answer never arrives (connection dropped).
    const dropping = wrapGateway({
      async createInvoices(invoices, options) {
        await world.gateway.createInvoices(invoices, options);
        throw new Error('socket hang up');
      },
    });
    await passWith(dropping);
    expect(await linkOf(world, SMART.entityType, id)).toMatchObject({ STATE: 'creating' });
    expect(simInvoicesByKey(world, SMART.key(id))).toHaveLength(1);

    // Someone renumbers the invoice in Bitrix before the next pass.
    await sql`UPDATE b_crm_dynamic_items_31 SET ACCOUNT_NUMBER = ${`RENUMBERED-${n}`}, UPDATED_TIME = DATE_ADD(NOW(), INTERVAL 1 SECOND) WHERE ID = ${id}`.execute(world.db);
    const result = await world.pass();

    const copies = simInvoicesByKey(world, SMART.key(id));
    expect(copies).toHaveLength(1);
    expect(result.stats.recovered).toBe(1);
    expect(copies[0]!.Number).toBe(`RENUMBERED-${n}`);
    expect(await linkOf(world, SMART.entityType, id)).toMatchObject({ STATE: 'synced', XERO_ID: copies[0]!.ID.toLowerCase() });
  });

  it('finds a lost create among many invoices whose keys share its prefix (B24-SI-1 vs B24-SI-1x, B24-SI-1xx)', async () => {
    // The where clause must pick the one key, not every key that starts with the same digits.
    const id = await SMART.create(world, { contactId: await payer(), lines: [{ name: 'Prefix', price: 10 }] });
    const key = SMART.key(id);
    for (let i = 0; i < 105; i++) {
      world.sim.tenantAdmin(world.tenantId, 'invoices', 'POST', {
        Type: 'ACCREC', Contact: { Name: `Prefix Neighbour ${n}` }, Reference: `${key}${i}`,
        LineItems: [{ Description: 'x', Quantity: 1, UnitAmount: 1, AccountCode: '200' }],
      });
    }
    const dropping = wrapGateway({
      async createInvoices(invoices, options) {
        await world.gateway.createInvoices(invoices, options);
        throw new Error('socket hang up');
      },
    });
    await passWith(dropping);
    const result = await world.pass();
    expect(result.stats.recovered).toBe(1);
    expect(simInvoicesByKey(world, key)).toHaveLength(1);
  });
});

describe('a Xero outage of the whole tenant in the middle of a pass', () => {
  let w2: PushWorld;
  beforeAll(async () => {
    w2 = await createPushWorld('push_review_budget');
  });
  afterAll(async () => {
    await w2?.close();
  });

  it('stops the pass when the daily call budget runs out, keeping the scan cursor before the invoices it could not push and storing no error on each of them', async () => {
    const payer = (await buildContact(w2.db, { name: 'Rawiri', lastName: 'Budget', emails: ['rawiri@example.test'] })).contactId;
    const ids: number[] = [];
    for (let i = 0; i < 6; i++) ids.push(await SMART.create(w2, { contactId: payer, lines: [{ name: `Budget ${i}`, price: 10 + i }] }));
    // Enough calls for the organisation (5), the payer (lookup + create) and one batch of invoices: then spent.
    const sim = w2.sim;
    const limited = createXeroGateway({
      clientId: sim.clientId, clientSecret: sim.clientSecret, auth: 'client_credentials',
      apiUrl: `${sim.url}/api.xro/2.0`, identityUrl: sim.url, connectionsUrl: `${sim.url}/connections`,
      timeoutMs: 10_000, minuteLimit: 60, dailyBudget: 8, instance: w2.instance,
    }, { budgetStore: new MemoryBudgetStore(), governor: { windowMs: 60_000 / TIME_SCALE } });

    const stopped = runSyncPass({ db: w2.db, gateway: limited, connect: () => limited.connect(), log: w2.log }, { instance: w2.instance, scanLimit: 2 });
    await expect(stopped).rejects.toThrow(/budget/);

    const landed = ids.filter((id) => simInvoicesByKey(w2, SMART.key(id)).length === 1);
    expect(landed.length).toBeGreaterThan(0);
    expect(landed.length).toBeLessThan(ids.length);
    const errors = await w2.db.selectFrom('b_b24xero_record_error').select(['ENTITY_ID', 'CODE']).where('RESOLVED_AT', 'is', null).execute();
    expect(errors).toEqual([]);
    // The cursor covers only what was pushed: the next pass's scan (no retry rows needed) picks the rest up.
    const cursor = decodeScanPosition(await getCursor(w2.db, 'scan:smart_invoice'));
    expect(cursor?.id ?? 0).toBeLessThan(ids[ids.length - 1]!);
    await w2.pass({ scanOverlapSeconds: 0 });
    for (const id of ids) expect(simInvoicesByKey(w2, SMART.key(id))).toHaveLength(1);
  });
});
