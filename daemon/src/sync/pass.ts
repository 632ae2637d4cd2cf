import type { Kysely } from 'kysely';
import { decodeScanPosition, encodeScanPosition, scanChanged, scanCursorName, type ScanKind } from '../bitrix/scan.ts';
import { readSettings, type SettingsProblem } from '../config/settings.ts';
import type { InvoiceKind } from '../domain/invoice.ts';
import { completeChanges, hasWaitingChanges, newClaimerId, releaseChanges } from '../state/change-feed.ts';
import { getCursor, setCursor } from '../state/cursors.ts';
import { listCreatingLinks } from '../state/links.ts';
import { listErrorsDueForRetry } from '../state/record-errors.ts';
import { firstInvoiceLinkTime } from '../state/pull-state.ts';
import { discardRun, finishRun, markStaleRunsInterrupted, startRun } from '../state/runs.ts';
import type { EntityType, RunKind, StateDb } from '../state/tables.ts';
import { collectWork, type CollectedWork } from './push/collect-work.ts';
import { countingGateway } from './push/counting-gateway.ts';
import { withInstanceLock } from './push/instance-lock.ts';
import { pushInvoices } from './push/invoice-sync.ts';
import { flushCreates } from './push/invoice-writes.ts';
import { loadOrgContext, OrgUnavailableError } from './push/org-loader.ts';
import { createOrgSource } from './push/org-source.ts';
import { syncAllItems } from './push/item-sync.ts';
import { refreshLinkedRecords } from './push/party-refresh.ts';
import { createPushContext, type PlanEntry, type PushContext, type PushGateway, type PushLogger } from './push/push-context.ts';
import type { PushStats } from './push/push-stats.ts';
import { replanAfterSettingsChange, settingsChangedSinceLastPlan } from './push/settings-replan.ts';
import { resolveStartLine } from './push/start-line.ts';
import { pullForPass, type PullPassSummary } from './pull/pull-pass.ts';
import { contactPullDue } from './pull/contact-pull.ts';
import { importResultsPending } from './pull/import-results.ts';

/**
 * How much of the push a pass covers. `sync --once` is always 'full'; `b24xero run` splits it over its schedules:
 * - 'feed'      the change feed only (every few seconds; costs one indexed query when idle);
 * - 'push'      the feed, records due for retry, unfinished creates, and a settings re-plan (SYNC_SCHEDULE);
 * - 'scan'      'push' plus the safety scan from the stored cursors (the scan schedule, default every 15 minutes);
 * - 'full'      the same as 'scan', recorded as a 'sync' run (`sync --once`);
 * - 'reconcile' 'scan' over every row from the beginning, with the organisation context read again (nightly).
 * - 'pull'      the way back only (sync/pull/pull-pass.ts): what changed in Xero becomes inbox rows; 'full' and
 *               'reconcile' end with it too (the nightly one reading every transaction feed).
 * 'feed' and 'push' skip (resolve to null, no run row) when there is nothing to do; 'pull' skips while nothing is
 * linked, and keeps no run row of a pull that found nothing new (one a minute would bury the runs list).
 */
export type PassScope = 'feed' | 'push' | 'scan' | 'full' | 'reconcile' | 'pull';

const RUN_KIND: Readonly<Record<PassScope, RunKind>> = { feed: 'feed', push: 'push', scan: 'scan', full: 'sync', reconcile: 'reconcile', pull: 'pull' };

export interface PassDeps {
  /** The Bitrix database (reads b_crm_*, writes b_b24xero_*). */
  db: Kysely<any>;
  gateway: PushGateway;
  /** Settles the token and tenant (XeroGateway.connect); called only once the pass has work for Xero. */
  connect?: () => Promise<string>;
  /**
   * Proves credentials, tenant and URLs without a counted API call (XeroGateway.checkAccess); every pass with work
   * runs it first, so a wrong setting fails the run with XeroAccessError naming the variable to fix.
   */
  checkAccess?: () => Promise<void>;
  log: PushLogger;
}

export interface PassOptions {
  instance: string;
  dryRun?: boolean;
  /** Bitrix's IANA zone (BITRIX_TIMEZONE), for the safety scan's DST handling. */
  timeZone?: string;
  /** Safety-scan overlap (default bitrix/scan.ts: 300 s) and page size. */
  scanOverlapSeconds?: number;
  scanLimit?: number;
  /** Also push every catalog product as a Xero Item, not only those used on invoices (`--all-products`). */
  allProducts?: boolean;
  /** Default 'full'. */
  scope?: PassScope;
  /** 'full' and 'reconcile' end with the pull (default true); false pushes only (`sync --once --push-only`). */
  pull?: boolean;
  /** The pull's clock for its "every 6 hours" decisions (default now; the budget benchmark replays a day). */
  now?: Date;
  /**
   * Overrides the start line of creates (default: option start_date, else the day the daemon first ran):
   * null lets history through (backfill); a date moves the line for this pass only.
   */
  startLine?: string | null;
  /**
   * Called between units of work (each scan page, each kind of collected work): may throw PassInterruptedError to
   * end the pass there (the daemon stopping). Xero calls are checkpointed by the caller's gateway.
   */
  checkpoint?: () => void;
  /** When claimed change-feed rows of a failed pass become claimable again (default 60 s; the daemon backs off itself). */
  releaseClaimsAfterSeconds?: number;
}

export interface PassResult {
  runId: number;
  dryRun: boolean;
  stats: PushStats;
  plan: PlanEntry[];
  settingsProblems: SettingsProblem[];
  /** What the pull part did (null when the pass had none: 'feed', 'push', 'scan'). */
  pulled: PullPassSummary | null;
}

const INVOICE_SCANS: ReadonlyArray<[ScanKind, InvoiceKind]> = [['smart_invoice', 'smart'], ['legacy_invoice', 'legacy']];
const PARTY_SCANS: ReadonlyArray<Extract<ScanKind, 'contact' | 'company'>> = ['contact', 'company'];

/**
 * One full sync pass (`b24xero sync --once`): under the instance lock, change feed + records due for retry +
 * unfinished creates, then the safety scan of smart and legacy invoices (and linked contacts and companies) from
 * the stored cursors, each page pushed before its cursor is saved; then, when the module's settings changed since
 * the last pass, the re-plan of the records already in Xero. Per-record failures are stored and counted; the
 * promise rejects only when the pass itself cannot run (lock held, database or settings unreadable).
 */
export async function runSyncPass(deps: PassDeps, options: PassOptions): Promise<PassResult> {
  return withInstanceLock(deps.db, options.instance, async () => (await lockedPass(deps, { ...options, scope: 'full' }))!);
}

/**
 * The same full pass for a caller that already holds the instance lock for its whole life (the `run` daemon, rule 8):
 * GET_LOCK belongs to one session, so a second GET_LOCK from another connection of the same process would fail.
 */
export async function runSyncPassHoldingLock(deps: PassDeps, options: PassOptions): Promise<PassResult> {
  return (await lockedPass(deps, { ...options, scope: 'full' }))!;
}

/** One part of the push (see PassScope) for the daemon, which holds the lock; null when it had nothing to do. */
export async function runPassHoldingLock(deps: PassDeps, options: PassOptions & { scope: PassScope }): Promise<PassResult | null> {
  return lockedPass(deps, options);
}

async function lockedPass(deps: PassDeps, options: PassOptions): Promise<PassResult | null> {
  const state = deps.db as StateDb;
  const dryRun = options.dryRun ?? false;
  const scope = options.scope ?? 'full';
  const { settings, problems } = await readSettings(deps.db);
  if (!(await hasWork(state, scope, settings))) return null;
  // We hold the lock: any 'running' row of this instance belongs to a process that died (kill -9, power loss).
  await markStaleRunsInterrupted(state, options.instance);
  const runId = await startRun(state, { instance: options.instance, kind: RUN_KIND[scope], dryRun });
  // Every line of the pass carries its run id (winston child logger) when the logger can scope.
  const log = scoped(deps.log, runId);
  // The frequent parts would repeat these every few seconds; the scanning ones (and sync --once) say them.
  if (scope !== 'feed' && scope !== 'push') {
    for (const problem of problems) log.warn('module option ignored', { key: problem.key, message: problem.message });
  }

  const { ctx, orgSource, calls } = await openPassContext(deps, options, { settings, runId, log, freshOrg: scope === 'reconcile' });

  let collected: CollectedWork | null = null;
  let pulled: PullPassSummary | null = null;
  // The pull needs the tenant although it needs no organisation context; the push settles it only when it calls.
  const pull = async (everything: boolean) => {
    if (deps.connect && !ctx.tenantId) ctx.tenantId = await deps.connect();
    pulled = await pullForPass({ ...ctx, runId }, { everything, ...(options.now && { now: options.now }) });
    ctx.stats.pulled += pulled.queued;
  };
  try {
    await deps.checkAccess?.();
    if (scope === 'pull') {
      await pull(false);
    } else {
      ctx.settingsChanged = scope !== 'feed' && await settingsChangedSinceLastPlan(ctx);
      collected = await collectWork(ctx, newClaimerId(options.instance), { feedOnly: scope === 'feed' });
      // Items first, so the invoices pushed below can carry their ItemCode.
      if (options.allProducts) await syncAllItems(ctx);
      const done = await processWork(ctx, collected.work, options.checkpoint);
      if (scope === 'scan' || scope === 'full' || scope === 'reconcile') await scanAll(ctx, options, done, scope === 'reconcile');
      if (scope !== 'feed') await replanAfterSettingsChange(ctx, done);
      await flushCreates(ctx);
      // Items created this pass exist in Xero but not in the stored context, which was read before them.
      await orgSource.remember(ctx.pushedItems);
      if (collected.claim && collected.claim.changeIds.length > 0) {
        await completeChanges(state, collected.claim.claimer, collected.claim.changeIds);
      }
      // What the push just wrote comes back through If-Modified-Since and is compared away; what Xero's users did
      // since the last pull is queued for Bitrix.
      if ((scope === 'full' || scope === 'reconcile') && options.pull !== false) {
        options.checkpoint?.();
        await pull(scope === 'reconcile');
      }
    }
    ctx.stats.apiCalls = calls();
    const done = pulled as PullPassSummary | null;
    const idlePull = scope === 'pull' && done !== null && done.queued === 0 && done.invoices.changedInvoiceIds.length === 0
      && done.transactionsStored === 0 && done.problems.length === 0;
    if (idlePull && !dryRun) await discardRun(state, runId);
    else await finishRun(state, runId, { status: 'ok', stats: { ...ctx.stats } });
    return { runId, dryRun, stats: ctx.stats, plan: ctx.plan, settingsProblems: problems, pulled };
  } catch (error) {
    await orgSource.remember(ctx.pushedItems).catch(() => undefined);
    ctx.stats.apiCalls = calls();
    // The claimed rows go back (after a short pause) so the next pass retries them; nothing is lost.
    if (collected?.claim && collected.claim.changeIds.length > 0) {
      await releaseChanges(state, collected.claim.claimer, collected.claim.changeIds, { retryAfterSeconds: options.releaseClaimsAfterSeconds ?? 60 }).catch(() => undefined);
    }
    await finishRun(state, runId, { status: 'failed', stats: { ...ctx.stats }, error: (error as Error).message }).catch(() => undefined);
    throw error;
  }
}

/**
 * The push context of one run, shared by the passes and by backfill: a gateway that counts every Xero call, the
 * organisation context from b_b24xero_org_cache while fresh (each pass is a new process: without the table every
 * pass with work would spend five calls on it), from Xero otherwise or once a failure shows it stale — `freshOrg`
 * (the nightly reconcile) reads it again whatever its age — and the start line of creates.
 */
export async function openPassContext(
  deps: PassDeps,
  options: Pick<PassOptions, 'instance' | 'dryRun' | 'timeZone' | 'startLine'>,
  run: { settings: PushContext['settings']; runId: number; log: PushLogger; freshOrg?: boolean },
): Promise<{ ctx: PushContext; orgSource: ReturnType<typeof createOrgSource>; calls: () => number }> {
  const state = deps.db as StateDb;
  const dryRun = options.dryRun ?? false;
  const { settings, runId, log } = run;
  let calls = 0;
  const gateway = countingGateway(deps.gateway, () => { calls++; });
  const orgSource = createOrgSource({
    state, log,
    ...(run.freshOrg && { ttlSeconds: 0 }),
    tenant: async () => {
      if (deps.connect) {
        try {
          ctx.tenantId = await deps.connect();
        } catch (error) {
          throw new OrgUnavailableError(error);
        }
      }
      return ctx.tenantId;
    },
    fetch: () => loadOrgContext(gateway),
  });
  const ctx: PushContext = createPushContext({
    db: deps.db, gateway, settings, instance: options.instance, tenantId: '', dryRun, runId, log,
    ...(options.timeZone !== undefined && { timeZone: options.timeZone }),
    startLine: options.startLine !== undefined ? options.startLine
      : await resolveStartLine(state, settings, { dryRun, ...(options.timeZone !== undefined && { timeZone: options.timeZone }) }),
    org: () => orgSource.get(),
    onFailure: (code) => orgSource.noteFailure(code),
  });
  return { ctx, orgSource, calls: () => calls };
}

/** The frequent scopes skip without a run row when idle: a daemon ticking every few seconds must not fill b_b24xero_run. */
async function hasWork(state: StateDb, scope: PassScope, settings: PushContext['settings']): Promise<boolean> {
  if (scope === 'pull') {
    return (await firstInvoiceLinkTime(state)) !== null || await contactPullDue({ state, settings }, new Date()) || await importResultsPending(state);
  }
  if (scope !== 'feed' && scope !== 'push') return true;
  if (await hasWaitingChanges(state)) return true;
  if (scope === 'feed') return false;
  if ((await listErrorsDueForRetry(state, 1)).length > 0) return true;
  if ((await listCreatingLinks(state, 1)).length > 0) return true;
  return settingsChangedSinceLastPlan({ state, settings });
}

/** The collected work, products and parties first (so invoices use fresh Items and contacts), then invoices. */
async function processWork(ctx: PushContext, work: Map<EntityType, Set<number>>, checkpoint?: () => void): Promise<Set<string>> {
  const done = new Set<string>();
  for (const type of ['product', 'company', 'contact'] as const) {
    checkpoint?.();
    const ids = [...(work.get(type) ?? [])];
    if (ids.length > 0) await refreshLinkedRecords(ctx, type, ids);
    for (const id of ids) done.add(`${type}:${id}`);
  }
  for (const [entityType, kind] of INVOICE_SCANS) {
    const ids = [...(work.get(entityType) ?? [])];
    if (ids.length === 0 || !ctx.settings.invoiceKinds.includes(kind)) continue;
    checkpoint?.();
    // Everything collected is tried now: the feed says it changed, its retry is due, or its create is unfinished.
    await pushInvoices(ctx, kind, ids, { forced: new Set(ids) });
    for (const id of ids) done.add(`${entityType}:${id}`);
  }
  return done;
}

/**
 * The safety scan: each page is processed, then its cursor saved (never before: a crash repeats at most a page, and
 * the content hashes make a repeat free of API calls). A dry run reads from the stored cursors but saves none.
 * `fromStart` (the nightly reconcile) reads every row and leaves the cursors where they are: it re-checks what the
 * cursors already passed, so moving them would only send the next scan back over the same rows.
 */
async function scanAll(ctx: PushContext, options: PassOptions, done: Set<string>, fromStart = false): Promise<void> {
  const scanOptions = {
    ...(options.scanOverlapSeconds !== undefined && { overlapSeconds: options.scanOverlapSeconds }),
    ...(options.scanLimit !== undefined && { limit: options.scanLimit }),
    ...(options.timeZone !== undefined && { timeZone: options.timeZone }),
  };
  const kinds: Array<[ScanKind, (ids: number[]) => Promise<void>]> = [
    ...INVOICE_SCANS.filter(([, kind]) => ctx.settings.invoiceKinds.includes(kind))
      .map(([scan, kind]): [ScanKind, (ids: number[]) => Promise<void>] => [scan, (ids) => pushInvoices(ctx, kind, ids)]),
    ...PARTY_SCANS.map((scan): [ScanKind, (ids: number[]) => Promise<void>] => [scan, (ids) => refreshLinkedRecords(ctx, scan, ids)]),
  ];
  for (const [kind, process] of kinds) {
    const name = scanCursorName(kind);
    const cursor = fromStart ? null : decodeScanPosition(await getCursor(ctx.state, name));
    for await (const page of scanChanged(ctx.db, kind, cursor, scanOptions)) {
      options.checkpoint?.();
      const ids = page.ids.filter((id) => !done.has(`${kind}:${id}`));
      if (ids.length > 0) await process(ids);
      for (const id of ids) done.add(`${kind}:${id}`);
      if (!ctx.dryRun && !fromStart && page.cursor) await setCursor(ctx.state, name, encodeScanPosition(page.cursor));
    }
  }
}

export function scoped(log: PushLogger, runId: number): PushLogger {
  const child = (log as { child?: (meta: Record<string, unknown>) => PushLogger }).child;
  return typeof child === 'function' ? child.call(log, { run: runId }) : log;
}
