import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildContact } from '../fixture/builders/contact.ts';
import { apiWrites, createPushWorld, lastSeq, simInvoicesByKey, type PushWorld } from './support/push-harness.ts';
import { SMART, LEGACY } from './support/invoice-kinds.ts';
import { runCli, startCli } from './support/cli-process.ts';
import { lockName } from '../../daemon/src/sync/push/instance-lock.ts';

let world: PushWorld;
let payer: number;

beforeAll(async () => {
  world = await createPushWorld('sync_command');
  payer = (await buildContact(world.db, { name: 'Hana', lastName: 'Kereama', emails: ['hana@example.test'] })).contactId;
});
afterAll(async () => {
  await world?.close();
});

describe('b24xero sync --once', () => {
  it('--dry-run --json prints the plan with field-level diffs and calls no write endpoint', async () => {
    const id = await SMART.create(world, { contactId: payer, lines: [{ name: 'Consulting hour', price: 150, quantity: 3 }] });
    const since = lastSeq(world);
    const { code, stdout } = await runCli(['sync', '--once', '--dry-run', '--json'], world.env());
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    expect(summary.dryRun).toBe(true);
    const entry = summary.plan.find((e: { entity: string; id: number }) => e.entity === 'smart_invoice' && e.id === id);
    expect(entry.action).toBe('create');
    expect(entry.changes).toContainEqual({ path: 'lineItems[0].quantity', new: 3 });
    expect(entry.changes).toContainEqual({ path: 'lineItems[0].taxType', new: 'OUTPUT2' });
    expect(apiWrites(world, undefined, since)).toEqual([]);
    expect(simInvoicesByKey(world, SMART.key(id))).toEqual([]);
    const links = await world.db.selectFrom('b_b24xero_link').select('ID').execute();
    expect(links).toEqual([]);
    const cursors = await world.db.selectFrom('b_b24xero_cursor').select('NAME').execute();
    expect(cursors).toEqual([]);
  });

  it('--dry-run shows what an update would change, field by field, without sending it', async () => {
    const id = await LEGACY.create(world, { contactId: payer, lines: [{ name: 'Logo design', price: 1200 }] });
    expect((await runCli(['sync', '--once'], world.env())).code).toBe(0);
    await LEGACY.edit(world, id, { lineName: 'Logo design v2', dueDate: '2031-03-01' });
    const since = lastSeq(world);
    const { code, stdout } = await runCli(['sync', '--once', '--dry-run'], world.env());
    expect(code).toBe(0);
    expect(stdout).toContain(`update    legacy_invoice ${id}`);
    expect(stdout).toContain('lineItems[0].description: "Logo design" → "Logo design v2"');
    expect(stdout).toMatch(/dueDate: "\d{4}-\d{2}-\d{2}" → "2031-03-01"/);
    expect(apiWrites(world, undefined, since)).toEqual([]);
    expect(simInvoicesByKey(world, LEGACY.key(id))[0]!.LineItems[0]!.Description).toBe('Logo design');
  });

  it('exits 0 and reports per-record failures when the pass ran, and records the run with its stats', async () => {
    const bad = await SMART.create(world, { contactId: payer, currency: 'JPY', lines: [{ name: 'Consulting hour', price: 15000 }] });
    const good = await SMART.create(world, { contactId: payer, lines: [{ name: 'Consulting hour', price: 150 }] });
    const { code, stdout } = await runCli(['sync', '--once', '--json'], world.env());
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    expect(summary.stats.failed).toBeGreaterThanOrEqual(1);
    expect(summary.stats.created).toBeGreaterThanOrEqual(1);
    expect(summary.problems).toContainEqual(expect.objectContaining({ entity: 'smart_invoice', id: bad, action: 'error' }));
    expect(simInvoicesByKey(world, SMART.key(good))).toHaveLength(1);
    const run = await world.db.selectFrom('b_b24xero_run').selectAll().where('ID', '=', summary.runId).executeTakeFirstOrThrow();
    expect(run).toMatchObject({ STATUS: 'ok', KIND: 'sync', INSTANCE: world.instance, DRY_RUN: 'N' });
    expect(JSON.parse(run.STATS)).toMatchObject({ created: summary.stats.created, failed: summary.stats.failed, apiCalls: summary.stats.apiCalls });
    expect(summary.stats.apiCalls).toBeGreaterThan(0);
  });

  it('refuses to run while another process holds the instance lock, with a clear message', async () => {
    const lock = lockName(world.t.name, world.instance);
    await world.db.connection().execute(async (conn) => {
      const { rows } = await sql<{ got: number }>`SELECT GET_LOCK(${lock}, 0) AS got`.execute(conn);
      expect(Number(rows[0]!.got)).toBe(1);
      try {
        const { code, stderr } = await runCli(['sync', '--once'], world.env());
        expect(code).toBe(3);
        expect(stderr).toContain(`already syncing instance '${world.instance}'`);
      } finally {
        await sql`SELECT RELEASE_LOCK(${lock})`.execute(conn);
      }
    });
  });

  it('never pushes twice when two sync --once start at the same moment: one runs, the other is turned away or finds nothing to do', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push(await SMART.create(world, { contactId: payer, lines: [{ name: `Race ${i}`, price: 20 + i }] }));
    const runs = [startCli(['sync', '--once'], world.env()), startCli(['sync', '--once'], world.env())];
    const codes = (await Promise.all(runs.map((r) => r.exited))).map((e) => e.code);
    expect(codes.every((c) => c === 0 || c === 3), JSON.stringify(codes)).toBe(true);
    expect(codes).toContain(0);
    for (const id of ids) expect(simInvoicesByKey(world, SMART.key(id))).toHaveLength(1);
  });

  it('exits non-zero without touching anything when it cannot run (no Xero credentials)', async () => {
    const env = world.env();
    delete (env as Record<string, string | undefined>).XERO_CLIENT_SECRET;
    const { code, stderr } = await runCli(['sync', '--once'], env);
    expect(code).toBe(1);
    expect(stderr).toContain('XERO_CLIENT_SECRET is required');
  });

  it('fails the pass as a whole (exit 1, run failed, no per-record errors) when Xero cannot be reached at all', async () => {
    await SMART.create(world, { contactId: payer, lines: [{ name: 'Waiting for Xero', price: 5 }] });
    const errorsBefore = await world.db.selectFrom('b_b24xero_record_error').select('ID').execute();
    const { code, stderr } = await runCli(['sync', '--once'], world.env({ XERO_IDENTITY_URL: 'http://127.0.0.1:9', XERO_HTTP_TIMEOUT_MS: '2000' }));
    expect(code).toBe(1);
    expect(stderr).toMatch(/the pass did not run: cannot reach http:\/\/127\.0\.0\.1:9\/connect\/token .*check XERO_IDENTITY_URL/);
    expect(await world.db.selectFrom('b_b24xero_record_error').select('ID').execute()).toEqual(errorsBefore);
    const last = await world.db.selectFrom('b_b24xero_run').selectAll().orderBy('ID', 'desc').executeTakeFirstOrThrow();
    expect(last.STATUS).toBe('failed');
  });

  it('asks for --once, since the scheduled loop is `b24xero run`', async () => {
    const { code, stderr } = await runCli(['sync'], world.env());
    expect(code).toBe(2);
    expect(stderr).toContain('--once');
  });
});
