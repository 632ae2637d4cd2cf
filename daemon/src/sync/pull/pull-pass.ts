import { getCursor, setCursor } from '../../state/cursors.ts';
import { contactPullDue, pullContacts, type ContactPullSummary } from './contact-pull.ts';
import { linkImportResults } from './import-results.ts';
import { pullInvoices, type InvoicePullSummary } from './invoice-pull.ts';
import type { PullContext, PullSummary } from './pull-context.ts';
import { pullTransactions } from './transaction-pull.ts';

/** b_b24xero_cursor: when every transaction feed was last read (ISO). */
export const TXN_SWEEP_CURSOR = 'pull:transactions_swept';
/**
 * Bank receipts and unallocated credit notes change no invoice, so nothing else tells us of them: their feeds are
 * read every 6 hours (and at the nightly reconcile). Payments and allocations change their invoice, which the
 * invoice pull sees — so those feeds are read as soon as it saw a linked invoice change.
 */
export const TXN_SWEEP_MS = 6 * 3600_000;

export interface PullPassSummary extends PullSummary {
  invoices: InvoicePullSummary;
  transactionsStored: number;
  /** The contact pull, when it ran (hourly, and at the nightly reconcile); null otherwise. */
  contacts: ContactPullSummary | null;
}

/**
 * The pull part of a pass (issue 7's budget): the invoice pull (one call when idle), then the transaction feeds only
 * when something can have changed there. An idle pass costs one call; `everything` (the nightly reconcile) reads
 * every feed.
 */
export async function pullForPass(ctx: PullContext, opts: { everything?: boolean; now?: Date } = {}): Promise<PullPassSummary> {
  const invoices = await pullInvoices(ctx);
  const out: PullPassSummary = {
    calls: invoices.calls, fetched: invoices.fetched, queued: invoices.queued, problems: [...invoices.problems], invoices, transactionsStored: 0,
    contacts: null,
  };
  const now = opts.now ?? new Date();
  if (opts.everything ? ctx.settings.importContacts !== 'off' : await contactPullDue(ctx, now)) {
    const contacts = await pullContacts(ctx, { now });
    out.contacts = contacts;
    out.calls += contacts.calls;
    out.fetched += contacts.fetched;
    out.queued += contacts.queued;
    out.problems.push(...contacts.problems);
  } else {
    // What the applier made of earlier imports is linked every pass (a query, no call).
    await linkImportResults(ctx);
  }
  const swept = await getCursor(ctx.state, TXN_SWEEP_CURSOR);
  const sweep = opts.everything || !swept || now.getTime() - new Date(swept).getTime() >= TXN_SWEEP_MS;
  const feeds = sweep ? (['payments', 'creditNotes', 'bank'] as const)
    : invoices.changedInvoiceIds.length > 0 ? (['payments', 'creditNotes'] as const) : ([] as const);
  if (feeds.length > 0) {
    const txn = await pullTransactions({ state: ctx.state, gateway: ctx.gateway, tenantId: ctx.tenantId, dryRun: ctx.dryRun, log: ctx.log }, { feeds: [...feeds] });
    out.calls += txn.calls;
    out.fetched += txn.fetched;
    out.transactionsStored = txn.stored;
    out.problems.push(...txn.problems);
    // Only a sweep that read anything moves the clock: with nothing linked yet it made no call.
    if (sweep && !ctx.dryRun && txn.calls > 0) await setCursor(ctx.state, TXN_SWEEP_CURSOR, now.toISOString());
  }
  return out;
}
