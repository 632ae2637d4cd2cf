import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildContact } from '../fixture/builders/contact.ts';
import { setModuleOption } from '../fixture/builders/module-options.ts';
import { buildSmartInvoice } from '../fixture/builders/smart-invoice.ts';
import { createPushWorld, simState, type PushWorld } from './support/push-harness.ts';
import { runCli } from './support/cli-process.ts';

/**
 * `b24xero backfill` meets the daily budget (issue 9 item 5): it stops part-way with exit 75 and the reset time,
 * keeps what it did, and the same command run again finishes the job — every invoice in Xero exactly once.
 */
let world: PushWorld;
const N = 120;
const ids: number[] = [];

beforeAll(async () => {
  world = await createPushWorld('backfill_budget');
  await setModuleOption(world.db, 'start_date', '2026-06-01');
  const payers: number[] = [];
  for (let k = 0; k < 20; k++) payers.push((await buildContact(world.db, { name: `Budget${k}`, lastName: 'Payer' })).contactId);
  for (let i = 0; i < N; i++) {
    ids.push((await buildSmartInvoice(world.db, world.info, {
      contactIds: [payers[i % 20]!], accountNumber: `BF-${i}`, beginDate: '2024-05-01', createdTime: '2024-05-01 10:00:00', updatedTime: '2024-05-01 10:00:00',
      rows: [{ name: `Budget line ${i}`, price: 10 + i, quantity: 1, taxRate: 0 }],
    })).id);
  }
}, 120_000);
afterAll(async () => {
  await world?.close();
});

const today = () => new Date().toISOString().slice(0, 10);
const xeroKeys = () => simState(world).invoices.filter((i) => i.Kind === 'INVOICE' && i.Reference?.startsWith('B24-SI-')).map((i) => i.Reference!.split(' ')[0]!);

describe('backfill and the daily budget', () => {
  it('stops with exit 75 and the reset time when the budget runs out, keeping what it did', async () => {
    // Earlier today the portal spent all but 10 of its 5,000 calls.
    await world.db.insertInto('b_b24xero_governor').values({ TENANT_ID: world.tenantId, DAY_UTC: today(), DAY_USED: 4990, DAY_REMAINING: null, MIN_REMAINING: null, BLOCKED_UNTIL: null, UPDATED_AT: new Date().toISOString().slice(0, 23).replace('T', ' ') }).execute();
    const run = await runCli(['backfill'], world.env());
    expect(run.code, run.stderr).toBe(75);
    expect(run.stderr).toMatch(/b24xero backfill: stopped: .*daily Xero call budget .* is spent.*run the same command again after \d{4}-\d{2}-\d{2}T/);
    const made = xeroKeys();
    expect(made.length).toBeGreaterThan(0);
    expect(made.length).toBeLessThan(N);
    expect(new Set(made).size).toBe(made.length);
  });

  it('run again after the reset, it finishes: every invoice in Xero exactly once, then nothing left to do', async () => {
    await world.db.deleteFrom('b_b24xero_governor').where('TENANT_ID', '=', world.tenantId).execute();
    const run = await runCli(['backfill', '--json'], world.env());
    expect(run.code, run.stderr).toBe(0);
    const keys = xeroKeys();
    expect(keys.sort()).toEqual(ids.map((id) => `B24-SI-${id}`).sort());
    const again = await runCli(['backfill'], world.env());
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('already finished: nothing to do');
    expect(xeroKeys()).toHaveLength(N);
  });
});
