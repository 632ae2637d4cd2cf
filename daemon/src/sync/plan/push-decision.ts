import type { DomainInvoice } from '../../domain/invoice.ts';
import type { Settings } from '../../domain/settings.ts';

export const SKIP_REASONS = ['sync_disabled', 'failure_stage', 'skip_stage', 'kind_disabled', 'before_start_line', 'closed_history'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export type PushDecision = { action: 'push' } | { action: 'skip'; reason: SkipReason; message: string };

/**
 * Whether an invoice should be in Xero at all. With no settings saved every invoice whose "Sync with Xero" is on
 * (NULL counts as on; the reader maps it) and whose stage is not a failure stage is pushed.
 */
export function shouldPush(
  invoice: Pick<DomainInvoice, 'kind' | 'syncEnabled' | 'stage'>,
  settings: Pick<Settings, 'invoiceKinds' | 'statusMap'>,
): PushDecision {
  if (!settings.invoiceKinds.includes(invoice.kind)) {
    return { action: 'skip', reason: 'kind_disabled', message: `${invoice.kind} invoices are not synced (module option "which invoices sync")` };
  }
  if (!invoice.syncEnabled) {
    return { action: 'skip', reason: 'sync_disabled', message: '"Sync with Xero" is off on this invoice' };
  }
  if (invoice.stage.semantics === 'failure') {
    return { action: 'skip', reason: 'failure_stage', message: `Stage ${invoice.stage.name || invoice.stage.id} is a failure stage` };
  }
  if (settings.statusMap.skipStages?.includes(invoice.stage.id)) {
    return { action: 'skip', reason: 'skip_stage', message: `Stage ${invoice.stage.name || invoice.stage.id} is set not to sync` };
  }
  return { action: 'push' };
}

/**
 * Whether an invoice Xero does not hold yet may be created there by ongoing sync. History stays out: an invoice
 * last changed before the start line (option start_date, the install day by default), or one already closed in
 * Bitrix (success or failure semantics: paid or declined there) is never created as a Xero draft — `b24xero backfill`
 * is the one way to bring such invoices across. Times are Bitrix's naive local ones, so comparing the date part
 * needs no zone. An invoice with no change time is judged by its date; with neither, it is let through.
 */
export function shouldCreate(
  invoice: Pick<DomainInvoice, 'stage' | 'updatedAt' | 'issueDate'>,
  startLine: string | null,
): PushDecision {
  if (invoice.stage.semantics === 'success' || invoice.stage.semantics === 'failure') {
    return { action: 'skip', reason: 'closed_history', message: `Stage ${invoice.stage.name || invoice.stage.id} is closed in Bitrix; a closed invoice is not created in Xero as a draft (b24xero backfill links or creates history)` };
  }
  const changed = invoice.updatedAt?.slice(0, 10) ?? invoice.issueDate;
  if (startLine && changed && changed < startLine) {
    return { action: 'skip', reason: 'before_start_line', message: `last changed ${changed}, before the start line ${startLine} (module option start_date); b24xero backfill brings history across` };
  }
  return { action: 'push' };
}
