import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildContact } from '../fixture/builders/contact.ts';
import { setModuleOption } from '../fixture/builders/module-options.ts';
import { buildSmartInvoice } from '../fixture/builders/smart-invoice.ts';
import { getCursor } from '../../daemon/src/state/cursors.ts';
import { createPushWorld, simState, type PushWorld } from './support/push-harness.ts';
import { runCli, startCli, until } from './support/cli-process.ts';

/**
 * `b24xero backfill` is resumable after kill -9 (issue 9 item 5): killed once its first page of 200 is done, the same
 * command resumes after that page and finishes; Xero holds every invoice exactly once.
 */
let world: PushWorld;
const N = 450;
const ids: number[] = [];

beforeAll(async () => {
  world = await createPushWorld('backfill_kill');
  await setModuleOption(world.db, 'start_date', '2026-06-01');
  const payers: number[] = [];
  for (let k = 0; k < 10; k++) payers.push((await buildContact(world.db, { name: `Kill${k}`, lastName: 'Backfill' })).contactId);
  for (let i = 0; i < N; i++) {
    ids.push((await buildSmartInvoice(world.db, world.info, {
      contactIds: [payers[i % 10]!], accountNumber: `KB-${i}`, beginDate: '2024-02-01', createdTime: '2024-02-01 10:00:00', updatedTime: '2024-02-01 10:00:00',
      rows: [{ name: `Killed line ${i}`, price: 5 + i, quantity: 1, taxRate: 0 }],
    })).id);
  }
}, 180_000);
afterAll(async () => {
  await world?.close();
});

const keys = () => simState(world).invoices.filter((i) => i.Kind === 'INVOICE' && i.Reference?.startsWith('B24-SI-')).map((i) => i.Reference!.split(' ')[0]!);

describe('backfill and kill -9', () => {
  it('resumes after the last finished page and creates every invoice exactly once', async () => {
    const run = startCli(['backfill'], world.env());
    await until(() => /\] (2\d\d|3\d\d|4\d\d)\/450 invoices/.test(run.stderr()) || undefined, 'the first page of 200 done', 120_000);
    run.child.kill('SIGKILL');
    expect((await run.exited).signal).toBe('SIGKILL');
    const cursor = Number(await getCursor(world.db, 'backfill:all:smart'));
    expect(cursor).toBeGreaterThanOrEqual(ids[199]!);
    const before = keys();
    expect(new Set(before).size).toBe(before.length);

    const again = await runCli(['backfill'], world.env());
    expect(again.code, again.stderr).toBe(0);
    // The second run counts only what was left after the saved page.
    expect(again.stderr).toMatch(new RegExp(`\\] 0/${ids.filter((id) => id > cursor).length} invoices`));
    const after = keys();
    expect(after.sort()).toEqual(ids.map((id) => `B24-SI-${id}`).sort());
  });
});
