import type { ColumnType, Generated, Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { ErrorClass } from '../domain/error-class.ts';

/**
 * Kysely types of the module-owned tables (sql/*.sql is the source of truth; keep the two in step).
 *
 * How values come back over the pool of daemon/src/db/connect.ts:
 * - DATETIME(3) / DATE are the database's own strings ('2026-11-21 10:00:00.000', '2026-11-21'); module times are
 *   UTC (write them with UTC_TIMESTAMP(3) or `toDbUtc()` of state-db.ts), never a JS Date, so no driver zone conversion sneaks in.
 * - DECIMAL is a string, so money is never a binary float.
 * - BIGINT UNSIGNED ids are numbers (supportBigNumbers without bigNumberStrings: exact below 2^53).
 */

/** A column the database fills on insert when omitted (AUTO_INCREMENT or DEFAULT). */
type Defaulted<T> = ColumnType<T, T | undefined, T>;

export const ENTITY_TYPES = ['smart_invoice', 'legacy_invoice', 'contact', 'company', 'product'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

export const LINK_XERO_TYPES = ['invoice', 'contact', 'item'] as const;
export type LinkXeroType = (typeof LINK_XERO_TYPES)[number];

export const LINK_STATES = ['creating', 'synced', 'conflict', 'deleted'] as const;
export type LinkState = (typeof LINK_STATES)[number];

export interface LinkTable {
  ID: Generated<number>;
  ENTITY_TYPE: EntityType;
  ENTITY_ID: number;
  XERO_TYPE: LinkXeroType;
  /** NULL while STATE = 'creating'. */
  XERO_ID: string | null;
  STATE: LinkState;
  IDEMPOTENCY_KEY: string;
  CONTENT_HASH: string | null;
  XERO_STATUS: string | null;
  XERO_NUMBER: string | null;
  XERO_UPDATED_UTC: string | null;
  TENANT_ID: Defaulted<string>;
  CREATED_AT: string;
  UPDATED_AT: string;
}

export interface CursorTable {
  NAME: string;
  VALUE: string;
  UPDATED_AT: string;
}

export const RUN_KINDS = ['sync', 'scan', 'pull', 'backfill', 'retry', 'feed', 'push', 'reconcile'] as const;
export type RunKind = (typeof RUN_KINDS)[number];
export const RUN_STATUSES = ['running', 'ok', 'failed', 'interrupted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export interface RunTable {
  ID: Generated<number>;
  INSTANCE: string;
  KIND: RunKind;
  STATUS: RunStatus;
  /** host:pid of the process that runs it. */
  OWNER: Defaulted<string>;
  DRY_RUN: Defaulted<'Y' | 'N'>;
  STARTED_AT: string;
  FINISHED_AT: string | null;
  /** JSON object of counters (RunStats in runs.ts). */
  STATS: string | null;
  ERROR: string | null;
}

export { ERROR_CLASSES, type ErrorClass } from '../domain/error-class.ts';
export const ERROR_SEVERITIES = ['error', 'warning'] as const;
export type ErrorSeverity = (typeof ERROR_SEVERITIES)[number];

export interface RecordErrorTable {
  ID: Generated<number>;
  ENTITY_TYPE: EntityType;
  ENTITY_ID: number;
  /** push | read | apply | rounding | conflict | ... */
  OPERATION: string;
  SEVERITY: Defaulted<ErrorSeverity>;
  CLASS: ErrorClass;
  CODE: string;
  MESSAGE: string;
  /** JSON, secrets redacted before it gets here. */
  DETAILS: string | null;
  ATTEMPTS: Defaulted<number>;
  FIRST_SEEN_AT: string;
  LAST_SEEN_AT: string;
  NEXT_RETRY_AT: string | null;
  RESOLVED_AT: string | null;
  RUN_ID: number | null;
}

export const INBOX_STATES = ['pending', 'applied', 'failed', 'superseded'] as const;
export type InboxState = (typeof INBOX_STATES)[number];

export interface InboxTable {
  ID: Generated<number>;
  ENTITY_TYPE: EntityType;
  /** NULL for an import that creates the entity. */
  ENTITY_ID: number | null;
  /** One of the actions of sql/inbox/ (set_fields, set_stage, set_invoice_content, import_contact, import_company, update_party). */
  ACTION: string;
  /** JSON object. */
  PAYLOAD: string;
  STATE: Defaulted<InboxState>;
  /** Set only while pending; a second pending row with the same key supersedes the first (see inbox.ts). */
  DEDUPE_KEY: string | null;
  ATTEMPTS: Defaulted<number>;
  ERROR: string | null;
  CREATED_AT: string;
  APPLIED_AT: string | null;
}

export const CHANGE_ACTIONS = ['add', 'update', 'delete'] as const;
export type ChangeAction = (typeof CHANGE_ACTIONS)[number];

export interface ChangeTable {
  ID: Generated<number>;
  ENTITY_TYPE: EntityType;
  ENTITY_ID: number;
  ACTION: ChangeAction;
  CREATED_AT: string;
  CLAIMED_BY: string | null;
  CLAIMED_UNTIL: string | null;
}

export const TRANSACTION_XERO_TYPES = ['payment', 'bank_transaction', 'invoice', 'credit_note'] as const;
export type TransactionXeroType = (typeof TRANSACTION_XERO_TYPES)[number];

export interface TransactionTable {
  ID: Generated<number>;
  TENANT_ID: string;
  XERO_TYPE: TransactionXeroType;
  XERO_ID: string;
  INVOICE_XERO_ID: string | null;
  CONTACT_XERO_ID: string | null;
  CONTACT_NAME: string | null;
  REFERENCE: string | null;
  TXN_DATE: string | null;
  DUE_DATE: string | null;
  /** DECIMAL(18,4) as a string. */
  AMOUNT: Defaulted<string>;
  AMOUNT_DUE: string | null;
  CURRENCY: string;
  STATUS: string;
  XERO_UPDATED_UTC: string | null;
  /** JSON of the Xero object as received. */
  RAW: string | null;
}

export interface GovernorTable {
  TENANT_ID: string;
  DAY_UTC: string;
  DAY_USED: Defaulted<number>;
  DAY_REMAINING: number | null;
  MIN_REMAINING: number | null;
  BLOCKED_UNTIL: string | null;
  UPDATED_AT: string;
}

export interface WebhookEventTable {
  ID: Generated<number>;
  DEDUPE_KEY: string;
  TENANT_ID: string;
  EVENT_CATEGORY: string;
  EVENT_TYPE: string;
  RESOURCE_ID: string;
  EVENT_DATE_UTC: string;
  RECEIVED_AT: string;
  PROCESSED_AT: string | null;
}

export interface TokenTable {
  INSTANCE: string;
  TENANT_ID: Defaulted<string>;
  /** Encrypted JSON token set. */
  TOKEN_SET: string;
  EXPIRES_AT: string | null;
  VERSION: Defaulted<number>;
  UPDATED_AT: string;
}

/** What an applied import did, written by the module applier (sql/003_inbox_result.sql, sql/inbox/README.md). */
export interface InboxResultTable {
  INBOX_ID: number;
  /** JSON: { entityId, created, persons? }. */
  RESULT: string;
  CREATED_AT: string;
}

/** One cached Xero organisation context per tenant (sql/002_org_cache.sql, sync/push/org-cache.ts). */
export interface OrgCacheTable {
  /** '' for a Custom Connection without a tenant id. */
  TENANT_ID: string;
  /** Versioned JSON (sync/push/org-context-json.ts). */
  CONTEXT: string;
  FETCHED_AT: string;
}

/** A contact/company whose Xero name carries a qualifier because the plain one was taken (sql/035_contact_name.sql). */
export interface ContactNameTable {
  ENTITY_TYPE: EntityType;
  ENTITY_ID: number;
  NAME_SUFFIX: string;
  UPDATED_AT: string;
}

/** A Xero contact as the contact pull last saw it (sql/036_contact_seen.sql, sync/pull/contact-pull.ts). */
export interface ContactSeenTable {
  XERO_ID: string;
  /** JSON XeroPartyView (sync/plan/contact-import.ts). */
  VIEW_JSON: string;
  XERO_UPDATED_UTC: string | null;
  UPDATED_AT: string;
}

/** A linked Xero invoice's content as last seen (sql/037_invoice_seen.sql, sync/plan/invoice-content.ts). */
export interface InvoiceSeenTable {
  XERO_ID: string;
  CONTENT_JSON: string;
  UPDATED_AT: string;
}

/** Written only by the migrator (migrations.ts); created by it, not by a sql/ file. */
export interface MigrationTable {
  VERSION: number;
  NAME: string;
  /** sha256 hex of the file with CRLF normalised to LF. */
  CHECKSUM: string;
  APPLIED_AT: string;
}

/** Every module-owned table. Combine with the Bitrix read types: `Kysely<StateTables & BitrixTables>`. */
export interface StateTables {
  b_b24xero_link: LinkTable;
  b_b24xero_cursor: CursorTable;
  b_b24xero_run: RunTable;
  b_b24xero_record_error: RecordErrorTable;
  b_b24xero_inbox: InboxTable;
  b_b24xero_inbox_result: InboxResultTable;
  b_b24xero_change: ChangeTable;
  b_b24xero_transaction: TransactionTable;
  b_b24xero_governor: GovernorTable;
  b_b24xero_webhook_event: WebhookEventTable;
  b_b24xero_token: TokenTable;
  b_b24xero_org_cache: OrgCacheTable;
  b_b24xero_contact_name: ContactNameTable;
  b_b24xero_contact_seen: ContactSeenTable;
  b_b24xero_invoice_seen: InvoiceSeenTable;
  b_b24xero_migration: MigrationTable;
}

/**
 * What state repositories take first: a Kysely or a Transaction (Transaction extends Kysely), so the caller owns
 * the transaction. A Kysely typed with more tables is not assignable (Kysely's generics are invariant); narrow it
 * with `asStateDb()` from state-db.ts.
 */
export type StateDb = Kysely<StateTables>;

export type LinkRow = Selectable<LinkTable>;
export type NewLink = Insertable<LinkTable>;
export type LinkUpdate = Updateable<LinkTable>;
export type CursorRow = Selectable<CursorTable>;
export type RunRow = Selectable<RunTable>;
export type RecordErrorRow = Selectable<RecordErrorTable>;
export type InboxRow = Selectable<InboxTable>;
export type NewInboxRow = Insertable<InboxTable>;
export type InboxResultRow = Selectable<InboxResultTable>;
export type ChangeRow = Selectable<ChangeTable>;
export type TransactionRow = Selectable<TransactionTable>;
export type NewTransaction = Insertable<TransactionTable>;
export type GovernorRow = Selectable<GovernorTable>;
export type WebhookEventRow = Selectable<WebhookEventTable>;
export type TokenRow = Selectable<TokenTable>;
export type OrgCacheRow = Selectable<OrgCacheTable>;
export type MigrationRow = Selectable<MigrationTable>;
