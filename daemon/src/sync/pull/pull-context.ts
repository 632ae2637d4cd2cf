import type { Kysely } from 'kysely';
import type { Settings } from '../../domain/settings.ts';
import type { StateDb } from '../../state/tables.ts';
import type { XeroGateway } from '../../xero/index.ts';
import type { PushLogger } from '../push/push-context.ts';

/** What the pull side reads from Xero (all GETs: the way back never writes to Xero). */
export type PullGateway = Pick<XeroGateway,
  | 'getInvoices' | 'getContacts' | 'getOnlineInvoice'
  | 'getPayments' | 'getCreditNotes' | 'getBankTransactions'>;

/**
 * What every puller gets (the pass builds it from its PushContext, the webhook processor from the daemon's deps).
 * A puller reads Xero and b_crm_* and writes only b_b24xero_* — what must change in Bitrix becomes an inbox row
 * (ARCHITECTURE rule 1).
 */
export interface PullContext {
  /** The Bitrix database: read b_crm_*, write b_b24xero_*. */
  db: Kysely<any>;
  state: StateDb;
  gateway: PullGateway;
  settings: Readonly<Settings>;
  /** Tenant the gateway talks to ('' for a Custom Connection without one). */
  tenantId: string;
  /** Nothing is queued and no cursor moves; what would be queued is logged and counted. */
  dryRun: boolean;
  log: PushLogger;
  runId?: number | null;
}

/** Options every puller takes. */
export interface PullOptions {
  /**
   * Only these Xero ids (webhook events, `IDs=` up to 100 a call); the stored cursor is neither read nor moved.
   * Without it the puller reads If-Modified-Since its cursor.
   */
  ids?: readonly string[];
}

/** What every puller returns; the pass adds them up into its stats. */
export interface PullSummary {
  /** GET calls made. */
  calls: number;
  /** Xero records read. */
  fetched: number;
  /** Inbox rows queued (or, in a dry run, that would be). */
  queued: number;
  problems: string[];
}

export function emptyPullSummary(): PullSummary {
  return { calls: 0, fetched: 0, queued: 0, problems: [] };
}
