import { spawn } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../daemon/src/domain/settings.ts';
import { Health } from '../../daemon/src/runtime/health.ts';
import { HttpListener } from '../../daemon/src/runtime/http-listener.ts';
import { DaemonMetrics } from '../../daemon/src/runtime/metrics.ts';
import { readSnapshot } from '../../daemon/src/runtime/snapshot.ts';
import { failureSource } from '../../daemon/src/runtime/failure-source.ts';
import { runWebhookJob, WebhookProcessingError } from '../../daemon/src/runtime/webhook-job.ts';
import { webhookHealth } from '../../daemon/src/state/status-report.ts';
import type { StateDb } from '../../daemon/src/state/tables.ts';
import { pullInvoices } from '../../daemon/src/sync/pull/invoice-pull.ts';
import type { PullContext } from '../../daemon/src/sync/pull/pull-context.ts';
import { processWebhookEvents, receiveWebhook, type WebhookHandlers, type WebhookReceiveDeps } from '../../daemon/src/sync/pull/webhooks.ts';
import { buildContact } from '../fixture/builders/contact.ts';
import { runInProcess } from '../cli/run-in-process.ts';
import { REPO_ROOT, startCli, until } from './support/cli-process.ts';
import { SMART } from './support/invoice-kinds.ts';
import { createPushWorld, inboxOf, simInvoicesByKey, type PushWorld } from './support/push-harness.ts';

/**
 * Xero webhooks (issue 7 item 6) on real parts: MariaDB, the daemon's HTTP listener, the simulator's signed
 * deliveries and its intent-to-receive check over HTTP, the real invoice puller through xero-node — and, at the end,
 * `b24xero run` as its own process receiving the simulator's webhook for an invoice paid in Xero.
 */
const KEY = 'whk-test-key-5c1f0e2d9a8b7c6d';

let world: PushWorld;
let listener: HttpListener;
let url: string;
let tenant: () => string | null;
let receiveDeps: WebhookReceiveDeps;
let payer: number;

const state = () => world.db as StateDb;
const hmac = (body: Buffer | string, key = KEY) => createHmac('sha256', key).update(body).digest('base64');

beforeAll(async () => {
  world = await createPushWorld('webhooks', { webhookBatchMs: 20 });
  payer = (await buildContact(world.db, { name: 'Wiremu', lastName: 'Hook', emails: ['wiremu@example.test'] })).contactId;
  tenant = () => world.tenantId;
  receiveDeps = { state: state(), key: KEY, tenantId: () => tenant(), log: world.log, foreignTenantsLogged: new Set() };
  const health = new Health();
  listener = new HttpListener({
    listen: { host: '127.0.0.1', port: 0 }, allowRemote: false, health, metrics: new DaemonMetrics(health, { instance: world.instance }),
    webhook: (input) => receiveWebhook(receiveDeps, input), log: world.log,
  });
  await listener.start();
  url = `http://127.0.0.1:${listener.port}/webhooks/xero`;
});
afterAll(async () => {
  await listener?.close();
  await world?.close();
});
beforeEach(async () => {
  await sql`DELETE FROM b_b24xero_webhook_event`.execute(world.db);
  world.logLines.length = 0;
  tenant = () => world.tenantId;
});

type Category = 'INVOICE' | 'CONTACT' | 'CREDITNOTE';
function xeroEvent(category: Category, resourceId: string, overrides: Record<string, unknown> = {}) {
  const path = { INVOICE: 'Invoices', CONTACT: 'Contacts', CREDITNOTE: 'CreditNotes' }[category];
  return {
    resourceUrl: `https://api.xero.com/api.xro/2.0/${path}/${resourceId}`, resourceId, eventDateUtc: '2026-12-04T09:00:00.000',
    eventType: 'UPDATE', eventCategory: category, tenantId: world.tenantId, tenantType: 'ORGANISATION', ...overrides,
  };
}
const payload = (events: unknown[]) => Buffer.from(JSON.stringify({ events, firstEventSequence: 1, lastEventSequence: events.length, entropy: 'QWERTYUIOPASDFGHJKLZ' }));

async function post(body: Buffer | string, signature: string | null): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...(signature !== null && { 'x-xero-signature': signature }) } });
  return { status: res.status, text: await res.text() };
}
/** Receives signed events the way a delivery does (straight into receiveWebhook: no HTTP for bulk set-up). */
async function deliver(events: unknown[]): Promise<void> {
  const body = payload(events);
  const answer = await receiveWebhook(receiveDeps, { rawBody: body, signature: hmac(body) });
  expect(answer.status).toBe(200);
}
async function stored(): Promise<Array<{ ID: number; RESOURCE_ID: string; EVENT_CATEGORY: string; TENANT_ID: string; PROCESSED_AT: string | null }>> {
  return state().selectFrom('b_b24xero_webhook_event').select(['ID', 'RESOURCE_ID', 'EVENT_CATEGORY', 'TENANT_ID', 'PROCESSED_AT']).orderBy('ID').execute();
}
const pending = async () => (await stored()).filter((e) => e.PROCESSED_AT === null);
const logged = (message: string) => world.logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => String(l.message).includes(message));
const ids = (n: number) => Array.from({ length: n }, () => randomUUID());

describe('receiving: the signature decides', () => {
  it('passes the simulator\'s intent-to-receive check: 200 to its correctly signed requests, 401 to the wrongly signed ones', async () => {
    const result = await world.sim.intentToReceive({ url, key: KEY });
    expect(result.checks.map((c) => [c.signature, c.status])).toEqual([['valid', 200], ['invalid', 401], ['invalid', 401], ['valid', 200]]);
    expect(result.passed).toBe(true);
    expect(await stored()).toEqual([]);
  });

  it('answers 401 with an empty body to a wrong or missing signature, and stores nothing', async () => {
    const body = payload([xeroEvent('INVOICE', randomUUID())]);
    expect(await post(body, hmac(body, `${KEY}x`))).toEqual({ status: 401, text: '' });
    expect(await post(body, null)).toEqual({ status: 401, text: '' });
    expect(await post(body, '')).toEqual({ status: 401, text: '' });
    expect(await post(body, hmac(Buffer.concat([body, Buffer.from(' ')])))).toEqual({ status: 401, text: '' });
    expect(await stored()).toEqual([]);
    const refusals = logged('webhook refused');
    expect(refusals.map((l) => l.signature)).toEqual(['wrong', 'missing', 'missing', 'wrong']);
    // Neither the key nor a signature ever reaches a log line.
    for (const line of world.logLines) {
      expect(line).not.toContain(KEY);
      expect(line).not.toContain(hmac(body));
    }
  });

  it('answers 200 to a correctly signed intent-to-receive (no events) and to signed events, which it stores', async () => {
    const empty = Buffer.from('{"events":[],"lastEventSequence":0,"firstEventSequence":0,"entropy":"ABCDEFGHIJKLMNOPQRST"}');
    expect((await post(empty, hmac(empty))).status).toBe(200);
    const [inv, con] = ids(2);
    const body = payload([xeroEvent('INVOICE', inv!), xeroEvent('CONTACT', con!, { eventType: 'CREATE' })]);
    const started = performance.now();
    expect(await post(body, hmac(body))).toEqual({ status: 200, text: '' });
    console.log(`webhooks: a signed delivery of 2 events answered in ${(performance.now() - started).toFixed(1)} ms`);
    expect((await stored()).map((e) => [e.EVENT_CATEGORY, e.RESOURCE_ID, e.TENANT_ID, e.PROCESSED_AT])).toEqual([
      ['INVOICE', inv, world.tenantId, null], ['CONTACT', con, world.tenantId, null],
    ]);
  });

  it('stores an event once however often Xero delivers it', async () => {
    const body = payload([xeroEvent('INVOICE', randomUUID())]);
    for (let i = 0; i < 3; i++) expect((await post(body, hmac(body))).status).toBe(200);
    // A second delivery of the same event, in another payload with other neighbours.
    const again = payload([JSON.parse(body.toString()).events[0], xeroEvent('INVOICE', randomUUID())]);
    expect((await post(again, hmac(again))).status).toBe(200);
    expect(await stored()).toHaveLength(2);
    expect(logged('webhook events stored').map((l) => [l.received, l.stored, l.duplicates])).toEqual([[1, 1, 0], [1, 0, 1], [1, 0, 1], [2, 1, 1]]);
  });

  it('ignores the events of another organisation, logging that once per organisation', async () => {
    const other = randomUUID();
    const mine = randomUUID();
    await deliver([xeroEvent('INVOICE', randomUUID(), { tenantId: other }), xeroEvent('INVOICE', mine)]);
    await deliver([xeroEvent('CONTACT', randomUUID(), { tenantId: other })]);
    expect((await stored()).map((e) => e.RESOURCE_ID)).toEqual([mine]);
    expect(logged('another Xero organisation').map((l) => l.tenantId)).toEqual([other]);
  });

  it('answers 400 with the reason to a signed body that is not a webhook payload, and logs its text', async () => {
    const broken = Buffer.from('{"events": [{"resourceId": "abc"');
    const answer = await post(broken, hmac(broken));
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text).error).toMatch(/^not a Xero webhook payload: the body is not JSON/);
    const [line] = logged('signed webhook refused with 400');
    expect(line).toMatchObject({ level: 'error', body: broken.toString(), bytes: broken.length });
    const noEvents = Buffer.from('{"firstEventSequence":1}');
    expect((await post(noEvents, hmac(noEvents))).status).toBe(400);
    expect(await stored()).toEqual([]);
  });

  it('stores the usable events of a payload and logs the others (unusable ones, categories pulled only by the poll)', async () => {
    const good = randomUUID();
    await deliver([xeroEvent('INVOICE', good), xeroEvent('INVOICE', 'nope'), xeroEvent('CREDITNOTE', randomUUID())]);
    expect((await stored()).map((e) => e.RESOURCE_ID)).toEqual([good]);
    expect(logged('webhook event not stored: unusable')[0]).toMatchObject({ reason: 'resourceId is not a Xero id' });
    expect(logged('categories the daemon does not pull')[0]).toMatchObject({ categories: { CREDITNOTE: 1 } });
  });

  it('answers a delivery of 500 events well within Xero\'s 5 s', async () => {
    const body = payload(ids(500).map((id) => xeroEvent('INVOICE', id)));
    const started = performance.now();
    const answer = await post(body, hmac(body));
    const ms = performance.now() - started;
    console.log(`webhooks: a signed delivery of 500 events (${body.length} bytes) stored and answered in ${ms.toFixed(0)} ms`);
    expect(answer.status).toBe(200);
    expect(await stored()).toHaveLength(500);
  });

  it('stores what the simulator delivers for a change made in Xero', async () => {
    world.sim.configureWebhook(world.tenantId, { url, key: KEY });
    try {
      const res = world.sim.tenantAdmin(world.tenantId, 'contacts', 'POST', { Name: `Hooked ${Date.now()}` });
      expect(res.status).toBe(200);
      const contactId = String((res.body as { Contacts?: Array<{ ContactID: string }>; ContactID?: string }).Contacts?.[0]?.ContactID
        ?? (res.body as { ContactID?: string }).ContactID).toLowerCase();
      const rows = await until(async () => {
        const all = await stored();
        return all.some((e) => e.RESOURCE_ID === contactId) ? all : undefined;
      }, 'the simulator\'s CONTACT event stored');
      expect(rows.find((e) => e.RESOURCE_ID === contactId)).toMatchObject({ EVENT_CATEGORY: 'CONTACT', TENANT_ID: world.tenantId });
      // The simulator records its delivery once our answer has reached it, which can be after the row was stored.
      const delivery = await until(async () => world.sim.webhooks().deliveries.at(-1), 'the delivery recorded');
      expect(delivery).toMatchObject({ ok: true, status: 200 });
    } finally {
      world.sim.configureWebhook(world.tenantId, undefined);
    }
  });
});

/** Handlers that record what they were asked, the way a puller's effect would be observed. */
function recording(fail: Partial<Record<'invoices' | 'contacts', boolean>> = {}) {
  const calls: Record<'invoices' | 'contacts', string[][]> = { invoices: [], contacts: [] };
  const handler = (kind: 'invoices' | 'contacts') => async (batch: string[]) => {
    calls[kind].push(batch);
    if (fail[kind]) throw new Error(`${kind} pull failed: Xero answered 500`);
    return { calls: 1, fetched: batch.length, queued: 0, problems: [] };
  };
  const handlers: WebhookHandlers = { invoices: handler('invoices'), contacts: handler('contacts') };
  return { calls, handlers };
}
const processDeps = () => ({ state: state(), log: world.log, tenantId: () => world.tenantId });

describe('processing: hints become pulls of exactly those ids', () => {
  it('hands 250 invoice events to the invoice puller in 3 calls of ≤ 100 ids, contacts in their own, and marks them processed', async () => {
    const invoices = ids(250);
    const contacts = ids(3);
    await deliver([...invoices.slice(0, 120).map((id) => xeroEvent('INVOICE', id)), ...contacts.map((id) => xeroEvent('CONTACT', id))]);
    await deliver(invoices.slice(120).map((id) => xeroEvent('INVOICE', id)));
    const { calls, handlers } = recording();
    const started = performance.now();
    const summary = await processWebhookEvents(processDeps(), handlers);
    console.log(`webhooks: 253 pending events processed in ${(performance.now() - started).toFixed(0)} ms, ${summary.handlerCalls} puller calls (${calls.invoices.map((b) => b.length).join('+')} invoice ids, ${calls.contacts.map((b) => b.length).join('+')} contact ids)`);
    expect(calls.invoices.map((b) => b.length)).toEqual([100, 100, 50]);
    expect(calls.invoices.flat()).toEqual(invoices); // in the order they arrived
    expect(calls.contacts).toEqual([contacts]);
    expect(summary).toMatchObject({ events: 253, processed: 253, handlerCalls: 4, failures: [] });
    expect(await pending()).toEqual([]);
    const idle = await processWebhookEvents(processDeps(), handlers);
    expect(idle).toMatchObject({ events: 0, handlerCalls: 0 });
  });

  it('asks for an invoice once when several of its events are pending, and marks them all', async () => {
    const [id] = ids(1);
    await deliver(['CREATE', 'UPDATE'].map((eventType, i) => xeroEvent('INVOICE', id!, { eventType, eventDateUtc: `2026-12-04T09:00:0${i}.000` })));
    await deliver([xeroEvent('INVOICE', id!, { eventDateUtc: '2026-12-04T09:00:05.000' })]);
    const { calls, handlers } = recording();
    expect(await processWebhookEvents(processDeps(), handlers)).toMatchObject({ events: 3, processed: 3, handlerCalls: 1 });
    expect(calls.invoices).toEqual([[id]]);
  });

  it('pages through more pending events than one read holds', async () => {
    const invoices = ids(130);
    await deliver(invoices.map((id) => xeroEvent('INVOICE', id)));
    const { calls, handlers } = recording();
    const summary = await processWebhookEvents({ ...processDeps(), pageSize: 50 }, handlers);
    expect(summary).toMatchObject({ events: 130, processed: 130 });
    expect(calls.invoices.map((b) => b.length)).toEqual([50, 50, 30]);
  });

  it('leaves the events of a failing puller pending and reports it, while the other category proceeds; the next run catches up', async () => {
    const invoices = ids(150);
    const contacts = ids(2);
    await deliver([...invoices.map((id) => xeroEvent('INVOICE', id)), ...contacts.map((id) => xeroEvent('CONTACT', id))]);
    const failing = recording({ invoices: true });
    const summary = await processWebhookEvents(processDeps(), failing.handlers);
    // The first batch failed: the second is not tried in this run (Xero just failed us), the contacts are.
    expect(failing.calls.invoices.map((b) => b.length)).toEqual([100]);
    expect(failing.calls.contacts).toEqual([contacts]);
    expect(summary.failures).toHaveLength(1);
    expect(summary.failures[0]).toMatchObject({ category: 'INVOICE', ids: invoices.slice(0, 100) });
    expect(String((summary.failures[0]!.error as Error).message)).toContain('Xero answered 500');
    expect((await pending()).map((e) => e.RESOURCE_ID)).toEqual(invoices);
    expect(logged('webhook events left pending')).toHaveLength(1);

    const working = recording();
    expect(await processWebhookEvents(processDeps(), working.handlers)).toMatchObject({ events: 150, processed: 150, failures: [] });
    expect(working.calls.invoices.flat()).toEqual(invoices);
    expect(working.calls.contacts).toEqual([]);
  });

  it('keeps the events of a category without a puller pending', async () => {
    const [contact] = ids(1);
    await deliver([xeroEvent('CONTACT', contact!)]);
    const { handlers } = recording();
    const summary = await processWebhookEvents(processDeps(), { invoices: handlers.invoices! });
    expect(summary).toMatchObject({ events: 1, processed: 0, waiting: 1 });
    expect((await pending()).map((e) => e.RESOURCE_ID)).toEqual([contact]);
  });

  it('drops events of another organisation stored while our tenant was not known yet, without a pull', async () => {
    tenant = () => null;
    const other = randomUUID();
    const [theirs, mine] = ids(2);
    await deliver([xeroEvent('INVOICE', theirs!, { tenantId: other }), xeroEvent('INVOICE', mine!)]);
    expect(await stored()).toHaveLength(2);
    const { calls, handlers } = recording();
    expect(await processWebhookEvents(processDeps(), handlers)).toMatchObject({ events: 2, processed: 1, ignored: 1 });
    expect(calls.invoices).toEqual([[mine]]);
    expect(await pending()).toEqual([]);
  });
});

describe('processing with the real invoice puller', () => {
  const admin = (path: string, body: unknown = {}) => {
    const res = world.sim.tenantAdmin(world.tenantId, path, 'POST', body);
    if (res.status !== 200) throw new Error(`sim ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  };
  const pullContext = (): PullContext => ({
    db: world.db, state: state(), gateway: world.gateway, settings: DEFAULT_SETTINGS, tenantId: world.tenantId, dryRun: false, log: world.log,
  });
  async function linkedInvoice(name: string): Promise<{ id: number; xeroId: string }> {
    const id = await SMART.create(world, { contactId: payer, lines: [{ name, price: 200, quantity: 1, taxRate: 15 }] });
    await world.pass();
    return { id, xeroId: simInvoicesByKey(world, SMART.key(id))[0]!.ID.toLowerCase() };
  }

  it('a webhook for an invoice approved in Xero queues its Bitrix update through GET Invoices?IDs=', async () => {
    const inv = await linkedInvoice('Webhook approval');
    admin(`invoices/${inv.xeroId}/approve`);
    await deliver([xeroEvent('INVOICE', inv.xeroId)]);
    const before = world.sim.requests().length;
    const summary = await processWebhookEvents(processDeps(), { invoices: (batch) => pullInvoices(pullContext(), { ids: batch }) });
    expect(summary).toMatchObject({ events: 1, processed: 1, failures: [] });
    const gets = world.sim.requests().slice(before).filter((r) => r.method === 'GET' && r.path === '/api.xro/2.0/Invoices');
    expect(gets).toHaveLength(1);
    expect(gets[0]!.query.IDs?.toLowerCase()).toBe(inv.xeroId);
    const rows = await inboxOf(world, 'smart_invoice', inv.id);
    expect(rows.some((r) => JSON.parse(r.PAYLOAD).fields?.UF_CRM_XERO_STATUS === 'AUTHORISED')).toBe(true);
  });

  it('killed with SIGKILL after the pull and before marking: the events are pulled again, and nothing is queued twice', async () => {
    const inv = await linkedInvoice('Webhook kill');
    admin(`invoices/${inv.xeroId}/approve`);
    admin(`invoices/${inv.xeroId}/pay`, { amount: 230 });
    await deliver([xeroEvent('INVOICE', inv.xeroId), xeroEvent('INVOICE', inv.xeroId, { eventDateUtc: '2026-12-04T09:00:01.000' })]);
    const inboxBefore = (await inboxOf(world, 'smart_invoice', inv.id)).length;

    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./support/webhook-kill-child.ts', import.meta.url))], {
      cwd: REPO_ROOT, env: world.env(), stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += String(d); });
    child.stderr.on('data', (d) => { err += String(d); });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, signal) => resolve(signal)));
    try {
      await until(() => out.includes('pulled '), `the child's pull (stderr: ${err})`, 60_000);
    } finally {
      child.kill('SIGKILL');
    }
    expect(await exited).toBe('SIGKILL');
    expect(out.trim()).toBe(`pulled ${inv.xeroId}`);
    const queuedByChild = await inboxOf(world, 'smart_invoice', inv.id);
    expect(queuedByChild.length).toBeGreaterThan(inboxBefore); // the killed process had its effect…
    expect(await pending()).toHaveLength(2); // …but never marked its events

    // The rerun: the same events reach the puller again; the puller compares with what is pending and queues nothing.
    const asked: string[][] = [];
    const summary = await processWebhookEvents(processDeps(), {
      invoices: async (batch) => { asked.push(batch); return pullInvoices(pullContext(), { ids: batch }); },
    });
    expect(asked).toEqual([[inv.xeroId]]);
    expect(summary).toMatchObject({ events: 2, processed: 2, failures: [] });
    expect((summary.results[0] as { queued: number }).queued).toBe(0);
    const after = await inboxOf(world, 'smart_invoice', inv.id);
    expect(after.map((r) => [r.ACTION, r.PAYLOAD])).toEqual(queuedByChild.map((r) => [r.ACTION, r.PAYLOAD]));
    expect(await pending()).toEqual([]);
  });

  it('the daemon\'s webhook job reports what it pulled, and is one query when nothing is pending', async () => {
    const inv = await linkedInvoice('Webhook job');
    admin(`invoices/${inv.xeroId}/approve`);
    await deliver([xeroEvent('INVOICE', inv.xeroId)]);
    const deps = { db: world.db, gateway: world.gateway, connect: () => world.gateway.connect(), log: world.log };
    const start = world.sim.requests().length;
    const report = await runWebhookJob(deps);
    // GET Invoices?IDs= and, the invoice being approved now, its online invoice link.
    const api = world.sim.requests().slice(start).filter((r) => r.path.startsWith('/api.xro/2.0/'));
    expect(api.map((r) => r.path)).toEqual(['/api.xro/2.0/Invoices', `/api.xro/2.0/Invoices/${inv.xeroId}/OnlineInvoice`]);
    expect(report).toMatchObject({ pushed: 0, failed: 0, apiCalls: 2 });
    expect(report!.pulled).toBeGreaterThan(0);
    const before = world.sim.requests().length;
    expect(await runWebhookJob(deps)).toBeNull();
    expect(world.sim.requests().length).toBe(before);
  });
});

describe('processing when Xero is down', () => {
  it('fails the daemon\'s job as Xero trouble (so it backs off like any pass) and leaves the events pending', async () => {
    const [id] = ids(1);
    await deliver([xeroEvent('INVOICE', id!)]);
    const fault = world.sim.addFault({ kind: '503', method: 'GET', path: '/api.xro/2.0/Invoices' });
    const deps = { db: world.db, gateway: world.gateway, connect: () => world.gateway.connect(), log: world.log };
    try {
      const error = await runWebhookJob(deps).then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(WebhookProcessingError);
      expect(failureSource(error)).toBe('xero');
      expect((error as Error).message).toMatch(/^webhook events left pending, their pull failed: INVOICE \(1 ids\)/);
    } finally {
      world.sim.removeFault(fault.id);
    }
    expect((await pending()).map((e) => e.RESOURCE_ID)).toEqual([id]);
    expect(await runWebhookJob(deps)).toMatchObject({ failed: 0 });
    expect(await pending()).toEqual([]);
  });
});

describe('webhook health', () => {
  it('shows the last event, the pending count and the oldest pending age; an event waiting over 5 minutes is a warning', async () => {
    expect(await webhookHealth(state())).toMatchObject({ lastReceivedAt: null, pending: 0, oldestPendingSeconds: null, warning: null });
    await deliver(ids(3).map((id) => xeroEvent('INVOICE', id)));
    const fresh = await webhookHealth(state());
    expect(fresh).toMatchObject({ pending: 3, warning: null });
    expect(fresh.oldestPendingSeconds).toBeLessThan(60);
    expect(fresh.lastReceivedAt).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);

    await sql`UPDATE b_b24xero_webhook_event SET RECEIVED_AT = UTC_TIMESTAMP(3) - INTERVAL 6 MINUTE`.execute(world.db);
    const stale = await webhookHealth(state());
    expect(stale.oldestPendingSeconds).toBeGreaterThanOrEqual(360);
    expect(stale.warning).toMatch(/^3 webhook event\(s\) unprocessed, the oldest for 6 min/);

    const health = new Health();
    health.phase = 'running';
    health.snapshot = await readSnapshot(world.db, 5000, { webhooks: true });
    expect(health.summary()).toMatchObject({ status: 'ok', webhooks: { pending: 3 }, warnings: [stale.warning] });
    expect(health.statusLine()).toContain('webhooks: 3 waiting since 6 min');
    expect((await readSnapshot(world.db, 5000)).webhooks).toBeUndefined();

    const env = { BITRIX_DB_URL: world.t.url, B24X_INSTANCE: world.instance, XERO_WEBHOOK_KEY: KEY, HTTP_LISTEN: '127.0.0.1:9464' };
    const text = await runInProcess(['status'], env);
    expect(text.stdout).toMatch(/^webhooks +on \(safety poll every 5 minutes\), last received \S+ \S+ UTC, 3 unprocessed, the oldest for \d+ s$/m);
    expect(text.stdout).toContain('  WARNING: 3 webhook event(s) unprocessed, the oldest for 6 min');
    const json = JSON.parse((await runInProcess(['status', '--json'], env)).stdout);
    expect(json.webhooks).toMatchObject({ enabled: true, pending: 3, warning: stale.warning });
    expect(json.webhooks.oldestPendingSeconds).toBeGreaterThanOrEqual(360);
    expect(text.stdout + JSON.stringify(json)).not.toContain(KEY);
    const noListener = await runInProcess(['status'], { ...env, HTTP_LISTEN: '' });
    expect(noListener.stdout).toMatch(/^webhooks +off \(XERO_WEBHOOK_KEY is set but HTTP_LISTEN is not; changes in Xero are polled every minute\); 3 unprocessed/m);
  });
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

describe('b24xero run with XERO_WEBHOOK_KEY', () => {
  it('passes intent-to-receive, and an invoice paid in Xero reaches the inbox through the simulator\'s webhook', async () => {
    const id = await SMART.create(world, { contactId: payer, lines: [{ name: 'Paid by webhook', price: 400, quantity: 1, taxRate: 15 }] });
    await world.pass(); // linked before the daemon holds the instance lock
    const xeroId = simInvoicesByKey(world, SMART.key(id))[0]!.ID.toLowerCase();
    world.sim.tenantAdmin(world.tenantId, `invoices/${xeroId}/approve`, 'POST', {});
    const port = await freePort();
    const daemonUrl = `http://127.0.0.1:${port}/webhooks/xero`;
    const run = startCli(['run'], world.env({ LOG_LEVEL: 'info', HTTP_LISTEN: `127.0.0.1:${port}`, XERO_WEBHOOK_KEY: KEY }));
    try {
      await until(async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null))?.status === 200, `/healthz 200 (stderr: ${run.stderr()})`, 60_000);
      // The start's pull has seen the approval; what follows can only come back by the webhook (the poll is 5-minutely now).
      await until(async () => (await inboxOf(world, 'smart_invoice', id)).some((r) => JSON.parse(r.PAYLOAD).fields?.UF_CRM_XERO_STATUS === 'AUTHORISED'), 'the start\'s pull', 60_000);

      const intent = await world.sim.intentToReceive({ url: daemonUrl, key: KEY });
      expect(intent.checks.map((c) => c.status)).toEqual([200, 401, 401, 200]);
      world.sim.configureWebhook(world.tenantId, { url: daemonUrl, key: KEY });
      const before = world.sim.requests().length;
      const paidAt = performance.now();
      world.sim.tenantAdmin(world.tenantId, `invoices/${xeroId}/pay`, 'POST', { amount: 460 });
      await until(async () => (await inboxOf(world, 'smart_invoice', id)).some((r) => r.ACTION === 'set_stage'), 'the paid stage in the inbox', 30_000);
      const ms = performance.now() - paidAt;
      const delivery = world.sim.webhooks().deliveries.at(-1)!;
      console.log(`webhooks: invoice paid in Xero → set_stage in the inbox after ${ms.toFixed(0)} ms (wall clock) through b24xero run; delivery answered ${delivery.status}`);
      expect(delivery).toMatchObject({ ok: true, status: 200 });
      const byId = world.sim.requests().slice(before).filter((r) => r.method === 'GET' && r.path === '/api.xro/2.0/Invoices' && r.query.IDs);
      expect(byId.map((r) => r.query.IDs!.toLowerCase())).toContain(xeroId);
      await until(async () => (await pending()).length === 0 ? true : undefined, 'no pending webhook events');
      const health = await (await fetch(`http://127.0.0.1:${port}/healthz`)).json() as { webhooks?: { pending: number; lastReceivedAt: string | null } };
      expect(health.webhooks).toMatchObject({ pending: expect.any(Number) });

      run.child.kill('SIGTERM');
      expect((await run.exited).code).toBe(0);
      const lines = run.stdout().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      const ready = lines.find((l) => l.message === 'daemon ready') as { jobs: string[]; schedules: Record<string, string> } | undefined;
      expect(ready?.jobs).toContain('webhooks');
      expect(ready?.schedules).toMatchObject({ pull: '30 */5 * * * *', webhooks: '*/2 * * * * *' });
      expect(lines.some((l) => l.message === 'webhook events processed')).toBe(true);
      expect(run.stdout()).not.toContain(KEY);
    } finally {
      world.sim.configureWebhook(world.tenantId, undefined);
      run.child.kill('SIGKILL');
    }
  });
});
