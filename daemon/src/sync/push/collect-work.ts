import { sql } from 'kysely';
import { claimChanges, type ChangeClaim } from '../../state/change-feed.ts';
import { listCreatingLinks } from '../../state/links.ts';
import { listErrorsDueForRetry } from '../../state/record-errors.ts';
import type { EntityType } from '../../state/tables.ts';
import type { PushContext } from './push-context.ts';

/** Entities to reconcile this pass, by type (ids deduplicated). */
export type WorkSet = Map<EntityType, Set<number>>;

export interface CollectedWork {
  work: WorkSet;
  /** The change-feed claim to complete (or release) once the work is done; null in a dry run. */
  claim: ChangeClaim | null;
}

const LIMIT = 500;

function add(work: WorkSet, type: EntityType, id: number): void {
  let ids = work.get(type);
  if (!ids) work.set(type, (ids = new Set()));
  ids.add(id);
}

/**
 * What the pass must look at besides the safety scan: change-feed rows (claimed with a lease; a dry run only peeks,
 * so it takes nothing from the next real pass), records whose error is due for retry, and links stuck in
 * 'creating' (a create that may have reached Xero before a crash — resolved by find-before-create).
 * `feedOnly`: the change feed alone.
 */
export async function collectWork(ctx: PushContext, claimer: string, options: { feedOnly?: boolean } = {}): Promise<CollectedWork> {
  const work: WorkSet = new Map();
  let claim: ChangeClaim | null = null;
  if (ctx.dryRun) {
    const rows = await ctx.state.selectFrom('b_b24xero_change').select(['ENTITY_TYPE', 'ENTITY_ID'])
      .where((eb) => eb.or([eb('CLAIMED_UNTIL', 'is', null), eb('CLAIMED_UNTIL', '<', sql<string>`UTC_TIMESTAMP(3)`)]))
      .orderBy('ID').limit(LIMIT).execute();
    for (const row of rows) add(work, row.ENTITY_TYPE, row.ENTITY_ID);
  } else {
    claim = await claimChanges(ctx.state, { claimer, limit: LIMIT });
    for (const item of claim.items) add(work, item.entityType, item.entityId);
    for (const bad of claim.invalid) ctx.log.warn('change-feed row ignored', bad);
  }
  // The daemon's frequent feed tick takes only the feed; retries and unfinished creates wait for its push pass.
  if (options.feedOnly) return { work, claim };
  for (const error of await listErrorsDueForRetry(ctx.state, LIMIT)) add(work, error.ENTITY_TYPE, error.ENTITY_ID);
  for (const link of await listCreatingLinks(ctx.state, LIMIT)) add(work, link.ENTITY_TYPE, link.ENTITY_ID);
  return { work, claim };
}
