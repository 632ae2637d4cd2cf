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
  lastReceivedAt: string | null;
  pending: number;
}

export async function webhookHealth(db: StateDb): Promise<WebhookHealth> {
  const row = await db.selectFrom('b_b24xero_webhook_event')
    .select([sql<string | null>`MAX(RECEIVED_AT)`.as('last'), sql<number>`COALESCE(SUM(PROCESSED_AT IS NULL), 0)`.as('pending')])
    .executeTakeFirstOrThrow();
  return { lastReceivedAt: row.last, pending: Number(row.pending) };
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
