import { createConnection, type Connection } from 'mysql2/promise';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poolOptionsFromUrl } from '../../daemon/src/db/connect.ts';
import { buildContact } from '../fixture/builders/contact.ts';
import { setModuleOption } from '../fixture/builders/module-options.ts';
import { createPushWorld, simInvoicesByKey, simState, type PushWorld } from './support/push-harness.ts';
import { LEGACY, SMART, type InvoiceKindAdapter } from './support/invoice-kinds.ts';
import { runCli, startCli, until, type CliRun } from './support/cli-process.ts';
import { HoldingProxy } from './support/holding-proxy.ts';

/**
 * ARCHITECTURE rule 4 under a real crash: `b24xero sync --once` runs as its own process and is SIGKILLed at each step
 * boundary of a push, reached with real parts only (a fault in the simulator, a forwarding proxy that withholds a
 * request or an answer, row locks held by the test); then a second `sync --once` runs to completion and Xero must hold
 * every record exactly once, with the link synced and the Bitrix binding queued.
 */
let world: PushWorld;
let proxy: HoldingProxy;
let shared: number;
let n = 0;

beforeAll(async () => {
  world = await createPushWorld('kill_once');
  proxy = new HoldingProxy(world.sim.url);
  await proxy.start();
  // A payer already in Xero, so the invoice boundaries are not mixed up with the contact's.
  shared = await payer();
  await SMART.create(world, { contactId: shared, lines: [{ name: 'Warm-up', price: 1 }] });
  await world.pass();
});
afterAll(async () => {
  await proxy?.close();
  await world?.close();
});

async function payer(): Promise<number> {
  const c = await buildContact(world.db, { name: 'Tama', lastName: `Kill${++n}`, emails: [`tama${n}@example.test`] });
  return c.contactId;
}

/** The daemon as a child process, its Accounting API calls going through the proxy. */
function startDaemon(): CliRun {
  return startCli(['sync', '--once'], world.env({ XERO_API_URL: `${proxy.url}/api.xro/2.0` }));
}

async function kill(run: CliRun): Promise<void> {
  run.child.kill('SIGKILL');
  const { signal } = await run.exited;
  expect(signal).toBe('SIGKILL');
}

async function rerunToCompletion(): Promise<void> {
  const { code, stderr } = await runCli(['sync', '--once', '--json'], world.env());
  expect(code, stderr).toBe(0);
}

async function link(entityType: string, id: number): Promise<any> {
  return world.db.selectFrom('b_b24xero_link').selectAll().where('ENTITY_TYPE', '=', entityType).where('ENTITY_ID', '=', id).executeTakeFirst();
}

/**
 * Whether another session of this database is executing a statement like `pattern` (SQL LIKE). Used while the test
 * holds the lock that statement needs: seeing it running means the daemon is parked exactly there.
 */
async function daemonAt(pattern: string): Promise<boolean> {
  const { rows } = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST
    WHERE DB = DATABASE() AND COMMAND = 'Query' AND ID <> CONNECTION_ID() AND INFO LIKE ${pattern}`.execute(world.db);
  return Number(rows[0]!.n) > 0;
}

async function testConnection(): Promise<Connection> {
  const o = poolOptionsFromUrl(world.t.url);
  return createConnection({ host: o.host, port: o.port, user: o.user, password: o.password, database: o.database });
}

/** Exactly one Xero invoice and one Xero contact for these Bitrix records, the link synced, the binding queued once. */
async function expectExactlyOnce(k: InvoiceKindAdapter, invoiceId: number, contactId: number): Promise<void> {
  const invoices = simInvoicesByKey(world, k.key(invoiceId));
  expect(invoices).toHaveLength(1);
  const contacts = simState(world).contacts.filter((c) => c.ContactNumber === `B24-C-${contactId}`);
  expect(contacts).toHaveLength(1);
  expect(invoices[0]!.ContactID.toLowerCase()).toBe(contacts[0]!.ContactID.toLowerCase());
  expect(await link(k.entityType, invoiceId)).toMatchObject({ STATE: 'synced', XERO_ID: invoices[0]!.ID.toLowerCase() });
  expect(await link('contact', contactId)).toMatchObject({ STATE: 'synced', XERO_ID: contacts[0]!.ContactID.toLowerCase() });
  const inbox = await world.db.selectFrom('b_b24xero_inbox').selectAll()
    .where('ENTITY_TYPE', '=', k.entityType).where('ENTITY_ID', '=', invoiceId).where('STATE', '=', 'pending').execute();
  expect(inbox).toHaveLength(1);
  expect(JSON.parse(inbox[0]!.PAYLOAD).fields.XML_ID).toBe(invoices[0]!.ID.toLowerCase());
  const creating = await world.db.selectFrom('b_b24xero_link').select('ID').where('STATE', '=', 'creating').execute();
  expect(creating).toEqual([]);
}

describe('kill -9 at every step boundary of a push', () => {
  it('does not create a second Xero invoice when killed after the intent row is committed but before the PUT reaches Xero', async () => {
    const id = await SMART.create(world, { contactId: shared, lines: [{ name: 'Boundary a', price: 10 }] });
    const fault = world.sim.addFault({ kind: 'hang', method: 'PUT', path: '/api.xro/2.0/Invoices', times: 1 });
    const run = startDaemon();
    await until(async () => (await link('smart_invoice', id))?.STATE === 'creating', 'the intent row');
    await kill(run);
    world.sim.removeFault(fault.id);
    expect(simInvoicesByKey(world, SMART.key(id))).toEqual([]);

    await rerunToCompletion();
    await expectExactlyOnce(SMART, id, shared);
    const runs = await world.db.selectFrom('b_b24xero_run').select(['STATUS', 'ERROR']).where('INSTANCE', '=', world.instance).where('STATUS', '=', 'interrupted').execute();
    expect(runs.length).toBeGreaterThanOrEqual(1);
  });

  it('does not create a second Xero contact when killed after the contact intent but before PUT /Contacts reaches Xero', async () => {
    const contact = await payer();
    const id = await SMART.create(world, { contactId: contact, lines: [{ name: 'Boundary a, contact', price: 11 }] });
    const fault = world.sim.addFault({ kind: 'hang', method: 'PUT', path: '/api.xro/2.0/Contacts', times: 1 });
    const run = startDaemon();
    await until(async () => (await link('contact', contact))?.STATE === 'creating', 'the contact intent row');
    await kill(run);
    world.sim.removeFault(fault.id);

    await rerunToCompletion();
    await expectExactlyOnce(SMART, id, contact);
  });

  it.each([SMART, LEGACY])('does not create a second Xero $kind invoice when killed after Xero executed the PUT but before the answer was processed', async (k) => {
    const id = await k.create(world, { contactId: shared, lines: [{ name: 'Boundary b', price: 12 }] });
    const held = proxy.holdNextResponse({ method: 'PUT', path: '/api.xro/2.0/Invoices' });
    const run = startDaemon();
    expect((await held.answered).status).toBe(200);
    await kill(run);
    expect(simInvoicesByKey(world, k.key(id))).toHaveLength(1);
    expect((await link(k.entityType, id))?.STATE).toBe('creating');

    await rerunToCompletion();
    await expectExactlyOnce(k, id, shared);
  });

  it('does not create a second Xero contact when killed after Xero executed PUT /Contacts but before the answer was processed', async () => {
    const contact = await payer();
    const id = await SMART.create(world, { contactId: contact, lines: [{ name: 'Boundary b, contact', price: 13 }] });
    const held = proxy.holdNextResponse({ method: 'PUT', path: '/api.xro/2.0/Contacts' });
    const run = startDaemon();
    expect((await held.answered).status).toBe(200);
    await kill(run);
    expect(simState(world).contacts.filter((c) => c.ContactNumber === `B24-C-${contact}`)).toHaveLength(1);

    await rerunToCompletion();
    await expectExactlyOnce(SMART, id, contact);
  });

  it('does not create a second Xero invoice when killed after the answer but before the link is marked synced', async () => {
    const id = await SMART.create(world, { contactId: shared, lines: [{ name: 'Boundary c', price: 14 }] });
    const held = proxy.holdNextRequest({ method: 'PUT', path: '/api.xro/2.0/Invoices' });
    const run = startDaemon();
    await held.arrived;
    const conn = await testConnection();
    try {
      await conn.beginTransaction();
      const [rows] = await conn.query('SELECT ID FROM b_b24xero_link WHERE ENTITY_TYPE = ? AND ENTITY_ID = ? FOR UPDATE', ['smart_invoice', id]);
      expect(rows).toHaveLength(1);
      held.release();
      await until(() => daemonAt('update `b_b24xero_link` set `STATE` = \'synced\'%'), 'the daemon to block on the link row');
      expect(simInvoicesByKey(world, SMART.key(id))).toHaveLength(1);
      await kill(run);
    } finally {
      await conn.rollback();
      await conn.end();
    }
    expect((await link('smart_invoice', id))?.STATE).toBe('creating');

    await rerunToCompletion();
    await expectExactlyOnce(SMART, id, shared);
  });

  it('does not lose the Bitrix binding when killed after the link update but before the inbox row is written', async () => {
    const id = await SMART.create(world, { contactId: shared, lines: [{ name: 'Boundary d, inbox', price: 15 }] });
    const conn = await testConnection();
    try {
      // An uncommitted row with the same dedupe key: the daemon's locking read of that key waits for us.
      await conn.beginTransaction();
      await conn.query(
        `INSERT INTO b_b24xero_inbox (ENTITY_TYPE, ENTITY_ID, ACTION, PAYLOAD, STATE, DEDUPE_KEY, ATTEMPTS, CREATED_AT)
         VALUES ('smart_invoice', ?, 'set_fields', '{}', 'pending', ?, 0, UTC_TIMESTAMP(3))`,
        [id, `set_fields:smart_invoice:${id}`],
      );
      const run = startDaemon();
      await until(() => daemonAt('select%from `b_b24xero_inbox`%for update'), 'the daemon to block on the inbox');
      expect(simInvoicesByKey(world, SMART.key(id))).toHaveLength(1);
      await kill(run);
    } finally {
      await conn.rollback();
      await conn.end();
    }
    // The link update shared the daemon's transaction with the inbox row: both died with it.
    expect((await link('smart_invoice', id))?.STATE).toBe('creating');

    await rerunToCompletion();
    await expectExactlyOnce(SMART, id, shared);
  });

  it('ends synced with nothing repeated when killed after the inbox row but before the scan cursor is saved', async () => {
    const id = await SMART.create(world, { contactId: shared, lines: [{ name: 'Boundary d, cursor', price: 16 }] });
    const conn = await testConnection();
    try {
      await conn.beginTransaction();
      const [rows] = await conn.query("SELECT NAME FROM b_b24xero_cursor WHERE NAME = 'scan:smart_invoice' FOR UPDATE");
      expect(rows).toHaveLength(1);
      const run = startDaemon();
      await until(() => daemonAt('insert into `b_b24xero_cursor`%'), 'the daemon to block on the cursor');
      expect((await link('smart_invoice', id))?.STATE).toBe('synced');
      await kill(run);
    } finally {
      await conn.rollback();
      await conn.end();
    }
    const before = world.sim.counters().writes;
    await rerunToCompletion();
    await expectExactlyOnce(SMART, id, shared);
    // The page is read again (the cursor did not move), but its content hashes match: no write is repeated.
    expect(world.sim.counters().writes).toBe(before);
  });

  it('finds the invoice by its Reference when Xero numbers invoices, and still creates it only once', async () => {
    // Last in the file: switching the numbering policy changes every draft's desired content.
    await setModuleOption(world.db, 'invoice_number_policy', 'xero');
    const id = await LEGACY.create(world, { contactId: shared, lines: [{ name: 'Numbered by Xero', price: 17 }] });
    const held = proxy.holdNextResponse({ method: 'PUT', path: '/api.xro/2.0/Invoices' });
    const run = startDaemon();
    expect((await held.answered).status).toBe(200);
    await kill(run);
    const [created] = simInvoicesByKey(world, LEGACY.key(id));
    expect(created!.Number).not.toBe(`INV-${id}`);

    await rerunToCompletion();
    await expectExactlyOnce(LEGACY, id, shared);
  });
});
