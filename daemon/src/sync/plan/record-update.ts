import type { ContactPayload, ItemPayload } from './xero-payload.ts';

/** What the link table says about a contact or item already in Xero. */
export interface RecordLinkState {
  xeroId: string;
  contentHash: string | null;
}

export type ContactUpdateDecision =
  | { action: 'unchanged'; hash: string }
  /** POST /Contacts/{contactID} with `payload`, then store `hash`. */
  | { action: 'update'; contactID: string; payload: ContactPayload; hash: string };

export type ItemUpdateDecision =
  | { action: 'unchanged'; hash: string }
  /** POST /Items/{itemID} with `payload`, then store `hash`. */
  | { action: 'update'; itemID: string; payload: ItemPayload; hash: string };

/**
 * Contacts and items have no approval lock in Xero: Bitrix is master of the fields we send, so a changed hash is an
 * update. (An archived contact is caught by matchContact before this.)
 */
export function planContactUpdate(link: RecordLinkState, plan: { payload: ContactPayload; hash: string }): ContactUpdateDecision {
  if (link.contentHash === plan.hash) return { action: 'unchanged', hash: plan.hash };
  return { action: 'update', contactID: link.xeroId, payload: { ...plan.payload, contactID: link.xeroId }, hash: plan.hash };
}

export function planItemUpdate(link: RecordLinkState, plan: { payload: ItemPayload; hash: string }): ItemUpdateDecision {
  if (link.contentHash === plan.hash) return { action: 'unchanged', hash: plan.hash };
  return { action: 'update', itemID: link.xeroId, payload: { ...plan.payload, itemID: link.xeroId }, hash: plan.hash };
}
