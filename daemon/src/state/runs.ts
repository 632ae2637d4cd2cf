import { hostname } from 'node:os';
import { sql, type Kysely, type Transaction } from 'kysely';
import { truncateUtf8 } from './text-limit.ts';
import { asStateDb } from './state-db.ts';
import type { RunKind, RunRow, RunStatus, StateTables } from './tables.ts';

/** Counters of a pass, stored as JSON in b_b24xero_run.STATS (e.g. created, updated, skipped, failed, apiCalls). */
export type RunStats = Readonly<Record<string, number>>;

/** Identifies this process in b_b24xero_run.OWNER. */
export function currentRunOwner(): string {
  return `${hostname()}:${process.pid}`.slice(0, 128);
}

export interface StartRun {
  instance: string;
  kind: RunKind;
  dryRun?: boolean;
  /** Default: currentRunOwner(). */
  owner?: string;
}

/** Opens a 'running' row and returns its id (the `run` of log lines). */
export async function startRun<DB extends StateTables>(anyDb: Kysely<DB> | Transaction<DB>, run: StartRun): Promise<number> {
  const db = asStateDb(anyDb);
  const result = await db
    .insertInto('b_b24xero_run')
    .values({
      INSTANCE: run.instance,
      KIND: run.kind,
      STATUS: 'running',
      OWNER: run.owner ?? currentRunOwner(),
      DRY_RUN: run.dryRun ? 'Y' : 'N',
      STARTED_AT: sql<string>`UTC_TIMESTAMP(3)`,
      FINISHED_AT: null,
      STATS: null,
      ERROR: null,
    })
    .executeTakeFirstOrThrow();
  return Number(result.insertId);
}

export interface FinishRun {
  status: Extract<RunStatus, 'ok' | 'failed'>;
  stats?: RunStats;
  /** Why the pass as a whole failed (per-record failures go to record errors, not here). */
  error?: string | null;
}

/**
 * Closes a run. Only a 'running' row changes: a run already marked 'interrupted' by a newer process stays so, and
 * the return value (false) tells the caller its row was taken over.
 */
export async function finishRun<DB extends StateTables>(anyDb: Kysely<DB> | Transaction<DB>, runId: number, finish: FinishRun): Promise<boolean> {
  const db = asStateDb(anyDb);
  const result = await db
    .updateTable('b_b24xero_run')
    .set({
      STATUS: finish.status,
      FINISHED_AT: sql<string>`UTC_TIMESTAMP(3)`,
      STATS: finish.stats === undefined ? null : JSON.stringify(finish.stats),
      ERROR: finish.error == null ? null : truncateUtf8(finish.error),
    })
    .where('ID', '=', runId)
    .where('STATUS', '=', 'running')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Marks 'running' rows left by dead processes of this instance as 'interrupted'. Call it right after taking the
 * instance lock (ARCHITECTURE rule 8): while we hold it no other live process of the instance can be running,
 * so every 'running' row not owned by us belongs to a process that died. Returns how many rows changed.
 */
export async function markStaleRunsInterrupted<DB extends StateTables>(anyDb: Kysely<DB> | Transaction<DB>, instance: string, currentOwner: string = currentRunOwner()): Promise<number> {
  const db = asStateDb(anyDb);
  const result = await db
    .updateTable('b_b24xero_run')
    .set({
      STATUS: 'interrupted',
      FINISHED_AT: sql<string>`UTC_TIMESTAMP(3)`,
      ERROR: sql<string>`CONCAT('process ', OWNER, ' ended before the run finished')`,
    })
    .where('INSTANCE', '=', instance)
    .where('STATUS', '=', 'running')
    .where('OWNER', '<>', currentOwner)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export interface RunView extends Omit<RunRow, 'STATS'> {
  stats: RunStats | null;
}

/** Most recent runs first; STATS parsed (a row with unreadable STATS shows stats null rather than failing). */
export async function listRecentRuns<DB extends StateTables>(anyDb: Kysely<DB> | Transaction<DB>, options: { instance?: string; limit?: number } = {}): Promise<RunView[]> {
  const db = asStateDb(anyDb);
  let query = db.selectFrom('b_b24xero_run').selectAll().orderBy('ID', 'desc').limit(options.limit ?? 10);
  if (options.instance !== undefined) query = query.where('INSTANCE', '=', options.instance);
  const rows = await query.execute();
  return rows.map(({ STATS, ...row }) => ({ ...row, stats: parseStats(STATS) }));
}

function parseStats(text: string | null): RunStats | null {
  if (text === null) return null;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as RunStats) : null;
  } catch {
    return null;
  }
}

/**
 * Removes a run that did nothing worth keeping (a pull that found nothing new). Only a 'running' row goes: a
 * finished run is history.
 */
export async function discardRun<DB extends StateTables>(anyDb: Kysely<DB> | Transaction<DB>, runId: number): Promise<boolean> {
  const result = await asStateDb(anyDb).deleteFrom('b_b24xero_run').where('ID', '=', runId).where('STATUS', '=', 'running').executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
