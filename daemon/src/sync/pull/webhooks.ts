import type { StateDb } from '../../state/tables.ts';
import {
  markWebhookEventsProcessed, pendingWebhookEvents, pruneProcessedWebhookEvents, storeWebhookEvents, type PendingWebhookEvent,
} from '../../state/webhook-events.ts';
import { chunk } from '../../util/chunk.ts';
import type { PushLogger } from '../push/push-context.ts';
import { PassInterruptedError } from '../push/tenant-outage.ts';
import { parseWebhookPayload, WEBHOOK_CATEGORIES, type WebhookCategory, type WebhookEvent } from './webhook-payload.ts';
import { verifyWebhookSignature } from './webhook-signature.ts';

/**
 * Xero webhooks (issue 7 item 6). A webhook is only a hint, like a change-feed row: receiving stores the events and
 * answers at once (Xero allows 5 s and retries what was not answered 2xx), processing later asks the pullers to read
 * exactly those resources. Missing one never loses a change — the safety poll reads everything If-Modified-Since.
 */

/** What the HTTP listener sends back (runtime/http-listener.ts WebhookAnswer). */
export interface WebhookAnswer {
  status: number;
  body: string;
}

export interface WebhookReceiveDeps {
  state: StateDb;
  /** XERO_WEBHOOK_KEY. Never logged, nor is the signature. */
  key: string;
  /**
   * Our tenant, known without asking Xero (configured, or settled by the gateway's first call): null while not yet
   * known and '' for a Custom Connection without one — then every tenant's events are stored and processing sorts
   * them out.
   */
  tenantId(): string | null;
  log: PushLogger;
  /** Tenants whose events were logged as ignored already: one line per tenant for the life of the set. */
  foreignTenantsLogged?: Set<string>;
}

/**
 * Handles one POST /webhooks/xero. Bad or missing signature: 401 with an empty body (also what Xero's
 * intent-to-receive check expects). Good signature: the events of our tenant are stored (a redelivery is ignored
 * by its dedupe key) and 200 is answered — no Xero call happens here. A signed body that is not a webhook payload
 * is answered 400 and logged with its text, so nothing vanishes without a trace.
 */
export async function receiveWebhook(deps: WebhookReceiveDeps, input: { rawBody: Buffer; signature: string | null }): Promise<WebhookAnswer> {
  const { log } = deps;
  if (!verifyWebhookSignature(input.rawBody, input.signature, deps.key)) {
    log.warn('webhook refused: signature does not match XERO_WEBHOOK_KEY (intent-to-receive sends such requests on purpose)', {
      signature: input.signature ? 'wrong' : 'missing', bytes: input.rawBody.length,
    });
    return { status: 401, body: '' };
  }
  const parsed = parseWebhookPayload(input.rawBody);
  if (!parsed.ok) {
    log.error('signed webhook refused with 400: not a Xero webhook payload', { reason: parsed.message, bytes: input.rawBody.length, body: preview(input.rawBody) });
    return { status: 400, body: JSON.stringify({ error: `not a Xero webhook payload: ${parsed.message}` }) };
  }
  for (const s of parsed.skipped) log.warn('webhook event not stored: unusable', { reason: s.reason, event: s.event });
  if (Object.keys(parsed.otherCategories).length > 0) {
    log.info('webhook events of categories the daemon does not pull on a hint (the poll covers them)', { categories: parsed.otherCategories });
  }
  const ours = ownEvents(deps, parsed.events);
  const stored = await storeWebhookEvents(deps.state, ours);
  if (parsed.events.length > 0) log.info('webhook events stored', { received: parsed.events.length, stored, duplicates: ours.length - stored });
  return { status: 200, body: '' };
}

function ownEvents(deps: WebhookReceiveDeps, events: WebhookEvent[]): WebhookEvent[] {
  const tenant = deps.tenantId()?.toLowerCase();
  if (!tenant) return events;
  const logged = deps.foreignTenantsLogged ?? new Set<string>();
  const ours: WebhookEvent[] = [];
  for (const e of events) {
    if (e.tenantId === tenant) {
      ours.push(e);
    } else if (!logged.has(e.tenantId)) {
      logged.add(e.tenantId);
      deps.log.warn('webhook events of another Xero organisation are ignored (the app\'s webhook covers every connected tenant)', { tenantId: e.tenantId, ours: tenant });
    }
  }
  return ours;
}

function preview(rawBody: Buffer): string {
  const text = rawBody.toString('utf8');
  return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
}

// ---- processing -----------------------------------------------------------------------------------------------

/** A puller bound to its context: reads exactly these Xero ids (≤ 100), e.g. `(ids) => pullInvoices(ctx, { ids })`. */
export type WebhookBatchHandler = (ids: string[]) => Promise<unknown>;

export interface WebhookHandlers {
  invoices?: WebhookBatchHandler;
  contacts?: WebhookBatchHandler;
}

const HANDLER_OF: Readonly<Record<WebhookCategory, keyof WebhookHandlers>> = { INVOICE: 'invoices', CONTACT: 'contacts' };

/** Xero's `IDs=` takes up to 100 ids a call. */
export const WEBHOOK_BATCH = 100;

export interface WebhookProcessDeps {
  state: StateDb;
  log: PushLogger;
  /** Our tenant, asked only once events are pending ('' = every tenant's events are ours). */
  tenantId(): Promise<string> | string;
  /** Called before each handler call: throws when the daemon is stopping. */
  checkpoint?: () => void;
  /** Ids per handler call (default and maximum 100). */
  batchSize?: number;
  /** Pending events read per query (default 1,000). */
  pageSize?: number;
}

export interface WebhookFailure {
  category: WebhookCategory;
  ids: string[];
  error: unknown;
}

export interface WebhookProcessSummary {
  /** Pending events read. */
  events: number;
  /** Events marked processed after their handler succeeded. */
  processed: number;
  /** Events of another tenant, marked processed without a call. */
  ignored: number;
  /** Events of a category without a handler: left pending. */
  waiting: number;
  handlerCalls: number;
  /** What the handlers returned, in call order (the pullers' summaries). */
  results: unknown[];
  /** A failed handler call: its events and those after it in the category stay pending for the next run. */
  failures: WebhookFailure[];
}

/**
 * Works off the pending events in ID order: per category the distinct resource ids go to the category's handler in
 * batches of ≤ 100, and each batch's events are marked processed only after its handler returned. A crash in
 * between leaves them pending, so they are read again — which the pullers make harmless (they compare with what
 * Bitrix holds and what is queued). A failing handler stops its own category for this run; the other proceeds.
 */
export async function processWebhookEvents(deps: WebhookProcessDeps, handlers: WebhookHandlers): Promise<WebhookProcessSummary> {
  const summary: WebhookProcessSummary = { events: 0, processed: 0, ignored: 0, waiting: 0, handlerCalls: 0, results: [], failures: [] };
  const pageSize = deps.pageSize ?? 1000;
  const failed = new Set<WebhookCategory>();
  let tenant: string | null = null;
  for (let afterId = 0; ;) {
    const page = await pendingWebhookEvents(deps.state, { afterId, limit: pageSize });
    if (page.length === 0) break;
    afterId = page[page.length - 1]!.ID;
    summary.events += page.length;
    tenant ??= (await deps.tenantId()).toLowerCase();
    const ours = await dropForeign(deps, page, tenant, summary);
    for (const category of WEBHOOK_CATEGORIES) {
      if (failed.has(category)) continue;
      const events = ours.filter((e) => e.EVENT_CATEGORY === category);
      if (events.length === 0) continue;
      const handler = handlers[HANDLER_OF[category]];
      if (!handler) summary.waiting += events.length;
      else if (!(await runCategory(deps, category, events, handler, summary))) failed.add(category);
    }
    if (page.length < pageSize) break;
  }
  if (summary.processed + summary.ignored > 0) await pruneProcessedWebhookEvents(deps.state);
  return summary;
}

/** Events stored while our tenant was not known yet, of another one: done with, nothing to fetch. */
async function dropForeign(deps: WebhookProcessDeps, page: PendingWebhookEvent[], tenant: string, summary: WebhookProcessSummary): Promise<PendingWebhookEvent[]> {
  if (!tenant) return page;
  const foreign = page.filter((e) => e.TENANT_ID.toLowerCase() !== tenant);
  if (foreign.length === 0) return page;
  summary.ignored += await markWebhookEventsProcessed(deps.state, foreign.map((e) => e.ID));
  deps.log.warn('webhook events of another Xero organisation ignored', { events: foreign.length, tenants: [...new Set(foreign.map((e) => e.TENANT_ID))] });
  return page.filter((e) => e.TENANT_ID.toLowerCase() === tenant);
}

/** Returns false when a handler call failed (the rest of the category waits for the next run). */
async function runCategory(
  deps: WebhookProcessDeps, category: WebhookCategory, events: PendingWebhookEvent[], handler: WebhookBatchHandler, summary: WebhookProcessSummary,
): Promise<boolean> {
  // Several events of one resource (created, then approved, then paid) are one id to fetch.
  const eventsOf = new Map<string, number[]>();
  for (const e of events) {
    const id = e.RESOURCE_ID.toLowerCase();
    eventsOf.set(id, [...(eventsOf.get(id) ?? []), e.ID]);
  }
  const size = Math.min(deps.batchSize ?? WEBHOOK_BATCH, WEBHOOK_BATCH);
  for (const ids of chunk([...eventsOf.keys()], size)) {
    deps.checkpoint?.();
    try {
      summary.results.push(await handler(ids));
      summary.handlerCalls++;
    } catch (error) {
      if (error instanceof PassInterruptedError) throw error;
      summary.handlerCalls++;
      summary.failures.push({ category, ids, error });
      deps.log.warn('webhook events left pending: their pull failed', { category, ids: ids.length, error: (error as Error)?.message ?? String(error) });
      return false;
    }
    summary.processed += await markWebhookEventsProcessed(deps.state, ids.flatMap((id) => eventsOf.get(id)!));
  }
  return true;
}
