import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeScanPosition, encodeScanPosition, scanChanged, scanCursorName, type ScanPage } from '../../daemon/src/bitrix/scan.ts';
import { readSmartInvoices } from '../../daemon/src/bitrix/smart-invoices.ts';
import { getCursor, setCursor } from '../../daemon/src/state/cursors.ts';
import { createBitrixSchema, type FixtureInfo } from '../fixture/bitrix-schema.ts';
import { buildSmartInvoice } from '../fixture/builders/smart-invoice.ts';
import { createTestDb, type TestDb } from '../helpers/test-db.ts';
import { applyModuleSchema } from './module-schema.ts';

/**
 * The daemon runs in whatever zone its machine has, which need not be Bitrix's. A naive Bitrix time taken through a
 * JS Date in such a zone shifts, or — inside a DST gap of that zone — moves to another hour. This file runs the
 * daemon side in New York, whose 2025-03-09 02:00-03:00 never happened, and stores rows at exactly such times:
 * cursors and invoice times must come back as stored.
 */
const GAP = '2025-03-09 02:30:00';
const GAP_DATE = '2025-03-09';
let previousTz: string | undefined;
let t: TestDb;
let portal: FixtureInfo;

beforeAll(async () => {
  previousTz = process.env.TZ;
  process.env.TZ = 'America/New_York';
  t = await createTestDb('cursor_zone');
  portal = await createBitrixSchema(t.db, { crm: '25' });
  await applyModuleSchema(t.db);
});
afterAll(async () => {
  await t?.drop();
  if (previousTz === undefined) delete process.env.TZ;
  else process.env.TZ = previousTz;
});

describe('cursors and times in a daemon running in another zone', () => {
  it('runs this file in a zone where the stored wall-clock time does not exist', () => {
    // A JS Date built from these wall-clock fields in this process's zone lands an hour later.
    expect(new Date(2025, 2, 9, 2, 30, 0).getHours()).toBe(3);
  });

  it('keeps the scan cursor in the database\'s own terms, through the cursor table and back', async () => {
    const id = (await buildSmartInvoice(t.db, portal, { updatedTime: GAP })).id;
    const pages: ScanPage[] = [];
    for await (const page of scanChanged(t.db, 'smart_invoice', null, { overlapSeconds: 0 })) pages.push(page);
    expect(pages.flatMap((p) => p.rows)).toEqual([{ id, time: GAP }]);
    const cursor = pages[pages.length - 1]!.cursor!;
    expect(cursor).toEqual({ time: GAP, id });

    await setCursor(t.db, scanCursorName('smart_invoice'), encodeScanPosition(cursor));
    const stored = decodeScanPosition(await getCursor(t.db, scanCursorName('smart_invoice')));
    expect(stored).toEqual({ time: GAP, id });
    const again: number[] = [];
    for await (const page of scanChanged(t.db, 'smart_invoice', stored, { overlapSeconds: 0 })) again.push(...page.ids);
    expect(again).toEqual([]);
  });

  it('reads invoice dates and times exactly as Bitrix stored them', async () => {
    const id = (await buildSmartInvoice(t.db, portal, { updatedTime: GAP, beginDate: GAP_DATE })).id;
    const { invoices, problems } = await readSmartInvoices(t.db, [id]);
    expect(problems).toEqual([]);
    expect(invoices[0]).toMatchObject({ updatedAt: GAP, issueDate: GAP_DATE });
  });
});
