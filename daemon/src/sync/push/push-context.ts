import type { Kysely } from 'kysely';
import type { Settings } from '../../domain/settings.ts';
import type { StateDb } from '../../state/tables.ts';
import type { GatewayLogger, XeroGateway } from '../../xero/index.ts';
import type { ContactCandidate, HistoryCandidate, OrgContext, OrgItem } from '../plan/index.ts';
import type { FieldChange } from '../plan/index.ts';
import { emptyStats, type PushStats } from './push-stats.ts';

/**
 * The part of the Xero gateway the push uses: a Pick of the real class, so the executor depends on the smallest
 * structural type (HOUSE-STYLE) and the pass can wrap it (api-call counting) without subclassing.
 */
export type PushGateway = Pick<XeroGateway,
  | 'getOrganisation' | 'getTaxRates' | 'getAccounts' | 'getCurrencies' | 'getItems'
  | 'getContacts' | 'createContacts' | 'updateContacts'
  | 'getInvoices' | 'createInvoices' | 'updateInvoices' | 'getOnlineInvoice'
  | 'updateItems'
  // The way back (sync/pull) reads through the same gateway, so both directions share one count and budget.
  | 'getPayments' | 'getCreditNotes' | 'getBankTransactions'>;

export type PushLogger = GatewayLogger;

/** One line of a dry run's plan (also kept for a real pass, where it is the --json detail). */
export interface PlanEntry {
  entity: string;
  id: number;
  action: 'create' | 'update' | 'unchanged' | 'skip' | 'conflict' | 'error' | 'recover';
  reason?: string;
  changes?: FieldChange[];
}

export interface PushContext {
  /** The Bitrix database: read b_crm_*, write b_b24xero_*. */
  db: Kysely<any>;
  state: StateDb;
  gateway: PushGateway;
  settings: Readonly<Settings>;
  instance: string;
  /** Tenant the gateway talks to ('' for a Custom Connection without one); stored on links. */
  tenantId: string;
  /** No write endpoint is called and no state row changes (except the run row). */
  dryRun: boolean;
  runId: number | null;
  /** Bitrix's IANA zone (BITRIX_TIMEZONE), to compare its naive times with ours; unknown disables that shortcut. */
  timeZone?: string;
  log: PushLogger;
  /**
   * The module's settings changed since linked records were last planned (settings-replan.ts): every invoice read
   * this pass is planned, none settled by the "not modified since its push" shortcut.
   */
  settingsChanged?: boolean;
  /**
   * 'YYYY-MM-DD': invoices not yet in Xero are created only when changed on or after it (plan/push-decision.ts
   * shouldCreate); undefined or null: no start line (backfill, and tests of other things).
   */
  startLine?: string | null;
  /**
   * The organisation's whole contact book, read in bulk (backfill): payers not linked yet are matched against it
   * (ContactNumber, name, email) before any create, instead of one look-up per refusal.
   */
  knownContacts?: ReadonlyArray<ContactCandidate & { contactID: string }>;
  /**
   * Invoices Xero already holds, by '<entity type>:<id>' (backfill's matchHistory): they are linked to that Xero
   * invoice instead of created, whatever the start line and their stage say.
   */
  historyMatches?: ReadonlyMap<string, HistoryCandidate>;
  stats: PushStats;
  /** What the pass did or would do, per record: every entry in a dry run, only errors and conflicts otherwise. */
  plan: PlanEntry[];
  note(entry: PlanEntry): void;
  /** Items created or updated this pass: Xero has them although the reference data read at the start does not. */
  pushedItems: Map<string, OrgItem>;
  /**
   * Invoice creates waiting to fill a batch of 50 across read pages (their intents already committed); the pass
   * sends the rest at its end (invoice-writes.ts flushCreates).
   */
  pendingCreates: unknown[];
  /**
   * The organisation's reference data, read on first need (an idle pass costs no API call). Asked again before each
   * planning step, since a failure that shows it stale may replace it mid-pass (org-source.ts).
   */
  org(): Promise<OrgContext>;
}

export interface NewPushContext extends Omit<PushContext, 'stats' | 'plan' | 'note' | 'state' | 'pushedItems' | 'pendingCreates'> {
  /** Called with the code of every record failure (the first word of its reason), e.g. to spot a stale context. */
  onFailure?: (code: string) => void;
}

export function createPushContext(input: NewPushContext): PushContext {
  const { onFailure, ...rest } = input;
  const plan: PlanEntry[] = [];
  return {
    ...rest,
    state: input.db as StateDb,
    stats: emptyStats(),
    plan,
    pushedItems: new Map(),
    pendingCreates: [],
    // A real pass over a large portal would otherwise hold one entry per unchanged invoice in memory.
    note(entry) {
      if (input.dryRun || entry.action === 'error' || entry.action === 'conflict') plan.push(entry);
      if (entry.action !== 'error' || !onFailure) return;
      const code = failureCode(entry.reason);
      if (code !== null) onFailure(code);
    },
  };
}

/** The code of a failure entry: its reason is `<code>: <message>` (record-failure.ts), so the first word. */
export function failureCode(reason: string | undefined): string | null {
  const match = /^([a-z0-9_]+):/.exec(reason ?? '');
  return match?.[1] ?? null;
}
