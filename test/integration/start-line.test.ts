import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildContact } from '../fixture/builders/contact.ts';
import { buildLegacyInvoice } from '../fixture/builders/legacy-invoice.ts';
import { setModuleOption } from '../fixture/builders/module-options.ts';
import { naiveDateTime } from '../fixture/builders/naive-time.ts';
import { buildSmartInvoice } from '../fixture/builders/smart-invoice.ts';
import { getCursor } from '../../daemon/src/state/cursors.ts';
import { START_LINE_CURSOR, localDate } from '../../daemon/src/sync/push/start-line.ts';
import { createPushWorld, lastSeq, simInvoicesByKey, type PushWorld } from './support/push-harness.ts';
import { runCli } from './support/cli-process.ts';

/**
 * A portal with years of invoices meets the daemon for the first time: ongoing sync creates in Xero only what
 * changed on or after the start line, and never a closed (paid or declined) invoice as a draft.
 */
let world: PushWorld;
let payer: number;
const row = (name: string) => [{ name, price: 100, quantity: 1, taxRate: 15, taxIncluded: false }];
const smart = (spec: { stage?: string; updated: string; name: string }) =>
  buildSmartInvoice(world.db, world.info, { contactIds: [payer], stage: spec.stage ?? 'N', createdTime: spec.updated, updatedTime: spec.updated, rows: row(spec.name) }).then((b) => b.id);
const legacy = (spec: { statusId?: string; updated: string; name: string }) =>
  buildLegacyInvoice(world.db, { contactId: payer, statusId: spec.statusId ?? 'N', dateInsert: spec.updated, dateUpdate: spec.updated, lines: [{ name: spec.name, price: 100, quantity: 1, vatRate: 15, vatIncluded: false }] }).then((b) => b.id);
const apiWritesSince = (seq: number) => world.sim.requests({ since: seq }).filter((e) => e.path.startsWith('/api.xro/2.0/Invoices') && e.method !== 'GET');

beforeAll(async () => {
  world = await createPushWorld('start_line');
  payer = (await buildContact(world.db, { name: 'Hana', lastName: 'History' })).contactId;
});
afterAll(async () => {
  await world?.close();
});

describe('the start line (option start_date, saved by the installer)', () => {
  const left: string[] = [];
  const current: string[] = [];

  it('creates only invoices changed on or after it, and no closed invoice, for both kinds; the dry run says why', async () => {
    await setModuleOption(world.db, 'start_date', '2026-06-01');
    const s = async (spec: Parameters<typeof smart>[0]) => `B24-SI-${await smart(spec)}`;
    const l = async (spec: Parameters<typeof legacy>[0]) => `B24-I-${await legacy(spec)}`;
    left.push(
      await s({ updated: '2019-03-01 10:00:00', name: 'Open 2019' }),
      await s({ updated: '2026-05-31 23:59:59', name: 'Open the day before' }),
      await s({ stage: 'P', updated: '2019-03-01 10:00:00', name: 'Paid 2019' }),
      await l({ updated: '2021-07-01 09:00:00', name: 'Legacy open 2021' }),
      await l({ statusId: 'P', updated: '2021-07-01 09:00:00', name: 'Legacy paid 2021' }),
      await s({ stage: 'P', updated: '2026-06-02 08:00:00', name: 'Paid after the line' }),
      await s({ stage: 'D', updated: '2026-06-02 08:00:00', name: 'Declined after the line' }),
      await l({ statusId: 'P', updated: '2026-06-02 08:00:00', name: 'Legacy paid after the line' }),
    );
    current.push(
      await s({ updated: '2026-06-01 00:00:00', name: 'Open on the line' }),
      await l({ updated: '2026-07-15 12:00:00', name: 'Legacy open after the line' }),
    );

    const dry = await world.pass({ dryRun: true });
    const reasons = dry.plan.filter((e) => e.action === 'skip').map((e) => e.reason ?? '');
    expect(reasons.filter((r) => r.includes('before the start line 2026-06-01'))).toHaveLength(3);
    // Paid ones are closed; the declined one is skipped as a failure stage before the start line is asked.
    expect(reasons.filter((r) => r.includes('is closed in Bitrix'))).toHaveLength(4);
    expect(dry.plan.filter((e) => e.action === 'create' && e.entity.endsWith('invoice'))).toHaveLength(2);

    const since = lastSeq(world);
    const result = await world.pass();
    expect(result.stats.created).toBe(2);
    for (const key of current) expect(simInvoicesByKey(world, key)).toHaveLength(1);
    for (const key of left) expect(simInvoicesByKey(world, key)).toEqual([]);
    // One batched PUT per kind: nothing of the history was sent.
    expect(apiWritesSince(since)).toHaveLength(2);
  });

  it('keeps syncing an invoice once it is in Xero, even when the line moves past it', async () => {
    await setModuleOption(world.db, 'start_date', '2030-01-01');
    const id = Number(current[0]!.slice('B24-SI-'.length));
    await world.db.updateTable('b_crm_product_row').set({ PRODUCT_NAME: 'Open on the line, edited' }).where('OWNER_TYPE', '=', 'SI').where('OWNER_ID', '=', id).execute();
    await world.db.updateTable('b_crm_dynamic_items_31').set({ UPDATED_TIME: naiveDateTime() }).where('ID', '=', id).execute();
    const result = await world.pass();
    expect(result.stats).toMatchObject({ created: 0, updated: 1, failed: 0 });
    expect(simInvoicesByKey(world, current[0]!)[0]!.LineItems[0]!.Description).toBe('Open on the line, edited');
  });

  it('takes an old invoice edited after the line as current work', async () => {
    await setModuleOption(world.db, 'start_date', '2026-06-01');
    const old = await smart({ updated: '2018-01-01 10:00:00', name: 'Old, edited today' });
    await world.db.updateTable('b_crm_dynamic_items_31').set({ UPDATED_TIME: naiveDateTime() }).where('ID', '=', old).execute();
    const result = await world.pass();
    expect(result.stats.created).toBe(1);
    expect(simInvoicesByKey(world, `B24-SI-${old}`)).toHaveLength(1);
  });

  it('refuses a malformed start_date as a settings problem and keeps the first-run line', async () => {
    await setModuleOption(world.db, 'start_date', '2026-02-30');
    const result = await world.pass();
    expect(result.settingsProblems.map((p) => p.message)).toEqual([expect.stringContaining("must be a date YYYY-MM-DD, got '2026-02-30'")]);
  });
});

describe('the start line without a saved start_date', () => {
  it('is the day the daemon first ran, stored, so history before it stays out', async () => {
    const fresh = await createPushWorld('start_line_first_run');
    try {
      await fresh.db.deleteFrom('b_option').where('NAME', '=', 'start_date').execute();
      const contact = (await buildContact(fresh.db, { name: 'Fay', lastName: 'First' })).contactId;
      const yesterday = await buildSmartInvoice(fresh.db, fresh.info, { contactIds: [contact], updatedTime: '2020-01-01 10:00:00', rows: row('Before the first run') });
      const today = await buildSmartInvoice(fresh.db, fresh.info, { contactIds: [contact], rows: row('Made today') });
      const dry = await runCli(['sync', '--once', '--dry-run', '--json'], fresh.env());
      expect(dry.code, dry.stderr).toBe(0);
      expect(await getCursor(fresh.db, START_LINE_CURSOR)).toBeNull();
      const run = await runCli(['sync', '--once', '--json'], fresh.env());
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout).stats.created).toBe(1);
      expect(await getCursor(fresh.db, START_LINE_CURSOR)).toBe(localDate(new Date(), 'UTC'));
      expect(simInvoicesByKey(fresh, `B24-SI-${today.id}`)).toHaveLength(1);
      expect(simInvoicesByKey(fresh, `B24-SI-${yesterday.id}`)).toEqual([]);
    } finally {
      await fresh.close();
    }
  });
});
