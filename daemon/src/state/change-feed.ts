import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { sql, type CompiledQuery, type Kysely } from 'kysely';
import { ER_LOCK_DEADLOCK, isMysqlError } from './mysql-errors.ts';
import { CHANGE_ACTIONS, ENTITY_TYPES, type ChangeAction, type EntityType, type StateTables } from './tables.ts';
import { chunk } from '../util/chunk.ts';

/**
 * The change feed (ARCHITECTURE rule 2a): the module's event handlers insert a row into b_b24xero_change per
 * add/update/delete; the daemon claims rows with a lease, syncs the entities, then deletes the rows.
 *
 * Claiming is one conditional UPDATE (… WHERE the row is free or its lease expired ORDER BY ID LIMIT n): InnoDB
 * re-checks the WHERE of a row another claimer has just locked once that claimer commits, so two claimers never take
 * the same row, and a claimer that died simply lets its lease run out — the next claim takes its rows again (no
 * separate reaper needed). Chosen over SELECT … FOR UPDATE SKIP LOCKED because it is one round trip, needs no
 * explicit transaction, and runs on every MySQL/MariaDB the product supports.
 *
 * Lease times are UTC (UTC_TIMESTAMP(3)), like every module-owned time, so a session time zone cannot shorten them.
 * A change written while its entity is being synced is a new row, still free, so it is picked up by a later claim:
 * completing a claim never swallows a newer change. Rows of one entity are collapsed into one work item per claim;
 * two concurrent claims may still each hold rows of the same entity, which costs a second read, not a second effect
 * (the sync is level-triggered and compares content hashes).
 */
type FeedDb = Kysely<Pick<StateTables, 'b_b24xero_change'>>;
type HasFeedTable = Pick<StateTables, 'b_b24xero_change'>;
/** See bitrixDb in bitrix/tables.ts: Kysely's DB parameter is invariant, so accept any database that has the table. */
function narrow<DB extends HasFeedTable>(db: Kysely<DB>): FeedDb {
  return db as unknown as FeedDb;
}

export interface ClaimOptions {
  /** Identifies the claiming process (see newClaimerId), at most 55 characters. */
  claimer: string;
  /** Most rows taken at once. Default 200. */
  limit?: number;
  /** How long the rows stay ours; after that another claimer may take them. Default 300. */
  leaseSeconds?: number;
}

/** One entity to reconcile, however many change rows named it. */
export interface ChangeWorkItem {
  entityType: EntityType;
  entityId: number;
  /** Every claimed row for this entity, ascending; complete them all once the entity is synced. */
  changeIds: number[];
  /** ACTION of the newest row: a delete after updates means the entity is gone. */
  lastAction: ChangeAction;
  /** CREATED_AT of the oldest row (UTC), for lag metrics. */
  firstSeenAt: string;
}

export interface ChangeClaim {
  /**
   * What CLAIMED_BY holds for this claim: options.claimer plus '#' and a random suffix, so every claim is told apart
   * from the same process's earlier ones. Pass it to completeChanges / releaseChanges.
   */
  claimer: string;
  /** Every row id taken, ascending. */
  changeIds: number[];
  items: ChangeWorkItem[];
  /** Rows naming an unknown entity type or action (a handler bug): report, then complete them. */
  invalid: Array<{ id: number; reason: string }>;
}

export const DEFAULT_CLAIM_LIMIT = 200;
export const DEFAULT_LEASE_SECONDS = 300;

/** CLAIMED_BY is VARCHAR(64); a claim appends '#' and 8 hex characters to the claimer. */
const MAX_CLAIMER = 55;

/** `<instance>@<host>:<pid>`, at most 55 characters. */
export function newClaimerId(instance = 'default'): string {
  const suffix = `@${hostname().slice(0, 24)}:${process.pid}`;
  return `${instance.slice(0, Math.max(1, MAX_CLAIMER - suffix.length))}${suffix}`.slice(0, MAX_CLAIMER);
}

function checkClaimer(claimer: string, max = 64): void {
  if (claimer === '' || claimer.length > max) throw new RangeError(`claimer must be 1-${max} characters (got ${JSON.stringify(claimer)})`);
}

/**
 * The claiming statement (exported so tests can EXPLAIN it). It walks the primary key in ID order and stops after
 * `limit` free rows: free rows are the bulk of any backlog and leased ones are at most claimers × limit, so that is
 * cheap. Left to itself the optimizer prefers a range over (CLAIMED_UNTIL, ID) plus a filesort of every free row,
 * which with 200,000 waiting rows took ~0.3-0.5 s per claim and locked the whole backlog (10-20 ms with the hint,
 * measured on MariaDB 10.11). FORCE INDEX on a single-table UPDATE is accepted by MySQL 8.0 and MariaDB alike.
 */
export function claimQuery<DB extends HasFeedTable>(anyDb: Kysely<DB>, claimer: string, limit: number, leaseSeconds: number): CompiledQuery {
  const db = narrow(anyDb);
  return sql`UPDATE b_b24xero_change FORCE INDEX (PRIMARY)
    SET CLAIMED_BY = ${claimer}, CLAIMED_UNTIL = UTC_TIMESTAMP(3) + INTERVAL ${leaseSeconds} SECOND
    WHERE CLAIMED_UNTIL IS NULL OR CLAIMED_UNTIL < UTC_TIMESTAMP(3)
    ORDER BY ID
    LIMIT ${limit}`.compile(db);
}

/**
 * Reads back what a claim took. `CLAIMED_UNTIL > now` restricts it to live leases, a small range of the
 * (CLAIMED_UNTIL, ID) index, instead of scanning the table for CLAIMED_BY (which has no index).
 */
function claimedRowsQuery(db: FeedDb, claimer: string) {
  return db.selectFrom('b_b24xero_change')
    .select(['ID', 'ENTITY_TYPE', 'ENTITY_ID', 'ACTION', 'CREATED_AT'])
    .where('CLAIMED_UNTIL', '>', sql<string>`UTC_TIMESTAMP(3)`)
    .where('CLAIMED_BY', '=', claimer)
    .orderBy('ID');
}

const ER_LOCK_WAIT_TIMEOUT = 1205;

/**
 * Claimers scan the same index in the same order, so deadlocks are rare, but InnoDB may still pick one of two
 * claimers as a victim; the statement is safe to repeat.
 */
async function withDeadlockRetry<T>(fn: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const retryable = isMysqlError(error, ER_LOCK_DEADLOCK) || isMysqlError(error, ER_LOCK_WAIT_TIMEOUT);
      if (attempt >= attempts || !retryable) throw error;
    }
  }
}

/** Groups claimed rows into one work item per entity (pure; the order is that of each entity's first row). */
export function collapseChanges(rows: ReadonlyArray<{ ID: number; ENTITY_TYPE: string; ENTITY_ID: number; ACTION: string; CREATED_AT: string }>): Pick<ChangeClaim, 'items' | 'invalid'> {
  const items = new Map<string, ChangeWorkItem>();
  const invalid: ChangeClaim['invalid'] = [];
  for (const row of [...rows].sort((a, b) => a.ID - b.ID)) {
    if (!(ENTITY_TYPES as readonly string[]).includes(row.ENTITY_TYPE)) {
      invalid.push({ id: row.ID, reason: `unknown ENTITY_TYPE ${JSON.stringify(row.ENTITY_TYPE)}` });
      continue;
    }
    if (!(CHANGE_ACTIONS as readonly string[]).includes(row.ACTION)) {
      invalid.push({ id: row.ID, reason: `unknown ACTION ${JSON.stringify(row.ACTION)}` });
      continue;
    }
    const key = `${row.ENTITY_TYPE}:${row.ENTITY_ID}`;
    const item = items.get(key);
    if (item) {
      item.changeIds.push(row.ID);
      item.lastAction = row.ACTION as ChangeAction;
    } else {
      items.set(key, {
        entityType: row.ENTITY_TYPE as EntityType,
        entityId: row.ENTITY_ID,
        changeIds: [row.ID],
        lastAction: row.ACTION as ChangeAction,
        firstSeenAt: row.CREATED_AT,
      });
    }
  }
  return { items: [...items.values()], invalid };
}

/**
 * Claims up to `limit` free (or lease-expired) change rows, oldest first, for `leaseSeconds`, and returns them
 * collapsed per entity. An idle feed costs one UPDATE that matches nothing.
 */
export async function claimChanges<DB extends HasFeedTable>(anyDb: Kysely<DB>, options: ClaimOptions): Promise<ChangeClaim> {
  const db = narrow(anyDb);
  checkClaimer(options.claimer, MAX_CLAIMER);
  const claimer = `${options.claimer}#${randomBytes(4).toString('hex')}`;
  const limit = options.limit ?? DEFAULT_CLAIM_LIMIT;
  const leaseSeconds = options.leaseSeconds ?? DEFAULT_LEASE_SECONDS;
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer (got ${limit})`);
  if (!Number.isInteger(leaseSeconds) || leaseSeconds < 1) throw new RangeError(`leaseSeconds must be a positive integer (got ${leaseSeconds})`);

  const result = await withDeadlockRetry(() => db.executeQuery(claimQuery(db, claimer, limit, leaseSeconds)));
  if (Number(result.numAffectedRows ?? 0n) === 0) return { claimer, changeIds: [], items: [], invalid: [] };
  const rows = await claimedRowsQuery(db, claimer).execute();
  return { claimer, changeIds: rows.map((r) => r.ID), ...collapseChanges(rows) };
}

/** Ids per statement: keeps each IN list well under max_allowed_packet. */
const CHUNK = 1000;

/**
 * Deletes rows whose entity has been synced. Only rows still claimed by `claimer` go: if our lease ran out and
 * another claimer took a row, it is theirs to finish. Returns how many rows were deleted.
 */
export async function completeChanges<DB extends HasFeedTable>(anyDb: Kysely<DB>, claimer: string, ids: readonly number[]): Promise<number> {
  const db = narrow(anyDb);
  checkClaimer(claimer);
  let deleted = 0;
  for (const batch of chunk(ids, CHUNK)) {
    const result = await withDeadlockRetry(() => db.deleteFrom('b_b24xero_change')
      .where('ID', 'in', batch).where('CLAIMED_BY', '=', claimer).executeTakeFirst());
    deleted += Number(result.numDeletedRows);
  }
  return deleted;
}

/**
 * Gives rows back without completing them (the sync failed and should be retried). With `retryAfterSeconds` the rows
 * stay unclaimable until then — a back-off that needs no extra column. Returns how many rows were released.
 */
export async function releaseChanges<DB extends HasFeedTable>(
  anyDb: Kysely<DB>,
  claimer: string,
  ids: readonly number[],
  options: { retryAfterSeconds?: number } = {},
): Promise<number> {
  const db = narrow(anyDb);
  checkClaimer(claimer);
  const delay = options.retryAfterSeconds ?? 0;
  if (!Number.isInteger(delay) || delay < 0) throw new RangeError(`retryAfterSeconds must be an integer >= 0 (got ${delay})`);
  let released = 0;
  for (const batch of chunk(ids, CHUNK)) {
    const result = await withDeadlockRetry(() => db.updateTable('b_b24xero_change')
      .set({
        CLAIMED_BY: null,
        CLAIMED_UNTIL: delay > 0 ? sql<string>`UTC_TIMESTAMP(3) + INTERVAL ${delay} SECOND` : null,
      })
      .where('ID', 'in', batch).where('CLAIMED_BY', '=', claimer)
      .executeTakeFirst());
    released += Number(result.numUpdatedRows);
  }
  return released;
}

/** Rows waiting (free or lease-expired) and rows under a live lease, for status/metrics. */
export async function changeFeedBacklog<DB extends HasFeedTable>(anyDb: Kysely<DB>): Promise<{ waiting: number; leased: number }> {
  const db = narrow(anyDb);
  const row = await db.selectFrom('b_b24xero_change')
    .select([
      sql<number>`COALESCE(SUM(CLAIMED_UNTIL IS NULL OR CLAIMED_UNTIL < UTC_TIMESTAMP(3)), 0)`.as('waiting'),
      sql<number>`COALESCE(SUM(CLAIMED_UNTIL >= UTC_TIMESTAMP(3)), 0)`.as('leased'),
    ])
    .executeTakeFirstOrThrow();
  return { waiting: Number(row.waiting), leased: Number(row.leased) };
}

/** Whether any row is claimable now (free or lease-expired): the daemon's idle feed tick asks only this (LIMIT 1). */
export async function hasWaitingChanges<DB extends HasFeedTable>(anyDb: Kysely<DB>): Promise<boolean> {
  const db = narrow(anyDb);
  const row = await db.selectFrom('b_b24xero_change').select('ID')
    .where((eb) => eb.or([eb('CLAIMED_UNTIL', 'is', null), eb('CLAIMED_UNTIL', '<', sql<string>`UTC_TIMESTAMP(3)`)]))
    .limit(1).executeTakeFirst();
  return row !== undefined;
}

/**
 * Change-feed lag: seconds since the oldest row still waiting was written (0 when none waits). CREATED_AT is UTC,
 * like every module-table time.
 */
export async function changeFeedLagSeconds<DB extends HasFeedTable>(anyDb: Kysely<DB>): Promise<number> {
  const db = narrow(anyDb);
  const row = await db.selectFrom('b_b24xero_change')
    .select(sql<number>`GREATEST(0, TIMESTAMPDIFF(SECOND, CREATED_AT, UTC_TIMESTAMP(3)))`.as('lag'))
    .where((eb) => eb.or([eb('CLAIMED_UNTIL', 'is', null), eb('CLAIMED_UNTIL', '<', sql<string>`UTC_TIMESTAMP(3)`)]))
    .orderBy('ID').limit(1).executeTakeFirst();
  return row ? Number(row.lag) : 0;
}
