import { enqueueInbox } from '../../state/inbox.ts';
import { markLinkSynced } from '../../state/links.ts';
import { recordError, resolveError } from '../../state/record-errors.ts';
import type { Invoice } from '../../xero/index.ts';
import { invoiceContentOf, roundingWarning } from '../plan/index.ts';
import { saveSeenInvoice } from '../../state/invoice-seen.ts';
import { upsertSyncedLink, xeroUpdatedUtc } from './link-queries.ts';
import type { PushContext } from './push-context.ts';
import { clearFailure } from './record-failure.ts';
import type { InvoiceWork } from './invoice-work.ts';

/**
 * Where staff open the invoice in Xero. Xero has an online (customer) invoice only once an invoice is approved, so
 * DRAFT and SUBMITTED invoices get the organisation user's deep link instead — it opens the draft for anyone logged
 * in to the organisation, which is who reads UF_CRM_XERO_URL in Bitrix.
 */
export function xeroDeepLink(invoiceID: string): string {
  return `https://go.xero.com/AccountsReceivable/View.aspx?InvoiceID=${invoiceID}`;
}

async function invoiceUrl(ctx: PushContext, invoiceID: string, status: string): Promise<string> {
  if (status === 'DRAFT' || status === 'SUBMITTED') return xeroDeepLink(invoiceID);
  try {
    return (await ctx.gateway.getOnlineInvoice(invoiceID)) ?? xeroDeepLink(invoiceID);
  } catch (error) {
    ctx.log.warn('online invoice link unavailable; storing the deep link', { invoiceID, error: (error as Error).message });
    return xeroDeepLink(invoiceID);
  }
}

/**
 * After Xero created, updated or (recovery) turned out to hold the invoice: the link becomes synced with the hash of
 * what Xero now has, and an inbox row asks the module to store XML_ID, UF_CRM_XERO_STATUS and UF_CRM_XERO_URL — in
 * ONE transaction, so a crash can never leave a synced link whose Bitrix binding was not queued (the next pass would
 * see an unchanged hash and never queue it). A crash before the commit leaves the link 'creating': find-before-create.
 */
export interface SettleOptions {
  /** The invoice has no link row yet (backfill links what Xero already held): insert it with this key. */
  newLinkKey?: string;
  /**
   * Store the organisation user's deep link without asking Xero for the online invoice (one call each): backfill
   * links hundreds of approved invoices of the history at once.
   */
  deepLinkOnly?: boolean;
}

export async function settleInvoice(ctx: PushContext, work: InvoiceWork, xero: Invoice, contentHash: string | null, options: SettleOptions = {}): Promise<void> {
  const invoiceID = String(xero.invoiceID).toLowerCase();
  const status = String(xero.status ?? '').toUpperCase();
  const previous = work.link;
  const bindingStale = previous?.XERO_ID !== invoiceID || previous.XERO_STATUS !== status || work.invoice.xmlId?.toLowerCase() !== invoiceID;
  const url = !bindingStale ? null : options.deepLinkOnly ? xeroDeepLink(invoiceID) : await invoiceUrl(ctx, invoiceID, status);
  await ctx.state.transaction().execute(async (trx) => {
    if (options.newLinkKey) {
      await upsertSyncedLink(trx, {
        entityType: work.entityType, entityId: work.invoice.id, xeroId: invoiceID, idempotencyKey: options.newLinkKey,
        contentHash, xeroNumber: xero.invoiceNumber ?? null, tenantId: ctx.tenantId,
      });
    }
    await markLinkSynced(trx, { entityType: work.entityType, entityId: work.invoice.id }, {
      xeroId: invoiceID, contentHash, xeroStatus: status, xeroNumber: xero.invoiceNumber ?? null,
      xeroUpdatedUtc: xeroUpdatedUtc(xero.updatedDateUTC), tenantId: ctx.tenantId,
    });
    // What Xero now holds is the base a later Xero-side edit is told apart by (pull), when its answer carries lines.
    const content = invoiceContentOf(xero as never);
    if (content) await saveSeenInvoice(trx, invoiceID, content);
    if (url !== null) {
      await enqueueInbox(trx, {
        entityType: work.entityType, entityId: work.invoice.id, action: 'set_fields',
        payload: { fields: { XML_ID: invoiceID, UF_CRM_XERO_STATUS: status, UF_CRM_XERO_URL: url } },
      });
    }
  });
  await clearFailure(ctx, work.entityType, work.invoice.id, 'push');
  await checkRounding(ctx, work, xero);
}

/** Xero's Total against Bitrix's: a warning with both figures only when they differ by more than a cent. */
export async function checkRounding(ctx: PushContext, work: InvoiceWork, xero: Invoice): Promise<void> {
  if (xero.total === undefined || xero.total === null) return;
  const warning = roundingWarning(Number(xero.total), work.invoice.total, work.invoice.currency);
  if (ctx.dryRun) return;
  const key = { entityType: work.entityType, entityId: work.invoice.id, operation: 'rounding' };
  if (!warning) {
    await resolveError(ctx.state, key);
    return;
  }
  ctx.stats.warnings++;
  await recordError(ctx.state, {
    ...key, severity: 'warning', errorClass: 'never', code: warning.code, message: warning.message,
    details: warning.details, runId: ctx.runId,
  });
}
