import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCompany } from '../fixture/builders/company.ts';
import { buildContact } from '../fixture/builders/contact.ts';
import { naiveDateTime, shiftNaive } from '../fixture/builders/naive-time.ts';
import { buildSmartInvoice } from '../fixture/builders/smart-invoice.ts';
import { createPushWorld, lastSeq, simInvoicesByKey, type PushWorld } from './support/push-harness.ts';
import { SMART } from './support/invoice-kinds.ts';
import { runCli } from './support/cli-process.ts';

/** What a pass costs when there is nothing to do, measured on the simulator's request log. */
let world: PushWorld;
const ids: number[] = [];

beforeAll(async () => {
  world = await createPushWorld('idle_pass');
  // Invoices edited a few minutes ago: inside the safety scan's 5-minute overlap window for every pass below.
  const minutesAgo = shiftNaive(naiveDateTime(), -180);
  const person = (await buildContact(world.db, { name: 'Grace', lastName: 'Idle', dateModify: minutesAgo })).contactId;
  const company = (await buildCompany(world.db, { title: 'Idle Holdings', contacts: [person], dateModify: minutesAgo })).companyId;
  for (let i = 0; i < 4; i++) {
    const rows = [{ name: `Idle ${i}`, price: 10 + i, taxRate: 15, taxIncluded: false }];
    const spec = i % 2 === 0 ? { contactIds: [person], rows } : { companyId: company, contactIds: [person], rows };
    ids.push((await buildSmartInvoice(world.db, world.info, { ...spec, updatedTime: minutesAgo })).id);
  }
});
afterAll(async () => {
  await world?.close();
});

// Calls made for the tenant, which Xero counts; the access check's unauthenticated probe is answered 401 and is not.
const apiCallsSince = (seq: number) => world.sim.requests({ since: seq }).filter((e) => e.path.startsWith('/api.xro/2.0') && e.tenantId);

describe('an idle pass', () => {
  it('makes no Xero API call when everything the scan re-reads was pushed after its last edit', async () => {
    const first = await runCli(['sync', '--once', '--json'], world.env());
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout).stats.created).toBe(4);

    const since = lastSeq(world);
    const idle = await runCli(['sync', '--once', '--push-only', '--json'], world.env());
    expect(idle.code, idle.stderr).toBe(0);
    const stats = JSON.parse(idle.stdout).stats;
    expect(stats).toMatchObject({ apiCalls: 0, created: 0, updated: 0, unchanged: 4 });
    expect(apiCallsSince(since)).toEqual([]);
  });

  it('with the pull (the default), an idle pass costs one call: GET Invoices If-Modified-Since the pull cursor', async () => {
    // The first pull reads the invoices pushed above and sweeps the transaction feeds once.
    expect((await runCli(['sync', '--once', '--json'], world.env())).code).toBe(0);
    const since = lastSeq(world);
    const idle = await runCli(['sync', '--once', '--json'], world.env());
    expect(idle.code, idle.stderr).toBe(0);
    expect(JSON.parse(idle.stdout).stats).toMatchObject({ apiCalls: 1, created: 0, updated: 0, pulled: 0 });
    const calls = apiCallsSince(since);
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /api.xro/2.0/Invoices']);
    expect(calls[0]!.headers['if-modified-since']).toBeTruthy();
  });

  it('still plans and pushes an invoice edited after its push', async () => {
    await SMART.edit(world, ids[0]!, { lineName: 'Idle 0, edited', dueDate: '2032-01-01' });
    const { code, stdout } = await runCli(['sync', '--once', '--json'], world.env());
    expect(code).toBe(0);
    expect(JSON.parse(stdout).stats.updated).toBe(1);
    expect(simInvoicesByKey(world, SMART.key(ids[0]!))[0]!.LineItems[0]!.Description).toBe('Idle 0, edited');
  });
});
