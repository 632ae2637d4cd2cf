import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  countOpenErrors, getRecordError, listErrorsDueForRetry, listOpenErrors, recordError, resolveError, resolveErrorById, retryNow,
} from '../../daemon/src/state/record-errors.ts';
import { retryDelaySeconds } from '../../daemon/src/state/retry-backoff.ts';
import type { StateDb } from '../../daemon/src/state/tables.ts';
import type { TestDb } from '../helpers/test-db.ts';
import { createMigratedDb } from './migrated-db.ts';

/** Seconds between the row's LAST_SEEN_AT and NEXT_RETRY_AT, as the database computes it. */
async function backoffOf(db: StateDb, id: number): Promise<number | null> {
  const { rows } = await sql<{ s: string | number | null }>`SELECT TIMESTAMPDIFF(SECOND, LAST_SEEN_AT, NEXT_RETRY_AT) AS s
    FROM b_b24xero_record_error WHERE ID = ${id}`.execute(db);
  return rows[0]!.s === null ? null : Math.round(Number(rows[0]!.s));
}

describe('retryDelaySeconds', () => {
  it('doubles from one minute per attempt for transient errors, capped at six hours', () => {
    expect([1, 2, 3, 4, 10, 100].map((n) => retryDelaySeconds('retry', n))).toEqual([60, 120, 240, 480, 21600, 21600]);
  });

  it('retries errors that need a person daily and never-retry errors never', () => {
    expect(retryDelaySeconds('needs_person', 1)).toBe(86400);
    expect(retryDelaySeconds('needs_person', 9)).toBe(86400);
    expect(retryDelaySeconds('never', 1)).toBeNull();
  });
});

describe('record errors repository', () => {
  let t: TestDb;
  let db: StateDb;
  beforeAll(async () => { const m = await createMigratedDb('record_errors'); t = m; db = m.state; });
  afterAll(async () => { await t?.drop(); });

  const key = { entityType: 'smart_invoice', entityId: 5, operation: 'push' } as const;

  it('records a first failure with attempt 1 and the class back-off', async () => {
    const row = await recordError(db, { ...key, errorClass: 'retry', code: 'HTTP_503', message: 'Service unavailable', details: { status: 503 }, runId: 3 });
    expect(row).toMatchObject({ ATTEMPTS: 1, CLASS: 'retry', CODE: 'HTTP_503', SEVERITY: 'error', RUN_ID: 3, RESOLVED_AT: null, DETAILS: '{"status":503}' });
    expect(await backoffOf(db, row.ID)).toBe(60);
  });

  it('counts attempts up on a repeat of an open error and backs off further, keeping one row', async () => {
    const first = (await getRecordError(db, key))!;
    const row = await recordError(db, { ...key, errorClass: 'retry', code: 'HTTP_503', message: 'again' });
    expect(row.ID).toBe(first.ID);
    expect(row.ATTEMPTS).toBe(2);
    expect(row.FIRST_SEEN_AT).toBe(first.FIRST_SEEN_AT);
    expect(row.MESSAGE).toBe('again');
    expect(await backoffOf(db, row.ID)).toBe(120);
  });

  it('changes the back-off when the class changes, and stops retrying never-retry errors', async () => {
    const row = await recordError(db, { ...key, errorClass: 'never', code: 'DUPLICATE', message: 'no' });
    expect(row.ATTEMPTS).toBe(3);
    expect(row.NEXT_RETRY_AT).toBeNull();
    const person = await recordError(db, { ...key, errorClass: 'needs_person', code: 'VALIDATION', message: 'Account code 999 is not valid' });
    expect(await backoffOf(db, person.ID)).toBe(86400);
  });

  it('resolves an open error and reopens it from attempt 1 when it fails again', async () => {
    expect(await resolveError(db, key)).toBe(true);
    expect(await resolveError(db, key)).toBe(false);
    const resolved = (await getRecordError(db, key))!;
    expect(resolved.RESOLVED_AT).not.toBeNull();
    expect(resolved.NEXT_RETRY_AT).toBeNull();
    const reopened = await recordError(db, { ...key, errorClass: 'retry', code: 'HTTP_502', message: 'bad gateway' });
    expect(reopened).toMatchObject({ ID: resolved.ID, ATTEMPTS: 1, RESOLVED_AT: null });
    expect(reopened.FIRST_SEEN_AT >= resolved.FIRST_SEEN_AT).toBe(true);
  });

  it('lists open errors and counts them by severity, leaving resolved ones out', async () => {
    await recordError(db, { entityType: 'contact', entityId: 8, operation: 'push', errorClass: 'needs_person', code: 'VALIDATION', message: 'x' });
    await recordError(db, { entityType: 'contact', entityId: 9, operation: 'rounding', errorClass: 'never', code: 'ROUNDING', message: 'y', severity: 'warning' });
    const gone = await recordError(db, { entityType: 'company', entityId: 1, operation: 'push', errorClass: 'retry', code: 'HTTP_500', message: 'z' });
    await resolveErrorById(db, gone.ID);
    expect(await countOpenErrors(db)).toEqual({ error: 2, warning: 1 });
    expect((await listOpenErrors(db, { entityType: 'contact' })).map((e) => e.ENTITY_ID).sort()).toEqual([8, 9]);
    expect((await listOpenErrors(db, { severity: 'warning' })).map((e) => e.ENTITY_ID)).toEqual([9]);
  });

  it('lists as due only open errors whose retry time has passed, and retryNow makes one due', async () => {
    expect(await listErrorsDueForRetry(db)).toEqual([]);
    const open = (await getRecordError(db, key))!;
    await sql`UPDATE b_b24xero_record_error SET NEXT_RETRY_AT = UTC_TIMESTAMP(3) - INTERVAL 1 SECOND WHERE ID = ${open.ID}`.execute(db);
    expect((await listErrorsDueForRetry(db)).map((e) => e.ID)).toEqual([open.ID]);
    const never = (await getRecordError(db, { entityType: 'contact', entityId: 9, operation: 'rounding' }))!;
    expect(await retryNow(db, [never.ID])).toBe(1);
    expect((await listErrorsDueForRetry(db)).map((e) => e.ID).sort()).toEqual([open.ID, never.ID].sort());
  });

  it('keeps a very long message, shortened, instead of failing to record it', async () => {
    const row = await recordError(db, { entityType: 'product', entityId: 1, operation: 'push', errorClass: 'never', code: 'BIG', message: 'é'.repeat(70_000) });
    expect(Buffer.byteLength(row.MESSAGE)).toBeLessThanOrEqual(65_000);
    expect(row.MESSAGE.endsWith('é…')).toBe(true);
  });
});
