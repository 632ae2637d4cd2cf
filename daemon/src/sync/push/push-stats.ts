/** Counters of one pass, stored as b_b24xero_run.STATS and printed by `sync --once`. */
export interface PushStats {
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  conflicts: number;
  failed: number;
  recovered: number;
  /** Invoices of the history that Xero already held (backfill): linked, not created. */
  linked: number;
  contactsCreated: number;
  contactsUpdated: number;
  itemsPushed: number;
  warnings: number;
  apiCalls: number;
  /** Inbox rows the pull queued for Bitrix (stage moves and Xero fields). */
  pulled: number;
}

export function emptyStats(): PushStats {
  return {
    created: 0, updated: 0, unchanged: 0, skipped: 0, conflicts: 0, failed: 0, recovered: 0, linked: 0,
    contactsCreated: 0, contactsUpdated: 0, itemsPushed: 0, warnings: 0, apiCalls: 0, pulled: 0,
  };
}
