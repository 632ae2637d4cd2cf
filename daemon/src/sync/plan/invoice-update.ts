import type { InvoicePayload } from './xero-payload.ts';
import { contentHash } from './content-hash.ts';
import type { PlanError } from './plan-result.ts';

/** Xero statuses in which Bitrix is still master of the invoice's content (ARCHITECTURE rule 5). */
export const EDITABLE_XERO_STATUSES = ['DRAFT', 'SUBMITTED'] as const;

export interface InvoiceLinkState {
  /** b_b24xero_link.XERO_ID */
  xeroId: string;
  /** b_b24xero_link.CONTENT_HASH: hash of what was last pushed, null if never recorded. */
  contentHash: string | null;
}

export type InvoiceUpdateDecision =
  /** Nothing changed in Bitrix since the last push: no call. */
  | { action: 'unchanged'; hash: string }
  /** POST /Invoices/{invoiceID} with `payload` (no status: Xero keeps its own), then store `hash`. */
  | { action: 'update'; invoiceID: string; payload: InvoicePayload; hash: string }
  /**
   * Bitrix changed after Xero approved (or voided/deleted) the invoice: record `error` (OPERATION 'conflict'), never
   * push content. Store neither hash nor payload, so the conflict stays visible until someone resolves it.
   */
  | { action: 'conflict'; invoiceID: string; xeroStatus: string; hash: string; error: PlanError };

/**
 * What to do with an invoice that is already in Xero, given Xero's current copy (its status is all that is read) and
 * the freshly planned create payload.
 */
export function planInvoiceUpdate(
  link: InvoiceLinkState,
  xeroInvoice: { invoiceID?: string | undefined; status?: unknown },
  newPayload: InvoicePayload,
): InvoiceUpdateDecision {
  const hash = contentHash('invoice', newPayload);
  if (link.contentHash === hash) return { action: 'unchanged', hash };

  const invoiceID = xeroInvoice.invoiceID ?? link.xeroId;
  const xeroStatus = String(xeroInvoice.status ?? '').toUpperCase();
  if ((EDITABLE_XERO_STATUSES as readonly string[]).includes(xeroStatus)) {
    const { status: _createStatus, ...content } = newPayload;
    return { action: 'update', invoiceID, payload: { ...content, invoiceID }, hash };
  }
  return {
    action: 'conflict',
    invoiceID,
    xeroStatus,
    hash,
    error: {
      code: 'approved_in_xero',
      message:
        `The invoice changed in Bitrix after Xero marked it ${xeroStatus || 'with an unknown status'}; Xero now owns it, ` +
        'so the change was not sent — edit it in Xero (or credit/void it there) and mark this resolved',
      class: 'never',
    },
  };
}
