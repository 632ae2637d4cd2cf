import { readSettings } from '../config/settings.ts';
import type { StateDb } from '../state/tables.ts';
import type { PassDeps } from '../sync/pass.ts';
import { pullContacts } from '../sync/pull/contact-pull.ts';
import { pullInvoices } from '../sync/pull/invoice-pull.ts';
import type { PullContext } from '../sync/pull/pull-context.ts';
import { processWebhookEvents, type WebhookBatchHandler, type WebhookHandlers, type WebhookProcessSummary } from '../sync/pull/webhooks.ts';
import { countingGateway } from '../sync/push/counting-gateway.ts';
import type { JobReport } from './jobs.ts';

/** The pullers a webhook hint is handed to: each reads exactly these Xero ids (≤ 100) and queues what changed. */
export interface WebhookPullers {
  invoices(ctx: PullContext, ids: string[]): Promise<unknown>;
  contacts(ctx: PullContext, ids: string[]): Promise<unknown>;
}

/** Invoice events go to the invoice pull, contact events to the contact pull (imports and Xero-side edits). */
export const DEFAULT_WEBHOOK_PULLERS: Partial<WebhookPullers> = {
  invoices: (ctx, ids) => pullInvoices(ctx, { ids }),
  contacts: (ctx, ids) => pullContacts(ctx, { ids }),
};

/** Some events could not be processed; they stay pending. The first failure is the cause (the daemon classifies it). */
export class WebhookProcessingError extends Error {
  override name = 'WebhookProcessingError';
}

/**
 * The daemon's 'webhooks' job: one indexed query when nothing is pending (report null: an idle tick). Otherwise the
 * pull context is built once — settings from b_option, the tenant from the gateway — and the pending events go to
 * the pullers. A failed puller call is rethrown after the other category had its turn, so an outage backs off
 * the job like any pass, while what succeeded stays processed.
 */
export async function runWebhookJob(deps: PassDeps, pullers: Partial<WebhookPullers> = {}, checkpoint?: () => void): Promise<JobReport | null> {
  let calls = 0;
  const gateway = countingGateway(deps.gateway, () => { calls++; });
  let ctx: Promise<PullContext> | null = null;
  const pullContext = () => ctx ??= (async (): Promise<PullContext> => {
    const tenantId = deps.connect ? await deps.connect() : '';
    const { settings } = await readSettings(deps.db);
    return { db: deps.db, state: deps.db as StateDb, gateway, settings, tenantId, dryRun: false, log: deps.log };
  })();
  const all = { ...DEFAULT_WEBHOOK_PULLERS, ...pullers };
  const bind = (puller: WebhookPullers[keyof WebhookPullers] | undefined): WebhookBatchHandler | undefined =>
    puller && (async (ids) => puller(await pullContext(), ids));
  const handlers: WebhookHandlers = {};
  const invoices = bind(all.invoices);
  const contacts = bind(all.contacts);
  if (invoices) handlers.invoices = invoices;
  if (contacts) handlers.contacts = contacts;
  const summary = await processWebhookEvents({
    state: deps.db as StateDb, log: deps.log, tenantId: async () => (await pullContext()).tenantId, ...(checkpoint && { checkpoint }),
  }, handlers);
  if (summary.events === 0) return null;
  const report: JobReport = { pushed: 0, pulled: queuedOf(summary), failed: summary.failures.reduce((n, f) => n + f.ids.length, 0), apiCalls: calls };
  deps.log.info('webhook events processed', {
    events: summary.events, processed: summary.processed, ignored: summary.ignored, waiting: summary.waiting,
    pullerCalls: summary.handlerCalls, xeroCalls: calls, queued: report.pulled,
  });
  const first = summary.failures[0];
  if (first) {
    const what = summary.failures.map((f) => `${f.category} (${f.ids.length} ids)`).join(', ');
    throw new WebhookProcessingError(`webhook events left pending, their pull failed: ${what}: ${(first.error as Error)?.message ?? String(first.error)}`, { cause: first.error });
  }
  return report;
}

/** Inbox rows the pullers queued, from their PullSummary results. */
function queuedOf(summary: WebhookProcessSummary): number {
  return summary.results.reduce<number>((n, r) => n + (typeof (r as { queued?: unknown })?.queued === 'number' ? (r as { queued: number }).queued : 0), 0);
}
