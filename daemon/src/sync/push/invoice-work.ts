import type { DomainInvoice, InvoiceKind } from '../../domain/invoice.ts';
import type { EntityType, LinkRow } from '../../state/tables.ts';
import type { InvoicePlan } from '../plan/index.ts';

/** One invoice on its way to Xero within a pass. */
export interface InvoiceWork {
  entityType: Extract<EntityType, 'smart_invoice' | 'legacy_invoice'>;
  invoice: DomainInvoice;
  plan: Extract<InvoicePlan, { ok: true }>;
  link: LinkRow | undefined;
  /** Re-planned for a settings change only (no Bitrix edit): a Xero-owned invoice adopts the hash, no conflict. */
  settingsOnly?: boolean;
}

export const ENTITY_OF_KIND: Readonly<Record<InvoiceKind, InvoiceWork['entityType']>> = {
  smart: 'smart_invoice',
  legacy: 'legacy_invoice',
};
