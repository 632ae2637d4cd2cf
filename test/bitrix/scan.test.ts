import { createConnection } from 'mysql2/promise';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  decodeScanPosition, encodeScanPosition, scanChanged, scanCursorName, type ScanKind, type ScanOptions, type ScanPage,
  type ScanPosition,
} from '../../daemon/src/bitrix/scan.ts';
import { getCursor, setCursor } from '../../daemon/src/state/cursors.ts';
import { createBitrixSchema, type FixtureInfo } from '../fixture/bitrix-schema.ts';
import { withBitrixSession } from '../fixture/bitrix-session.ts';
import { buildContact } from '../fixture/builders/contact.ts';
import { buildSmartInvoice } from '../fixture/builders/smart-invoice.ts';
import { createTestDb, type TestDb } from '../helpers/test-db.ts';
import { applyModuleSchema } from './module-schema.ts';

let t: TestDb;
let portal: FixtureInfo;

beforeAll(async () => {
  t = await createTestDb('scan');
  portal = await createBitrixSchema(t.db, { crm: '25' });
  await applyModuleSchema(t.db);
});
afterAll(async () => {
  await t?.drop();
});
beforeEach(async () => {
  await sql`DELETE FROM b_crm_dynamic_items_31`.execute(t.db);
  await sql`DELETE FROM b_crm_contact`.execute(t.db);
});

/** A smart invoice last saved at `updatedTime` (default: now, in the server's terms). */
async function invoiceAt(updatedTime?: string): Promise<number> {
  return (await buildSmartInvoice(t.db, portal, updatedTime ? { updatedTime } : {})).id;
}

/** A whole pass: every page's ids, and the cursor the last page says to store. */
async function pass(kind: ScanKind, cursor: ScanPosition | null, options: ScanOptions = {}) {
  const pages: ScanPage[] = [];
  for await (const page of scanChanged(t.db, kind, cursor, options)) pages.push(page);
  return { pages, ids: pages.flatMap((p) => p.ids), cursor: pages.length ? pages[pages.length - 1]!.cursor : cursor };
}

const T = '2025-03-01 10:00:05';

describe('safety scan', () => {
  it('pages through rows that share one second without losing or repeating any', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 23; i++) ids.push(await invoiceAt(T));
    const earlier = await invoiceAt('2025-03-01 09:00:00');
    const { pages, ids: seen, cursor } = await pass('smart_invoice', null, { limit: 5 });
    expect(seen).toEqual([earlier, ...ids]);
    expect(pages.every((p) => p.ids.length <= 5)).toBe(true);
    expect(cursor).toEqual({ time: T, id: ids[ids.length - 1] });
  });

  it('finds a row saved in the cursor\'s own second after the pass, thanks to the overlap (and misses it without)', async () => {
    const a = await invoiceAt(T);
    const b = await invoiceAt(T);
    // One row per page: a and b sit on either side of a page boundary.
    const first = await pass('smart_invoice', null, { limit: 1 });
    expect(first.pages.map((p) => p.ids)).toEqual([[a], [b]]);
    expect(first.cursor).toEqual({ time: T, id: b });
    // Saved again within the same second: its time does not move past the cursor.
    await t.db.updateTable('b_crm_dynamic_items_31').set({ TITLE: 'changed' }).where('ID', '=', a).execute();

    expect((await pass('smart_invoice', first.cursor, { overlapSeconds: 0 })).ids).not.toContain(a);
    expect((await pass('smart_invoice', first.cursor, { overlapSeconds: 60 })).ids).toContain(a);
  });

  it('catches a transaction that stamped its row before the cursor but committed after the scan', async () => {
    const late = await invoiceAt('2025-02-01 08:00:00');
    const writer = await createConnection({ uri: t.url });
    try {
      await writer.query('START TRANSACTION');
      // The writer stamps its row at 10:00:03 and is still busy when the scan runs.
      await writer.query("UPDATE b_crm_dynamic_items_31 SET TITLE = 'late', UPDATED_TIME = '2025-03-01 10:00:03' WHERE ID = ?", [late]);
      const other = await invoiceAt(T);
      const first = await pass('smart_invoice', { time: '2025-03-01 10:00:00', id: 0 }, { overlapSeconds: 0 });
      expect(first.ids).toEqual([other]);
      expect(first.cursor).toEqual({ time: T, id: other });
      await writer.query('COMMIT');

      expect((await pass('smart_invoice', first.cursor, { overlapSeconds: 0 })).ids).not.toContain(late);
      expect((await pass('smart_invoice', first.cursor, { overlapSeconds: 30 })).ids).toContain(late);
    } finally {
      await writer.end();
    }
  });

  it('finds rows with a zero or NULL time on every pass, before the dated ones', async () => {
    const dated = await invoiceAt(T);
    const zero = await withBitrixSession(t.db, async (conn) => {
      const id = (await buildSmartInvoice(conn, portal, { updatedTime: T })).id;
      await sql`UPDATE b_crm_dynamic_items_31 SET UPDATED_TIME = '0000-00-00 00:00:00' WHERE ID = ${id}`.execute(conn);
      return id;
    });
    const first = await pass('smart_invoice', null, { limit: 1 });
    expect(first.pages.map((p) => [p.phase, p.ids])).toEqual([['undated', [zero]], ['dated', [dated]]]);
    expect(first.pages[0]!.rows[0]!.time).toBeNull();
    // The undated page never moves the cursor.
    expect(first.pages[0]!.cursor).toBeNull();
    const again = await pass('smart_invoice', first.cursor);
    expect(again.ids).toContain(zero);

    const nullContact = (await buildContact(t.db, {})).contactId;
    await sql`UPDATE b_crm_contact SET DATE_MODIFY = NULL WHERE ID = ${nullContact}`.execute(t.db);
    const datedContact = (await buildContact(t.db, { dateModify: T })).contactId;
    const contacts = await pass('contact', { time: '2025-03-01 00:00:00', id: 0 });
    expect(contacts.pages.map((p) => [p.phase, p.ids])).toEqual([['undated', [nullContact]], ['dated', [datedContact]]]);
  });

  it('pages on past a partial-zero date, which sorts among real times but reads as no time', async () => {
    const before = await invoiceAt('2023-12-31 23:00:00');
    const odd = await withBitrixSession(t.db, async (conn) => {
      const id = (await buildSmartInvoice(conn, portal, { updatedTime: T })).id;
      await sql`UPDATE b_crm_dynamic_items_31 SET UPDATED_TIME = '2024-00-10 10:00:00' WHERE ID = ${id}`.execute(conn);
      return id;
    });
    const after = await invoiceAt('2024-01-01 00:00:01');
    const { pages, ids } = await pass('smart_invoice', null, { limit: 1 });
    expect(ids).toEqual([before, odd, after]);
    expect(pages[1]!.rows).toEqual([{ id: odd, time: null }]);
    expect(pages[1]!.cursor).toEqual({ time: '2024-00-10 10:00:00', id: odd });
  });

  it('resumes after a crash from the cursor stored for the last processed page', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 6; i++) ids.push(await invoiceAt(`2025-03-01 10:00:0${i}`));
    const name = scanCursorName('smart_invoice');
    // First run: processes one page, stores its cursor, then dies.
    for await (const page of scanChanged(t.db, 'smart_invoice', null, { limit: 2 })) {
      await setCursor(t.db, name, encodeScanPosition(page.cursor!));
      break;
    }
    const stored = decodeScanPosition(await getCursor(t.db, name));
    expect(stored).toEqual({ time: '2025-03-01 10:00:01', id: ids[1] });
    // Exactly the unprocessed rows without an overlap; with one, the recent processed rows are read again too.
    expect((await pass('smart_invoice', stored, { overlapSeconds: 0 })).ids).toEqual(ids.slice(2));
    expect((await pass('smart_invoice', stored, { overlapSeconds: 60 })).ids).toEqual(ids);
  });

  it('never moves the cursor backwards when the overlap re-reads older rows', async () => {
    const older = await invoiceAt('2025-03-01 10:00:00');
    const stored = { time: '2025-03-01 10:00:30', id: 999999 };
    const { pages } = await pass('smart_invoice', stored, { overlapSeconds: 60 });
    expect(pages.flatMap((p) => p.ids)).toEqual([older]);
    expect(pages[0]!.cursor).toEqual(stored);
  });

  it('does not let a row dated in the future carry the cursor past now', async () => {
    const future = await invoiceAt('2099-01-01 00:00:00');
    const { ids, cursor } = await pass('smart_invoice', null);
    expect(ids).toEqual([future]);
    expect(cursor!.time < '2099-01-01 00:00:00').toBe(true);
    // ...so it is simply read again next time, and later changes are not hidden behind it.
    const later = await invoiceAt();
    expect((await pass('smart_invoice', cursor)).ids).toEqual(expect.arrayContaining([later, future]));
  });

  it('takes "now" in BITRIX_TIMEZONE when it is given, so a portal ahead of the database server is not held back', async () => {
    // Two hours after UTC: in the future for a portal on UTC, already past for one in Auckland (UTC+12/13).
    const { rows } = await sql<{ later: string }>`SELECT DATE_FORMAT(UTC_TIMESTAMP() + INTERVAL 2 HOUR, '%Y-%m-%d %H:%i:%s') AS later`.execute(t.db);
    const later = rows[0]!.later;
    const id = await invoiceAt(later);
    expect((await pass('smart_invoice', null, { timeZone: 'UTC' })).cursor!.time < later).toBe(true);
    expect((await pass('smart_invoice', null, { timeZone: 'Pacific/Auckland' })).cursor).toEqual({ time: later, id });
  });

  it('scans legacy invoices, contacts and companies by their own modification columns', async () => {
    const contact = (await buildContact(t.db, { dateModify: T })).contactId;
    expect((await pass('contact', { time: '2025-03-01 10:00:00', id: 0 }, { overlapSeconds: 0 })).ids).toEqual([contact]);
    expect((await pass('contact', { time: T, id: contact }, { overlapSeconds: 0 })).ids).toEqual([]);
    expect((await pass('company', null)).ids).toEqual([]);
    expect((await pass('legacy_invoice', null)).ids).toEqual([]);
  });

  it('refuses a malformed stored cursor with a clear message', () => {
    expect(() => decodeScanPosition('2025-03-01T10:00:00Z')).toThrow(/YYYY-MM-DD HH:MM:SS\|ID/);
    expect(decodeScanPosition('')).toBeNull();
    expect(decodeScanPosition(encodeScanPosition({ time: T, id: 7 }))).toEqual({ time: T, id: 7 });
  });
});
