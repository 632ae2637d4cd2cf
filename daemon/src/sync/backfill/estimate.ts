/** Xero's batch size for creates and updates. */
const BATCH = 50;

export interface CallEstimate {
  /** Bulk read of the contact book and the sales invoices (pages of 100). */
  read: number;
  /** Creates and updates of invoices, contacts and items, page by page; the organisation's reference data. */
  writes: number;
  total: number;
}

/**
 * An upper bound of the Xero calls a backfill spends, printed before it starts (issue 10: "stays within the printed
 * call count"). Per page of Bitrix invoices, at most one batch of 50 each for the invoice creates, the payer contacts'
 * creates and the matched contacts' updates, and the items the page uses; plus the five reads of the organisation's
 * reference data. Linked invoices cost nothing beyond the bulk read (their link is the deep link, not the online one).
 */
export function estimateCalls(input: { readCalls: number; pages: readonly number[]; products: number }): CallEstimate {
  let writes = 5;
  for (const n of input.pages) writes += 3 * Math.ceil(n / BATCH) + Math.ceil(input.products / BATCH);
  return { read: input.readCalls, writes, total: input.readCalls + writes };
}
