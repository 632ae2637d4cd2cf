import type { DomainInvoice } from '../../domain/invoice.ts';
import type { Settings } from '../../domain/settings.ts';

export const SKIP_REASONS = ['sync_disabled', 'failure_stage', 'skip_stage', 'kind_disabled'] as const;
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
