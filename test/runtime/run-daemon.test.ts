import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildContact } from '../fixture/builders/contact.ts';
import { createPushWorld, simInvoicesByKey, type PushWorld } from '../integration/support/push-harness.ts';
import { SMART } from '../integration/support/invoice-kinds.ts';
import { runCli, startCli, until, type CliRun } from '../integration/support/cli-process.ts';
import { listenForNotify, type NotifyListener } from './support/notify-socket.ts';
import { parsePrometheusText } from './support/prom-text.ts';
import { createServer } from 'node:net';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

let world: PushWorld;
let payer: number;

beforeAll(async () => {
  world = await createPushWorld('run_daemon');
  payer = (await buildContact(world.db, { name: 'Aroha', lastName: 'Ngata', emails: ['aroha@example.test'] })).contactId;
});
afterAll(async () => {
  await world?.close();
});

/** `b24xero run` as systemd starts it: Type=notify with a watchdog, JSON lines on stdout. */
function startDaemon(notify: NotifyListener | null, env: Record<string, string> = {}): CliRun {
  return startCli(['run'], world.env({
    LOG_LEVEL: 'info',
    SYNC_SCHEDULE: '* * * * * *',
    ...(notify && { NOTIFY_SOCKET: notify.path, WATCHDOG_USEC: '400000' }),
    ...env,
  }));
}

/** The change-feed row the module's event handler writes for a Bitrix save. */
async function changed(id: number): Promise<void> {
  await sql`INSERT INTO b_b24xero_change (ENTITY_TYPE, ENTITY_ID, ACTION, CREATED_AT) VALUES ('smart_invoice', ${id}, 'update', UTC_TIMESTAMP(3))`.execute(world.db);
}

async function stopped(run: CliRun): Promise<{ code: number | null; ms: number }> {
  const started = Date.now();
  run.child.kill('SIGTERM');
  const { code } = await run.exited;
  return { code, ms: Date.now() - started };
}

describe('b24xero run', () => {
  it('says READY=1, then STATUS= lines a person reads, WATCHDOG=1 keep-alives, and STOPPING=1 on SIGTERM (exit 0)', async () => {
    const notify = listenForNotify();
    const run = startDaemon(notify);
    try {
      await until(() => notify.values('READY').length > 0, 'READY=1');
      await until(() => notify.values('WATCHDOG').length >= 2, 'two WATCHDOG=1 pings');
      const status = await until(() => notify.values('STATUS').find((s) => s.includes('last pass')), 'a STATUS with the last pass');
      expect(status).toMatch(/last pass \d\d:\d\d:\d\d · \d+ pushed · \d+ pulled · \d+ failing · budget \d+\/5000 · lag \d+ s/);
      const { code } = await stopped(run);
      expect(code).toBe(0);
      expect(notify.values('STOPPING')).toEqual(['1']);
      const readyAt = notify.messages.findIndex((m) => m.READY === '1');
      expect(notify.messages.slice(0, readyAt).every((m) => m.WATCHDOG === undefined)).toBe(true);
      const lines = run.stdout().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.some((l) => l.message === 'daemon ready' && l.instance === world.instance)).toBe(true);
    } finally {
      run.child.kill('SIGKILL');
      notify.close();
    }
  });

  it('refuses a second instance of the same portal with exit 3 and a message naming the lock, and so does sync --once', async () => {
    const notify = listenForNotify();
    const first = startDaemon(notify);
    try {
      await until(() => notify.values('READY').length > 0, 'the first daemon READY');
      const second = await runCli(['run'], world.env({ LOG_LEVEL: 'warn' }));
      expect(second.code).toBe(3);
      expect(second.stderr).toContain(`another b24xero process is already running instance '${world.instance}'`);
      expect(second.stderr).toContain('GET_LOCK(');
      const pass = await runCli(['sync', '--once'], world.env());
      expect(pass.code).toBe(3);
      expect((await stopped(first)).code).toBe(0);
    } finally {
      first.child.kill('SIGKILL');
      notify.close();
    }
  });

  it('exits 78 (EX_CONFIG) on a configuration error, naming the variable', async () => {
    const run = await runCli(['run'], world.env({ XERO_MINUTE_LIMIT: 'lots' }));
    expect(run.code).toBe(78);
    expect(run.stderr).toContain('XERO_MINUTE_LIMIT');
  });

  it('SIGTERM in the middle of a batch finishes the call in flight, exits within 30 s, and loses nothing', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 60; i++) ids.push(await SMART.create(world, { contactId: payer, lines: [{ name: `Batch line ${i}`, price: 10 + i }] }));
    // Each PUT /Invoices takes 2 s, so the signal arrives while the first batch of 50 is on the wire.
    world.sim.addFault({ kind: 'latency', method: 'PUT', path: '/api.xro/2.0/Invoices*', ms: 2000 });
    const run = startDaemon(null);
    try {
      await until(() => world.sim.requests().some((r) => r.method === 'PUT' && r.path === '/api.xro/2.0/Invoices'), 'the first PUT /Invoices', 60_000);
      const { code, ms } = await stopped(run);
      expect(code).toBe(0);
      expect(ms).toBeLessThan(30_000);
      const puts = world.sim.requests().filter((r) => r.method === 'PUT' && r.path === '/api.xro/2.0/Invoices');
      expect(puts).toHaveLength(1);
      expect(puts[0]!.status).toBe(200);
      // The batch that was in flight landed and is linked; the rest waits for the next start.
      const synced = await world.db.selectFrom('b_b24xero_link').select('ENTITY_ID')
        .where('ENTITY_TYPE', '=', 'smart_invoice').where('STATE', '=', 'synced').where('ENTITY_ID', 'in', ids).execute();
      expect(synced.length).toBe(50);
    } finally {
      run.child.kill('SIGKILL');
      world.sim.clearFaults();
    }
    expect((await runCli(['sync', '--once'], world.env())).code).toBe(0);
    for (const id of ids) expect(simInvoicesByKey(world, SMART.key(id)), `invoice ${id}`).toHaveLength(1);
  });

  it('serves /healthz (200 while healthy, 503 with the reason otherwise) and /metrics as Prometheus text', async () => {
    const port = await freePort();
    const notify = listenForNotify();
    const run = startDaemon(notify, { HTTP_LISTEN: `127.0.0.1:${port}` });
    const base = `http://127.0.0.1:${port}`;
    try {
      await until(() => notify.values('READY').length > 0, 'READY=1');
      await changed(await SMART.create(world, { contactId: payer, lines: [{ name: 'Metrics line', price: 42 }] }));
      await until(async () => {
        const text = await (await fetch(`${base}/metrics`)).text();
        return text.includes('operation="createInvoices"') && text.includes('b24xero_records_total{direction="pushed"');
      }, 'a counted createInvoices and its pass', 60_000);
      const healthy = await fetch(`${base}/healthz`);
      expect(healthy.status).toBe(200);
      expect(await healthy.json()).toMatchObject({ status: 'ok', phase: 'running' });

      const metrics = await fetch(`${base}/metrics`);
      expect(metrics.headers.get('content-type')).toContain('text/plain');
      const families = parsePrometheusText(await metrics.text());
      for (const [name, type] of Object.entries({
        b24xero_xero_calls_total: 'counter', b24xero_xero_rate_limited_total: 'counter', b24xero_xero_budget_remaining: 'gauge',
        b24xero_pass_duration_seconds: 'histogram', b24xero_records_total: 'counter', b24xero_records_failing: 'gauge',
        b24xero_inbox_pending: 'gauge', b24xero_change_feed_lag_seconds: 'gauge', b24xero_last_success_timestamp_seconds: 'gauge',
      })) expect(families.get(name)?.type, name).toBe(type);
      const calls = families.get("b24xero_xero_calls_total")!.samples;
      expect(calls.some((c) => c.labels.operation === 'createInvoices' && c.labels.status === '200' && c.labels.instance === world.instance)).toBe(true);
      expect(families.get('b24xero_pass_duration_seconds')!.samples.some((s) => s.name.endsWith('_bucket') && s.labels.le === '+Inf')).toBe(true);

      world.sim.addFault({ kind: 'reset', path: '/api.xro/2.0/*' });
      await changed(await SMART.create(world, { contactId: payer, lines: [{ name: 'During an outage', price: 43 }] }));
      const sick = await until(async () => {
        const res = await fetch(`${base}/healthz`);
        return res.status === 503 ? res : undefined;
      }, '/healthz 503', 60_000);
      expect(((await sick.json()) as { reason: string }).reason).toContain('Xero unavailable');
      expect((await fetch(`${base}/webhooks/xero`, { method: 'POST', body: '{}' })).status).toBe(503);
      expect((await stopped(run)).code).toBe(0);
    } finally {
      world.sim.clearFaults();
      run.child.kill('SIGKILL');
      notify.close();
    }
  });

  it('refuses to listen on a non-loopback address unless told explicitly (exit 78)', async () => {
    const run = await runCli(['run'], world.env({ HTTP_LISTEN: `0.0.0.0:${await freePort()}` }));
    expect(run.code).toBe(78);
    expect(run.stderr).toContain('HTTP_ALLOW_REMOTE=true');
  });
});
