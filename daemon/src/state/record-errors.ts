import { sql, type Kysely, type Transaction } from 'kysely';
import { retryDelaySeconds } from './retry-backoff.ts';
import { truncateUtf8 } from './text-limit.ts';
import { asStateDb, toDbUtc } from './state-db.ts';
import type { EntityType, ErrorClass, ErrorSeverity, RecordErrorRow, StateDb, StateTables } from './tables.ts';

export interface RecordErrorKey {
  entityType: EntityType;
  entityId: number;
  /** push | read | apply | rounding | conflict | ... */
  operation: string;
}

export interface RecordErrorInput extends RecordErrorKey {
  errorClass: ErrorClass;
  code: string;
  message: string;
  /** Stored as JSON; redact secrets before passing it. */
  details?: unknown;
  severity?: ErrorSeverity;
  runId?: number | null;
}

/**
 * Records a failure of one record (rule 7). One row per (entity, operation): a repeat of an open error counts
 * ATTEMPTS up and pushes NEXT_RETRY_AT out by the class's back-off; a repeat after it was resolved reopens it
 * from attempt 1. Pass a transaction to make the two statements atomic.
 */
export async function recordError<DB extends StateTables>(anyDb: Kysely<DB> | Transaction<DB>, input: RecordErrorInput): Promise<RecordErrorRow> {
  const db = asStateDb(anyDb);
  const message = truncateUtf8(input.message);
  const details = input.details === undefined ? null : JSON.stringify(input.details);
  const severity = input.severity ?? 'error';
  const runId = input.runId ?? null;
  await db
    .insertInto('b_b24xero_record_error')
    .values({
      ENTITY_TYPE: input.entityType,
      ENTITY_ID: input.entityId,
      OPERATION: input.operation,
      SEVERITY: severity,
      CLASS: input.errorClass,
      CODE: input.code,
      MESSAGE: message,
      DETAILS: details,
      ATTEMPTS: 1,
      FIRST_SEEN_AT: sql<string>`UTC_TIMESTAMP(3)`,
      LAST_SEEN_AT: sql<string>`UTC_TIMESTAMP(3)`,
      NEXT_RETRY_AT: null,
      RESOLVED_AT: null,
      RUN_ID: runId,
    })
    // MySQL applies these left to right, each seeing the ones before: ATTEMPTS and FIRST_SEEN_AT must read the
    // old RESOLVED_AT, so RESOLVED_AT is cleared last.
    .onDuplicateKeyUpdate({
      ATTEMPTS: sql<number>`IF(RESOLVED_AT IS NULL, ATTEMPTS + 1, 1)`,
      FIRST_SEEN_AT: sql<string>`IF(RESOLVED_AT IS NULL, FIRST_SEEN_AT, UTC_TIMESTAMP(3))`,
      LAST_SEEN_AT: sql<string>`UTC_TIMESTAMP(3)`,
      SEVERITY: severity,
      CLASS: input.errorClass,
      CODE: input.code,
      MESSAGE: message,
      DETAILS: details,
      RUN_ID: runId,
      RESOLVED_AT: null,
    })
    .execute();

  const row = (await getRecordError(db, input))!;
  const delay = retryDelaySeconds(input.errorClass, row.ATTEMPTS);
  await db
    .updateTable('b_b24xero_record_error')
    .set({ NEXT_RETRY_AT: delay === null ? null : sql<string>`DATE_ADD(UTC_TIMESTAMP(3), INTERVAL ${delay} SECOND)` })
    .where('ID', '=', row.ID)
    .execute();
  return (await getRecordError(db, input))!;
}

export async function getRecordError<DB extends StateTables>(anyDb: Kysely<DB> | Transaction<DB>, key: RecordErrorKey): Promise<RecordErrorRow | undefined> {
  const db = asStateDb(anyDb);
  return db
    .selectFrom('b_b24xero_record_error')
    .selectAll()
    .where('ENTITY_TYPE', '=', key.entityType)
    .where('ENTITY_ID', '=', key.entityId)
    .where('OPERATION', '=', key.operation)
    .executeTakeFirst();
}

/** The record went through (or a person said so): closes the open error. Returns false if none was open. */
export async function resolveError<DB extends StateTables>(anyDb: Kysely<DB> | Transaction<DB>, key: RecordErrorKey): Promise<boolean> {
  const db = asStateDb(anyDb);
  const result = await db
    .updateTable('b_b24xero_record_error')
    .set({ RESOLVED_AT: sql<string>`UTC_TIMESTAMP(3)`, NEXT_RETRY_AT: null })
    .where('ENTITY_TYPE', '=', key.entityType)
    .where('ENTITY_ID', '=', key.entityId)
    .where('OPERATION', '=', key.operation)
    .where('RESOLVED_AT', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Dashboard "mark resolved" / `b24xero retry --resolve <id>`. */
export async function resolveErrorById<DB extends StateTables>(anyDb: Kysely<DB> | Transaction<DB>, id: number): Promise<boolean> {
  const db = asStateDb(anyDb);
  const result = await db
    .updateTable('b_b24xero_record_error')
    .set({ RESOLVED_AT: sql<string>`UTC_TIMESTAMP(3)`, NEXT_RETRY_AT: null })
    .where('ID', '=', id)
    .where('RESOLVED_AT', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Dashboard "retry" / `b24xero retry`: makes open errors due now, whatever their class. */
export async function retryNow<DB extends StateTables>(anyDb: Kysely<DB> | Transaction<DB>, ids: readonly number[]): Promise<number> {
  const db = asStateDb(anyDb);
  if (ids.length === 0) return 0;
  const result = await db
    .updateTable('b_b24xero_record_error')
    .set({ NEXT_RETRY_AT: sql<string>`UTC_TIMESTAMP(3)` })
    .where('ID', 'in', ids)
    .where('RESOLVED_AT', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export interface ListOpenErrors {
  entityType?: EntityType;
  severity?: ErrorSeverity;
  limit?: number;
  offset?: number;
}

/** Open errors, most recently seen first. */
export async function listOpenErrors<DB extends StateTables>(anyDb: Kysely<DB> | Transaction<DB>, options: ListOpenErrors = {}): Promise<RecordErrorRow[]> {
  const db = asStateDb(anyDb);
  let query = db
    .selectFrom('b_b24xero_record_error')
    .selectAll()
    .where('RESOLVED_AT', 'is', null)
    .orderBy('LAST_SEEN_AT', 'desc')
    .orderBy('ID', 'desc')
    .limit(options.limit ?? 50)
    .offset(options.offset ?? 0);
  if (options.entityType !== undefined) query = query.where('ENTITY_TYPE', '=', options.entityType);
  if (options.severity !== undefined) query = query.where('SEVERITY', '=', options.severity);
  return query.execute();
}

export async function countOpenErrors(db: StateDb): Promise<{ error: number; warning: number }> {
  const rows = await db
    .selectFrom('b_b24xero_record_error')
    .select(['SEVERITY', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('RESOLVED_AT', 'is', null)
    .groupBy('SEVERITY')
    .execute();
  const counts = { error: 0, warning: 0 };
  for (const row of rows) counts[row.SEVERITY] = Number(row.n);
  return counts;
}

/** Open errors whose back-off has passed, oldest due first: what the next pass should try again. */
export async function listErrorsDueForRetry<DB extends StateTables>(anyDb: Kysely<DB> | Transaction<DB>, limit = 100): Promise<RecordErrorRow[]> {
  const db = asStateDb(anyDb);
  return db
    .selectFrom('b_b24xero_record_error')
    .selectAll()
    .where('RESOLVED_AT', 'is', null)
    .where('NEXT_RETRY_AT', 'is not', null)
    .where('NEXT_RETRY_AT', '<=', sql<string>`UTC_TIMESTAMP(3)`)
    .orderBy('NEXT_RETRY_AT')
    .orderBy('ID')
    .limit(limit)
    .execute();
}

/**
 * After an outage (database or Xero unreachable) the transient errors it left are made due at once, instead of
 * each waiting out its back-off: the records failed for a reason that is gone. Returns how many.
 */
export async function retryTransientErrorsSince<DB extends StateTables>(anyDb: Kysely<DB> | Transaction<DB>, since: Date): Promise<number> {
  const db = asStateDb(anyDb);
  const result = await db
    .updateTable('b_b24xero_record_error')
    .set({ NEXT_RETRY_AT: sql<string>`UTC_TIMESTAMP(3)` })
    .where('RESOLVED_AT', 'is', null)
    .where('CLASS', '=', 'retry')
    .where('LAST_SEEN_AT', '>=', toDbUtc(since))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
