import type { Config, XeroConfig } from '../config/config.ts';
import type { Settings } from '../domain/settings.ts';
import { runPassHoldingLock, type PassDeps, type PassOptions, type PassResult, type PassScope } from '../sync/pass.ts';
import type { TroubleSource } from './health.ts';
import type { Job, JobContext } from './scheduler.ts';
import { runWebhookJob, type WebhookPullers } from './webhook-job.ts';

/** What a job reports for STATUS= and /metrics (null when it had nothing to do). */
export interface JobReport {
  pushed: number;
  pulled: number;
  failed: number;
  apiCalls: number;
}

export interface DaemonJob extends Job<JobReport | null> {
  /** What the job cannot work without: while one of these is in trouble, the job waits for its back-off. */
  needs: readonly TroubleSource[];
}

export interface JobSchedules {
  /** The change-feed claim (default every 5 s). */
  feed: string;
  /** The push pass: SYNC_SCHEDULE, else the module option `sync_schedule`. */
  push: string;
  /** The safety scan: the module option `scan_schedule` (default every 15 minutes). */
  scan: string;
  /** Metadata refresh and full reconcile (default 03:17 every night). */
  nightly: string;
  /** The way back: what changed in Xero (default every minute, at second 30 so it does not meet the push's tick). */
  pull: string;
  /** Processing of stored webhook events (every 2 s); null while webhooks are off. */
  webhooks: string | null;
}

export const DEFAULT_FEED_SCHEDULE = '*/5 * * * * *';
export const DEFAULT_NIGHTLY_SCHEDULE = '17 3 * * *';
/** An idle pull is one call: 1,440 a day at this schedule, inside issue 7's 1,500 for an idle day (bench/pull.ts). */
export const DEFAULT_PULL_SCHEDULE = '30 * * * * *';
const DEFAULT_SYNC_SCHEDULE = '* * * * *';
/** With webhooks on, the pull is a safety poll for hints that never came: every 5 minutes (288 calls an idle day). */
export const WEBHOOK_PULL_SCHEDULE = '30 */5 * * * *';
/** Cheap when idle: one probe of the pending-events index. */
export const WEBHOOK_SCHEDULE = '*/2 * * * * *';

export type WebhookConfig = { xero: Pick<XeroConfig, 'webhookKey'> } & Pick<Config, 'httpListen'>;

/** Webhooks can arrive: a key to check them with (XERO_WEBHOOK_KEY) and a listener to receive them (HTTP_LISTEN). */
export function webhooksEnabled(config: WebhookConfig): boolean {
  return config.xero.webhookKey !== null && config.httpListen !== null;
}

/** The pull's schedule: every minute, or every 5 minutes while webhooks bring changes at once. */
export function pullSchedule(config: WebhookConfig): string {
  return webhooksEnabled(config) ? WEBHOOK_PULL_SCHEDULE : DEFAULT_PULL_SCHEDULE;
}

/** SYNC_SCHEDULE wins when it was changed from its default; otherwise the options page's schedules apply. */
export function jobSchedules(
  configSchedule: string, settings: Pick<Settings, 'syncSchedule' | 'scanSchedule'>, config: WebhookConfig = { xero: { webhookKey: null }, httpListen: null },
): JobSchedules {
  return {
    feed: DEFAULT_FEED_SCHEDULE,
    push: configSchedule !== DEFAULT_SYNC_SCHEDULE ? configSchedule : settings.syncSchedule,
    scan: settings.scanSchedule,
    nightly: DEFAULT_NIGHTLY_SCHEDULE,
    pull: pullSchedule(config),
    webhooks: webhooksEnabled(config) ? WEBHOOK_SCHEDULE : null,
  };
}

export interface JobDeps {
  /** The pass dependencies for one job run (its gateway checkpointed, its logger scoped to the job). */
  passDeps(job: string, ctx: JobContext): PassDeps;
  passOptions: Omit<PassOptions, 'scope' | 'checkpoint'>;
  /** Pullers for webhook hints beyond webhook-job.ts's defaults (the contact pull, once it exists). */
  pullers?: Partial<WebhookPullers>;
}

/**
 * The daemon's jobs, each a PassScope: the push split over its schedules, and the pull (the way back), which also
 * runs at start so a stopped daemon catches up at once.
 */
export function daemonJobs(schedules: JobSchedules, deps: JobDeps): DaemonJob[] {
  const pass = (name: string, schedule: string, scope: PassScope, atStart = false): DaemonJob => ({
    name, schedule, atStart, needs: ['database', 'xero'],
    run: async (ctx) => report(await runPassHoldingLock(deps.passDeps(name, ctx), { ...deps.passOptions, scope, checkpoint: ctx.checkpoint })),
  });
  return [
    pass('feed', schedules.feed, 'feed'),
    pass('push', schedules.push, 'push'),
    // At start the scan covers everything a stopped daemon may have missed (like `sync --once`).
    pass('scan', schedules.scan, 'scan', true),
    pass('nightly', schedules.nightly, 'reconcile'),
    pass('pull', schedules.pull, 'pull', true),
    ...(schedules.webhooks ? [{
      name: 'webhooks', schedule: schedules.webhooks, needs: ['database', 'xero'] as const,
      run: (ctx: JobContext) => runWebhookJob(deps.passDeps('webhooks', ctx), deps.pullers, ctx.checkpoint),
    }] : []),
  ];
}

function report(result: PassResult | null): JobReport | null {
  if (!result) return null;
  const s = result.stats;
  return { pushed: s.created + s.updated, pulled: s.pulled, failed: s.failed, apiCalls: s.apiCalls };
}
