import type { Kysely } from 'kysely';
import { changeFeedLagSeconds } from '../state/change-feed.ts';
import { budgetUsedToday } from '../state/governor-budget.ts';
import { countPendingInbox } from '../state/inbox.ts';
import { countLinks } from '../state/links.ts';
import { countOpenErrors } from '../state/record-errors.ts';
import { webhookHealth } from '../state/status-report.ts';
import type { StateDb } from '../state/tables.ts';
import type { Snapshot } from './health.ts';

/** The counts STATUS=, /healthz and /metrics show, read from the module tables (a handful of cheap queries). */
export async function readSnapshot(db: Kysely<any>, budgetCap: number, options: { webhooks?: boolean } = {}): Promise<Snapshot> {
  const state = db as StateDb;
  const [errors, links, pendingInbox, lagSeconds, budget, webhooks] = await Promise.all([
    countOpenErrors(state), countLinks(state), countPendingInbox(state), changeFeedLagSeconds(state), budgetUsedToday(db),
    options.webhooks ? webhookHealth(state) : undefined,
  ]);
  const conflicts = Object.values(links).reduce((n, byState) => n + (byState.conflict ?? 0), 0);
  return {
    failing: errors.error, conflicts, pendingInbox, lagSeconds, budgetUsed: budget?.used ?? null, budgetCap, ...(webhooks && { webhooks }),
  };
}
