import type { BankTransaction, CreditNote, Invoice, Payment } from 'xero-node';
import { getCursor, setCursor } from '../../state/cursors.ts';
import { firstLinkTime, linkedXeroIds, upsertTransaction } from '../../state/transactions.ts';
import { toDbUtc } from '../../state/state-db.ts';
import type { NewTransaction, StateDb } from '../../state/tables.ts';
import type { Page, PaymentQuery } from '../../xero/index.ts';
import {
  planBankTransaction, planCreditNote, planInvoiceBalance, planPayment, referencedIds, RECEIVE_TYPES, xeroTime,
  type LinkedIds, type PlannedTransaction,
} from '../plan/pull-transaction.ts';
import type { PushLogger } from '../push/push-context.ts';

/** Xero's page size for the paged list endpoints. */
export const TXN_PAGE = 100;

/** b_b24xero_cursor names: UpdatedDateUTC (ISO) of the newest record of the last page stored, per endpoint. */
export const TXN_CURSORS = {
  payments: 'pull:payments',
  creditNotes: 'pull:credit_notes',
  bank: 'pull:bank_transactions',
} as const;

export interface TransactionPullGateway {
  getPayments(q: PaymentQuery): Promise<Page<Payment>>;
  getCreditNotes(q: PaymentQuery): Promise<Page<CreditNote>>;
  getBankTransactions(q: PaymentQuery): Promise<Page<BankTransaction>>;
}

export interface TransactionPullContext {
  state: StateDb;
  gateway: TransactionPullGateway;
  /** Tenant the rows belong to ('' for a Custom Connection without one). */
  tenantId?: string;
  dryRun: boolean;
  log?: PushLogger;
}

export interface TransactionPullSummary {
  fetched: number;
  /** Rows written to b_b24xero_transaction (the pull of transactions queues no inbox row). */
  stored: number;
  calls: number;
  problems: string[];
}

export interface TransactionPullOptions {
  /** Invoices another reader already fetched (the invoice pull, webhooks): their balances are stored, no call made. */
  invoices?: readonly Invoice[];
  /** Only these feeds (default: all three). */
  feeds?: ReadonlyArray<keyof typeof TXN_CURSORS>;
}

/**
 * Copies Xero's money movements for linked invoices and contacts into b_b24xero_transaction for the dashboard
 * (plan/pull-transaction.ts says what is kept): payments, ACCREC credit notes with their allocations, RECEIVE bank
 * transactions (overpayments and prepayments included). Each feed is incremental — If-Modified-Since its own cursor,
 * pages of 100 in UpdatedDateUTC order, the cursor moved after each stored page — so an idle feed is one call. Rows
 * are upserts keyed by Xero id that keep the newer copy: a page read twice (a crash before its cursor moved) changes
 * nothing.
 */
export async function pullTransactions(ctx: TransactionPullContext, opts: TransactionPullOptions = {}): Promise<TransactionPullSummary> {
  const summary: TransactionPullSummary = { fetched: 0, stored: 0, calls: 0, problems: [] };
  if (opts.invoices?.length) summary.stored += await recordInvoiceBalances(ctx, opts.invoices);
  const feeds = opts.feeds ?? (['payments', 'creditNotes', 'bank'] as const);
  const start = await firstLinkTime(ctx.state);
  if (!start) return summary; // nothing linked: nothing of Xero's can be ours yet
  if (feeds.includes('payments')) {
    await feed(ctx, summary, TXN_CURSORS.payments, start, (q) => ctx.gateway.getPayments(q), (items, linked) => items.map((p) => planPayment(p, linked)), {});
  }
  if (feeds.includes('creditNotes')) {
    await feed(ctx, summary, TXN_CURSORS.creditNotes, start, (q) => ctx.gateway.getCreditNotes(q),
      (items, linked) => items.flatMap((c) => planCreditNote(c, linked)), { where: 'Type=="ACCRECCREDIT"' });
  }
  if (feeds.includes('bank')) {
    await feed(ctx, summary, TXN_CURSORS.bank, start, (q) => ctx.gateway.getBankTransactions(q),
      (items, linked) => items.map((b) => planBankTransaction(b, linked)), { where: RECEIVE_TYPES.map((t) => `Type=="${t}"`).join(' OR ') });
  }
  return summary;
}

/** Stores the balance rows of the linked ACCREC invoices among `invoices`; returns how many. */
export async function recordInvoiceBalances(ctx: Pick<TransactionPullContext, 'state' | 'tenantId' | 'dryRun'>, invoices: readonly Invoice[]): Promise<number> {
  const linked = await linkedOf(ctx.state, referencedIds({ invoices: [...invoices] }));
  return store(ctx, invoices.map((i) => planInvoiceBalance(i, linked)));
}

type Item = Payment | CreditNote | BankTransaction;

async function feed<T extends Item>(
  ctx: TransactionPullContext, summary: TransactionPullSummary, cursor: string, firstStart: Date,
  read: (q: PaymentQuery) => Promise<Page<T>>,
  plan: (items: T[], linked: LinkedIds) => Array<PlannedTransaction | null>,
  q: { where?: string },
): Promise<void> {
  const stored = await getCursor(ctx.state, cursor);
  const since = stored ? new Date(stored) : firstStart;
  for (let page = 1; ; page++) {
    summary.calls++;
    const { items } = await read({ ...q, order: 'UpdatedDateUTC ASC', page, pageSize: TXN_PAGE, modifiedSince: since });
    summary.fetched += items.length;
    const linked = await linkedOf(ctx.state, referencedIds({ payments: items as Payment[], creditNotes: items as CreditNote[], bank: items as BankTransaction[] }));
    summary.stored += await store(ctx, plan(items, linked));
    const newest = items.map((i) => xeroTime(i.updatedDateUTC)).filter((d): d is Date => d !== null).reduce<Date | null>((a, b) => (!a || b > a ? b : a), null);
    if (newest && !ctx.dryRun) await setCursor(ctx.state, cursor, newest.toISOString());
    if (items.length < TXN_PAGE) break;
  }
}

async function linkedOf(state: StateDb, ids: { invoices: string[]; contacts: string[] }): Promise<LinkedIds> {
  const [invoices, contacts] = await Promise.all([linkedXeroIds(state, 'invoice', ids.invoices), linkedXeroIds(state, 'contact', ids.contacts)]);
  return { invoices, contacts };
}

async function store(ctx: Pick<TransactionPullContext, 'state' | 'tenantId' | 'dryRun'>, planned: Array<PlannedTransaction | null>): Promise<number> {
  let n = 0;
  for (const t of planned) {
    if (!t) continue;
    n++;
    if (!ctx.dryRun) await upsertTransaction(ctx.state, toRow(ctx.tenantId ?? '', t));
  }
  return n;
}

function toRow(tenantId: string, t: PlannedTransaction): NewTransaction {
  return {
    TENANT_ID: tenantId, XERO_TYPE: t.xeroType, XERO_ID: t.xeroId, INVOICE_XERO_ID: t.invoiceXeroId, CONTACT_XERO_ID: t.contactXeroId,
    CONTACT_NAME: t.contactName?.slice(0, 255) ?? null, REFERENCE: t.reference?.slice(0, 255) ?? null, TXN_DATE: t.txnDate, DUE_DATE: t.dueDate,
    AMOUNT: t.amount.toFixed(4), AMOUNT_DUE: t.amountDue === null ? null : t.amountDue.toFixed(4), CURRENCY: t.currency.slice(0, 3) || 'XXX',
    STATUS: t.status.slice(0, 24), XERO_UPDATED_UTC: t.updatedUtc ? toDbUtc(t.updatedUtc) : null,
    RAW: null,
  };
}
