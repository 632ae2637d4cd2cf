/**
 * The seam between the simulator's platform (HTTP server, identity, limits, idempotency, faults, webhooks, admin
 * infrastructure: test/sim/platform/) and its accounting engine (organisations and the Accounting API's business rules:
 * test/sim/accounting/). The platform authenticates, rate-limits and logs a request, then hands it to the engine.
 */

/** Simulated time: the platform owns it (time scale, manual advance); the engine only reads it. */
export interface SimClock {
  now(): Date;
}

export type OrgCountry = 'NZ' | 'AU' | 'UK' | 'US';

export interface OrgOptions {
  country: OrgCountry;
  /** Defaults per country, e.g. 'Demo Company (NZ)'. */
  name?: string;
  /** Defaults to a random UUID. */
  tenantId?: string;
}

export interface AccountingRequest {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  /** Path below /api.xro/2.0, e.g. '/Invoices' or '/Invoices/3f1c…/Email'. Case as sent. */
  path: string;
  query: URLSearchParams;
  /** Header names lower-cased. */
  headers: Record<string, string | undefined>;
  /** Parsed JSON body, or undefined when there is none (xero-node sends `{}` even on GETs). */
  body: unknown;
}

export interface AccountingResponse {
  status: number;
  /** JSON body (serialised by the platform), or undefined for an empty body (204). */
  body?: unknown;
  headers?: Record<string, string>;
  /** Non-JSON body (e.g. a PDF); wins over `body`. */
  raw?: { contentType: string; data: Buffer | string };
}

/** What the engine tells the platform after a change, so it can emit signed webhooks. */
export interface ChangeEvent {
  tenantId: string;
  category: 'INVOICE' | 'CONTACT' | 'CREDITNOTE';
  type: 'CREATE' | 'UPDATE';
  resourceId: string;
  eventDateUtc: string;
  /** CREDITNOTE events only: the credit note's Type and Status, which Xero puts in the event (reference §7). */
  data?: { Type: string; Status: string };
}

/** One tenant's books. Created by the engine, held by the platform, JSON-serialisable for snapshots. */
export interface Organisation {
  readonly tenantId: string;
  readonly name: string;
  readonly country: OrgCountry;
  readonly baseCurrency: string;
  /** Handles one Accounting API call (already authenticated, rate-limited and idempotency-checked). */
  handle(req: AccountingRequest): AccountingResponse;
  /** Handles a business admin action under /_sim/tenants/{tenantId}/… acting as a Xero user (approve, pay, void, …). */
  admin(action: string, method: string, body: unknown): AccountingResponse;
  /** Subscribe to changes (for webhooks). Returns an unsubscribe function. */
  onChange(listener: (event: ChangeEvent) => void): () => void;
  /** Snapshot of the whole state. */
  toJSON(): unknown;
}

/** Implemented by test/sim/accounting/index.ts. */
export interface AccountingEngine {
  createOrganisation(options: OrgOptions, clock: SimClock): Organisation;
  restoreOrganisation(snapshot: unknown, clock: SimClock): Organisation;
}
