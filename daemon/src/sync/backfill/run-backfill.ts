import { sql } from 'kysely';
import { countHistory, historyIds } from '../../bitrix/history.ts';
import { readSettings } from '../../config/settings.ts';
import { INVOICE_KINDS, type DomainInvoice, type InvoiceKind } from '../../domain/invoice.ts';
import { getCursor, setCursor } from '../../state/cursors.ts';
import { finishRun, markStaleRunsInterrupted, startRun } from '../../state/runs.ts';
import type { StateDb } from '../../state/tables.ts';
import { openPassContext, scoped, type PassDeps } from '../pass.ts';
import { indexHistory, matchHistory, type HistoryCandidate, type HistoryIndex } from '../plan/index.ts';
import { withInstanceLock } from '../push/instance-lock.ts';
import { ENTITY_OF_KIND } from '../push/invoice-work.ts';
import { pushInvoices, READERS } from '../push/invoice-sync.ts';
import { flushCreates } from '../push/invoice-writes.ts';
import { linksOf } from '../push/link-queries.ts';
import type { PlanEntry, PushContext } from '../push/push-context.ts';
import { emptyStats, type PushStats } from '../push/push-stats.ts';
import { failInvoice } from '../push/record-failure.ts';
import { XeroUnavailableError } from '../push/tenant-outage.ts';
import { estimateCalls, type CallEstimate } from './estimate.ts';
import { linkedInvoiceXeroIds, payerContactIds } from './history-links.ts';
import { readXeroBooks, type XeroBooks } from './xero-books.ts';

/** Xero's documented limit: 60 calls a minute per tenant, what the ETA is computed from. */
const CALLS_PER_MINUTE = 60;

export interface BackfillOptions {
  instance: string;
  /** 'YYYY-MM-DD': invoices dated on or after it (bitrix/history.ts); null: the whole history. */
  since: string | null;
  dryRun?: boolean;
  /** Run again over invoices a finished backfill of the same --since already covered. */
  again?: boolean;
  /** Bitrix invoices per page (each page pushed, then its cursor saved). Default 200. */
  pageSize?: number;
  timeZone?: string;
  onProgress?: (progress: BackfillProgress) => void;
  /** Today's daily budget (used / cap), shown with the progress; null when unknown. */
  budget?: () => Promise<{ used: number; cap: number } | null>;
}

export interface BackfillProgress {
  done: number;
  total: number;
  calls: number;
  /** Seconds left at the rate limit, from the calls the rest is estimated to need; null before the first page. */
  etaSeconds: number | null;
  budget: { used: number; cap: number } | null;
}

export interface HistoryRecord {
  entity: string;
  id: number;
  number: string;
}

export interface BackfillResult {
  runId: number | null;
  dryRun: boolean;
  since: string | null;
  /** A finished backfill of this --since exists (nothing was read, no call made); --again runs it anew. */
  alreadyDone: boolean;
  /** Bitrix invoices this run covered (after the resumed position). */
  total: number;
  /** Already linked before the backfill (ongoing sync keeps them). */
  alreadyLinked: number;
  xero: { contacts: number; invoices: number; readCalls: number } | null;
  estimate: CallEstimate | null;
  stats: PushStats;
  /** Closed (paid or declined) in Bitrix and not in Xero: listed, never created as drafts. */
  closedNotInXero: HistoryRecord[];
  /** The same number with other content in Xero, or several fits: stored as needs_person errors, nothing created. */
  needsPerson: Array<HistoryRecord & { code: string; message: string }>;
  /** A dry run: everything it would do; otherwise the errors and conflicts. Each record listed once. */
  plan: PlanEntry[];
  /** Xero refused the tenant part-way (daily budget spent, token revoked): what is done is kept; run it again. */
  stopped: { message: string; retryAt: string | null } | null;
}

const cursorName = (since: string | null, kind: InvoiceKind): string => `backfill:${since ?? 'all'}:${kind}`;
const DONE = 'done';

/**
 * `b24xero backfill`: brings the portal's history across on purpose, never by accident (issue 10 item 1), matching
 * before it creates (item 2). Under the instance lock: the organisation's contacts and sales invoices are read in bulk
 * pages once; then the Bitrix invoices of the range, in ID order, page by page —
 * - already linked: left to ongoing sync;
 * - Xero holds it (our Reference key, its XML_ID, or the same number for the same contact, currency and total):
 *   linked, not created — closed ones too, so a paid invoice of 2019 is bound to its Xero twin;
 * - the same number with other content: a needs_person error naming the Xero invoice; nothing created;
 * - closed in Bitrix and not in Xero: listed (never created as a draft);
 * - open and not in Xero: created, with its payer matched against the bulk contact book first (ContactNumber, name,
 *   email) so no contact is duplicated.
 * Each page's cursor is saved after its creates are sent, so kill -9 repeats at most a page (the creates' intents make
 * that repeat safe). A spent daily budget stops the run with its reset time; the next run resumes.
 */
export async function runBackfill(deps: PassDeps, options: BackfillOptions): Promise<BackfillResult> {
  return withInstanceLock(deps.db, options.instance, () => lockedBackfill(deps, options));
}

async function lockedBackfill(deps: PassDeps, options: BackfillOptions): Promise<BackfillResult> {
  const state = deps.db as StateDb;
  const dryRun = options.dryRun ?? false;
  const pageSize = options.pageSize ?? 200;
  const { settings } = await readSettings(deps.db);
  const kinds = INVOICE_KINDS.filter((k) => settings.invoiceKinds.includes(k));
  const start = new Map<InvoiceKind, number | 'done'>();
  for (const kind of kinds) {
    const stored = options.again ? null : await getCursor(state, cursorName(options.since, kind));
    start.set(kind, stored === DONE ? 'done' : Number(stored ?? 0) || 0);
  }
  const result: BackfillResult = {
    runId: null, dryRun, since: options.since, alreadyDone: false, total: 0, alreadyLinked: 0, xero: null, estimate: null,
    stats: emptyStats(), closedNotInXero: [], needsPerson: [], plan: [], stopped: null,
  };
  if (kinds.every((k) => start.get(k) === 'done')) return { ...result, alreadyDone: true };

  const pages: number[] = [];
  for (const kind of kinds) {
    const from = start.get(kind);
    if (from === 'done') continue;
    const n = await countHistory(deps.db, kind, { since: options.since, afterId: from ?? 0 });
    result.total += n;
    for (let left = n; left > 0; left -= pageSize) pages.push(Math.min(pageSize, left));
  }

  await markStaleRunsInterrupted(state, options.instance);
  const runId = await startRun(state, { instance: options.instance, kind: 'backfill', dryRun });
  result.runId = runId;
  const log = scoped(deps.log, runId);
  const { ctx, orgSource, calls } = await openPassContext(deps, { instance: options.instance, dryRun, startLine: null, ...(options.timeZone !== undefined && { timeZone: options.timeZone }) }, { settings, runId, log });
  result.stats = ctx.stats;
  let done = 0;
  const progress = async (): Promise<void> => {
    if (!options.onProgress) return;
    const spent = calls();
    const rate = done > 0 && result.estimate ? (spent - result.estimate.read) / done : null;
    const left = rate === null ? null : Math.max(0, (result.total - done) * rate);
    options.onProgress({
      done, total: result.total, calls: spent,
      etaSeconds: left === null ? null : Math.round((left / CALLS_PER_MINUTE) * 60),
      budget: (await options.budget?.().catch(() => null)) ?? null,
    });
  };
  try {
    await deps.checkAccess?.();
    if (deps.connect && !ctx.tenantId) ctx.tenantId = await deps.connect();
    const books = await readXeroBooks(ctx.gateway);
    result.xero = { contacts: books.contacts.length, invoices: books.invoices.length, readCalls: books.readCalls };
    const products = await countProducts(deps.db);
    result.estimate = estimateCalls({ readCalls: books.readCalls, pages, products });
    log.info('backfill started', { since: options.since, invoices: result.total, xeroContacts: books.contacts.length, xeroInvoices: books.invoices.length, estimatedCalls: result.estimate.total });
    ctx.knownContacts = books.contacts;
    const matches = new Map<string, HistoryCandidate>();
    ctx.historyMatches = matches;
    const run: PageRun = {
      ctx, books, index: indexHistory(books.invoices), byId: new Map(books.invoices.map((i) => [i.invoiceID, i])),
      taken: await linkedInvoiceXeroIds(state), matches, result,
    };
    await progress();
    for (const kind of kinds) {
      let after = start.get(kind);
      if (after === 'done') continue;
      for (;;) {
        const ids = await historyIds(deps.db, kind, { since: options.since, afterId: after ?? 0, limit: pageSize });
        if (ids.length === 0) break;
        await backfillPage(run, kind, ids);
        // Before the cursor passes these invoices, every create they need has been sent (and settled).
        await flushCreates(ctx);
        after = ids[ids.length - 1]!;
        if (!dryRun) await setCursor(state, cursorName(options.since, kind), String(after));
        done += ids.length;
        await progress();
      }
      if (!dryRun) await setCursor(state, cursorName(options.since, kind), DONE);
    }
    await orgSource.remember(ctx.pushedItems);
    ctx.stats.apiCalls = calls();
    result.plan = dryRun ? onceEach(ctx.plan) : ctx.plan;
    await finishRun(state, runId, { status: 'ok', stats: { ...ctx.stats } });
    return result;
  } catch (error) {
    await orgSource.remember(ctx.pushedItems).catch(() => undefined);
    ctx.stats.apiCalls = calls();
    result.plan = dryRun ? onceEach(ctx.plan) : ctx.plan;
    await finishRun(state, runId, { status: 'failed', stats: { ...ctx.stats }, error: (error as Error).message }).catch(() => undefined);
    if (!(error instanceof XeroUnavailableError)) throw error;
    const retryAt = (error.xeroError as { retryAt?: Date }).retryAt;
    result.stopped = { message: error.xeroError.message, retryAt: retryAt instanceof Date ? retryAt.toISOString() : null };
    return result;
  }
}

interface PageRun {
  ctx: PushContext;
  books: XeroBooks;
  index: HistoryIndex;
  byId: Map<string, HistoryCandidate>;
  /** Xero invoices linked to some Bitrix invoice (before or during this run). */
  taken: Set<string>;
  matches: Map<string, HistoryCandidate>;
  result: BackfillResult;
}

async function backfillPage(run: PageRun, kind: InvoiceKind, ids: number[]): Promise<void> {
  const { ctx, result } = run;
  const entityType = ENTITY_OF_KIND[kind];
  const read = await READERS[kind](ctx.db, ids);
  const links = await linksOf(ctx.state, entityType, ids);
  const fresh = read.invoices.filter((i) => !links.has(i.id));
  result.alreadyLinked += read.invoices.length - fresh.length;
  const payers = await payerContactIds(ctx.state, fresh, run.books.contacts);
  // Unreadable rows go through the push, which stores their read error.
  const push: number[] = read.problems.map((p) => p.id);
  for (const invoice of fresh) {
    const record = { entity: entityType, id: invoice.id, number: invoice.number };
    const bound = invoice.xmlId ? run.byId.get(invoice.xmlId.trim().toLowerCase()) : undefined;
    const match = bound && !run.taken.has(bound.invoiceID)
      ? { action: 'link' as const, invoice: bound }
      : matchHistory({ kind, id: invoice.id, number: invoice.number, total: invoice.total, currency: invoice.currency, payerContactID: payers.get(invoice.id) ?? null }, run.index, run.taken);
    if (match.action === 'link') {
      run.matches.set(`${entityType}:${invoice.id}`, match.invoice);
      run.taken.add(match.invoice.invoiceID);
      push.push(invoice.id);
    } else if (match.action === 'needs_person') {
      await failInvoice(ctx, entityType, invoice, match.error, { candidates: match.candidates.map((c) => c.invoiceID) });
      result.needsPerson.push({ ...record, code: match.error.code, message: match.error.message });
    } else if (isClosed(invoice)) {
      result.closedNotInXero.push(record);
      ctx.stats.skipped++;
      ctx.note({ entity: entityType, id: invoice.id, action: 'skip', reason: `closed in Bitrix (stage ${invoice.stage.name || invoice.stage.id}) and not in Xero: listed, not created` });
    } else {
      push.push(invoice.id);
    }
  }
  if (push.length > 0) await pushInvoices(ctx, kind, push, { forced: new Set(push) });
}

const isClosed = (invoice: DomainInvoice): boolean => invoice.stage.semantics === 'success' || invoice.stage.semantics === 'failure';

/** A dry run plans page by page and links nothing, so a payer shared by many pages would be listed once per page. */
function onceEach(plan: readonly PlanEntry[]): PlanEntry[] {
  const seen = new Set<string>();
  return plan.filter((e) => {
    const key = `${e.entity}:${e.id}:${e.action}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

async function countProducts(db: PassDeps['db']): Promise<number> {
  const row = await sql<{ n: number }>`SELECT COUNT(DISTINCT PRODUCT_ID) AS n FROM b_crm_product_row WHERE PRODUCT_ID > 0`.execute(db);
  return Number(row.rows[0]?.n ?? 0);
}

