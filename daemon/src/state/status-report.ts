import { sql } from 'kysely';
import { asStateDb } from './state-db.ts';
import type { RecordErrorRow, StateDb } from './tables.ts';

/**
 * The reads behind `b24xero status` and `retry --all-failed`: open record errors and conflicts (a conflict is the
 * open error of operation 'conflict': an invoice edited in Bitrix after Xero approved it), and webhook health.
 */

export interface OpenProblems {
  errors: RecordErrorRow[];
  conflicts: RecordErrorRow[];
  errorCount: number;
  conflictCount: number;
}

export async function listOpenProblems(db: StateDb, limit: number): Promise<OpenProblems> {
  const open = () => db.selectFrom('b_b24xero_record_error').where('RESOLVED_AT', 'is', null);
  const [errors, conflicts, counts] = await Promise.all([
    open().selectAll().where('OPERATION', '<>', 'conflict').orderBy('FIRST_SEEN_AT').orderBy('ID').limit(limit).execute(),
    open().selectAll().where('OPERATION', '=', 'conflict').orderBy('FIRST_SEEN_AT').orderBy('ID').limit(limit).execute(),
    open().select([
      sql<number>`COALESCE(SUM(OPERATION <> 'conflict'), 0)`.as('errors'),
      sql<number>`COALESCE(SUM(OPERATION = 'conflict'), 0)`.as('conflicts'),
    ]).executeTakeFirstOrThrow(),
  ]);
  return { errors, conflicts, errorCount: Number(counts.errors), conflictCount: Number(counts.conflicts) };
}

export interface WebhookHealth {
  /** When the newest stored event arrived (UTC DATETIME text); a redelivery of a stored event does not count. */
  lastReceivedAt: string | null;
  pending: number;
  /** When the oldest unprocessed event arrived, and how long ago (by the database's clock). */
  oldestPendingAt: string | null;
  oldestPendingSeconds: number | null;
  /** Set when an event waits longer than WEBHOOK_STALE_SECONDS: its puller keeps failing, or the daemon is not running. */
  warning: string | null;
}

/** Processing runs every few seconds; an event still waiting after 5 minutes means something is wrong. */
export const WEBHOOK_STALE_SECONDS = 300;

/** Two index reads: the newest row by primary key, the pending ones by (PROCESSED_AT, ID) — never a table scan. */
export async function webhookHealth(db: StateDb): Promise<WebhookHealth> {
  const [last, pending] = await Promise.all([
    db.selectFrom('b_b24xero_webhook_event').select('RECEIVED_AT').orderBy('ID', 'desc').limit(1).executeTakeFirst(),
    db.selectFrom('b_b24xero_webhook_event').where('PROCESSED_AT', 'is', null)
      .select([
        sql<number>`COUNT(*)`.as('pending'),
        sql<string | null>`MIN(RECEIVED_AT)`.as('oldest'),
        sql<number | null>`TIMESTAMPDIFF(SECOND, MIN(RECEIVED_AT), UTC_TIMESTAMP(3))`.as('age'),
      ])
      .executeTakeFirstOrThrow(),
  ]);
  const count = Number(pending.pending);
  const age = pending.age === null ? null : Math.max(0, Number(pending.age));
  return {
    lastReceivedAt: last?.RECEIVED_AT ?? null,
    pending: count,
    oldestPendingAt: pending.oldest,
    oldestPendingSeconds: age,
    warning: age !== null && age > WEBHOOK_STALE_SECONDS
      ? `${count} webhook event(s) unprocessed, the oldest for ${Math.round(age / 60)} min (is the daemon running? see its log for the failing pull)`
      : null,
  };
}

/** `retry --all-failed`: every open error except conflicts (which a retry cannot settle) is due now. */
export async function retryAllOpenErrors(anyDb: StateDb): Promise<number> {
  const db = asStateDb(anyDb);
  const result = await db.updateTable('b_b24xero_record_error')
    .set({ NEXT_RETRY_AT: sql<string>`UTC_TIMESTAMP(3)` })
    .where('RESOLVED_AT', 'is', null)
    .where('OPERATION', '<>', 'conflict')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function getOpenError(db: StateDb, id: number): Promise<RecordErrorRow | undefined> {
  return db.selectFrom('b_b24xero_record_error').selectAll().where('ID', '=', id).where('RESOLVED_AT', 'is', null).executeTakeFirst();
}
