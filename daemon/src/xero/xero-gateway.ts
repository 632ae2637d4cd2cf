import { checkXeroAccess } from './access-check.ts';
import { XeroClient, type AccountingApi } from 'xero-node';
import type {
  Account, BankTransaction, Contact, CreditNote, Currency, Invoice, Item, Organisation, Payment, TaxRate,
} from 'xero-node';
import { toBatchResult, type BatchResult } from './batch-result.ts';
import { systemClock, type Clock } from './clock.ts';
import { correlationIdOf, toXeroError, XeroApiError, type XeroErrorType } from './errors.ts';
import { resolveGatewayOptions, type GatewayLogger, type ResolvedGatewayOptions, type XeroGatewayOptions } from './gateway-options.ts';
import { RateGovernor, type GovernorBudgetStore, type GovernorSnapshot } from './governor.ts';
import { IdentityClient } from './identity-client.ts';
import { MemoryBudgetStore } from './memory-budget-store.ts';
import { readLimitHeaders } from './rate-limit-headers.ts';
import { SecretRedactor } from '../util/redact.ts';
import { requestDeadline } from './request-deadline.ts';
import { ClientCredentialsTokens, RefreshTokenTokens, type AccessToken, type AccessTokenProvider } from './token-provider.ts';
import type { RefreshTokenStore } from './token-store-port.ts';

/** Xero recommends batches of up to 50 (ARCHITECTURE rule 6); larger ones are a caller bug. */
export const MAX_BATCH = 50;

/** One HTTP answer (or failure) of an Accounting API call, for metrics: `onCall` gets one per attempt. */
export interface XeroCallRecord {
  operation: string;
  /** HTTP status; 0 when no answer arrived (network, timeout) or nothing was sent (budget spent). */
  status: number;
  ms: number;
  rateLimited: boolean;
  correlationId: string | null;
  /** The failure's XeroApiError type ('network', 'server', 'budget_exhausted'…); null for an answer that succeeded. */
  errorType: XeroErrorType | null;
}

/**
 * What the gateway is handed instead of building it (runtime/compose.ts wires the daemon's state/ implementations
 * in): so xero/ knows no table and state/ is never imported from here.
 */
export interface XeroGatewayDeps {
  /** Persists the daily budget (state/governor-budget.ts). Default: in memory, for this process only. */
  budgetStore?: GovernorBudgetStore;
  /** Required for XERO_AUTH=authorization_code: where the rotating refresh token lives (state/token-store.ts). */
  tokenStore?: RefreshTokenStore;
  /** The daemon's one redactor (shared with the logger); the client secret is registered with it. */
  redactor?: SecretRedactor;
  /** Called after every attempt of an Accounting API call (metrics). Must not throw. */
  onCall?: (call: XeroCallRecord) => void;
  clock?: Clock;
  /** Governor tuning beyond the configured limits. */
  governor?: { maxConcurrent?: number; windowMs?: number; maxBlockWaitMs?: number };
  /** How often one call is repeated after a 429 (each time after the governor's Retry-After block). Default 3. */
  maxRateLimitRetries?: number;
}

export interface Page<T> {
  items: T[];
  /** Present on paged endpoints when a page was asked for. */
  pagination: { page: number; pageSize: number; pageCount: number; itemCount: number } | null;
}

export interface ContactQuery {
  ids?: string[];
  /** Looked up with a where clause (`ContactNumber=="B24-CO-42" OR …`), since GET /Contacts has no list parameter for them. */
  contactNumbers?: string[];
  where?: string;
  order?: string;
  page?: number;
  pageSize?: number;
  modifiedSince?: Date;
  includeArchived?: boolean;
  summaryOnly?: boolean;
  searchTerm?: string;
}

export interface InvoiceQuery {
  ids?: string[];
  numbers?: string[];
  contactIds?: string[];
  statuses?: string[];
  where?: string;
  order?: string;
  page?: number;
  pageSize?: number;
  modifiedSince?: Date;
  includeArchived?: boolean;
  summaryOnly?: boolean;
  searchTerm?: string;
}

export interface ItemQuery {
  where?: string;
  order?: string;
  modifiedSince?: Date;
}

export interface PaymentQuery {
  where?: string;
  order?: string;
  page?: number;
  pageSize?: number;
  modifiedSince?: Date;
}

export interface WriteOptions {
  /** Deterministic per intended effect (≤128 chars): Xero replays the first answer for 6 minutes. */
  idempotencyKey: string;
}

/** Quotes a string for Xero's where-expression language. */
export function whereString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

interface XeroResult<B> {
  response: { headers?: unknown };
  body: B;
}

interface Ready {
  tenantId: string;
  governor: RateGovernor;
}

/**
 * The only door to Xero. Every Accounting API call goes through the tenant's rate governor, carries a deadline,
 * uses a token that is refreshed before expiry (and once more after a 401), and fails with a XeroApiError whose
 * text is free of secrets. Batch writes use summarizeErrors=false and report per element.
 *
 * Tenant: `tenantId` from configuration, else the first organisation of GET connections. A Custom Connection whose
 * connections endpoint is unavailable (or lists nothing) uses '' — Xero binds such a connection to one organisation
 * and does not require the xero-tenant-id header; the governor's row is then keyed ''.
 */
export class XeroGateway {
  readonly #o: ResolvedGatewayOptions;
  readonly #clock: Clock;
  readonly #redactor: SecretRedactor;
  readonly #identity: IdentityClient;
  readonly #tokens: AccessTokenProvider;
  readonly #budgetStore: GovernorBudgetStore;
  readonly #governorTuning: XeroGatewayDeps['governor'];
  readonly #maxRateLimitRetries: number;
  readonly #log: GatewayLogger | null;
  readonly #onCall: ((call: XeroCallRecord) => void) | null;
  readonly #xero: XeroClient;
  readonly #api: AccountingApi;
  #applied: string | null = null;
  #ready: Promise<Ready> | null = null;
  #accessCheckedAt: number | null = null;
  #settledTenantId: string | null = null;

  constructor(options: XeroGatewayOptions, deps: XeroGatewayDeps = {}) {
    this.#o = resolveGatewayOptions(options);
    this.#clock = deps.clock ?? systemClock;
    this.#log = this.#o.logger;
    this.#redactor = deps.redactor ?? new SecretRedactor();
    this.#redactor.add(this.#o.clientSecret);
    this.#onCall = deps.onCall ?? null;
    this.#identity = new IdentityClient({
      identityUrl: this.#o.identityUrl, connectionsUrl: this.#o.connectionsUrl, clientId: this.#o.clientId,
      clientSecret: this.#o.clientSecret, timeoutMs: this.#o.timeoutMs, redactor: this.#redactor,
    });
    if (this.#o.auth === 'authorization_code') {
      if (!deps.tokenStore) throw new Error('Xero gateway: XERO_AUTH=authorization_code needs a token store (the token lives in b_b24xero_token)');
      this.#tokens = new RefreshTokenTokens(this.#identity, deps.tokenStore, this.#clock);
    } else {
      this.#tokens = new ClientCredentialsTokens(this.#identity, this.#clock);
    }
    this.#budgetStore = deps.budgetStore ?? new MemoryBudgetStore();
    this.#governorTuning = deps.governor;
    this.#maxRateLimitRetries = deps.maxRateLimitRetries ?? 3;
    this.#xero = new XeroClient({
      clientId: this.#o.clientId, clientSecret: this.#o.clientSecret,
      ...(this.#o.auth === 'client_credentials' ? { grantType: 'client_credentials' } : {}),
    });
    this.#api = this.#xero.accountingApi;
    this.#api.basePath = this.#o.apiUrl;
    this.#api.setDefaultAuthentication(requestDeadline(this.#o.timeoutMs));
  }

  /**
   * The tenant without asking Xero: the configured one, else the one the first call settled ('' for a Custom
   * Connection without one); null before that. For the webhook receiver, which must answer without a Xero call.
   */
  get settledTenantId(): string | null {
    return this.#o.tenantId ?? this.#settledTenantId;
  }

  /** Obtains a token and settles the tenant; every method does this on first use, `connect()` just does it now. */
  async connect(): Promise<string> {
    return (await this.#prepare()).tenantId;
  }

  /**
   * Token, tenant and API URL checked without Accounting API calls (see access-check.ts); throws XeroAccessError
   * naming the variable to fix. Remembers a success for `maxAgeMs`, so a daemon checking every pass asks rarely.
   */
  async checkAccess(maxAgeMs = 0): Promise<void> {
    if (this.#accessCheckedAt !== null && this.#clock.now() - this.#accessCheckedAt < maxAgeMs) return;
    const o = this.#o;
    await checkXeroAccess({
      auth: o.auth, apiUrl: o.apiUrl, identityUrl: o.identityUrl, connectionsUrl: o.connectionsUrl, tenantId: o.tenantId,
      timeoutMs: o.timeoutMs, token: async () => (await this.#token(() => this.#tokens.current())).accessToken,
      connections: (token) => this.#identity.connections(token),
    });
    this.#accessCheckedAt = this.#clock.now();
  }

  /** Counters of the governor (calls made, 429s seen, today's budget), for run stats and `status`. */
  async stats(): Promise<GovernorSnapshot> {
    return (await this.#prepare()).governor.snapshot();
  }

  /** Strips secrets from anything before it is logged or stored (error DETAILS, run stats). */
  redact<T>(value: T): T {
    return this.#redactor.value(value);
  }

  // ---- reference data ------------------------------------------------------------------------------------------

  async getOrganisation(): Promise<Organisation> {
    const body = await this.#call('getOrganisation', (api, t) => api.getOrganisations(t));
    const org = body.organisations?.[0];
    if (!org) throw new XeroApiError({ type: 'not_found', operation: 'getOrganisation', summary: 'Xero returned no organisation' });
    return org;
  }

  async getTaxRates(where?: string): Promise<TaxRate[]> {
    return (await this.#call('getTaxRates', (api, t) => api.getTaxRates(t, where))).taxRates ?? [];
  }

  async getAccounts(where?: string): Promise<Account[]> {
    return (await this.#call('getAccounts', (api, t) => api.getAccounts(t, undefined, where))).accounts ?? [];
  }

  async getCurrencies(): Promise<Currency[]> {
    return (await this.#call('getCurrencies', (api, t) => api.getCurrencies(t))).currencies ?? [];
  }

  // ---- contacts ------------------------------------------------------------------------------------------------

  async getContacts(q: ContactQuery = {}): Promise<Page<Contact>> {
    const byNumber = q.contactNumbers?.length ? q.contactNumbers.map((n) => `ContactNumber==${whereString(n)}`).join(' OR ') : undefined;
    const where = [q.where, byNumber].filter(Boolean).map((w) => `(${w})`).join(' AND ') || undefined;
    const body = await this.#call('getContacts', (api, t) => api.getContacts(
      t, q.modifiedSince, where, q.order, nonEmpty(q.ids), q.page, q.includeArchived, q.summaryOnly, q.searchTerm, q.pageSize,
    ));
    return { items: body.contacts ?? [], pagination: pagination(body.pagination) };
  }

  async createContacts(contacts: Contact[], w: WriteOptions): Promise<BatchResult<Contact>> {
    checkBatch('createContacts', contacts, w);
    const body = await this.#call('createContacts', (api, t) => api.createContacts(t, { contacts }, false, w.idempotencyKey));
    return toBatchResult(body.contacts, contacts.length);
  }

  /** POST /Contacts: updates by ContactID (or matches by name/number), per element. */
  async updateContacts(contacts: Contact[], w: WriteOptions): Promise<BatchResult<Contact>> {
    checkBatch('updateContacts', contacts, w);
    const body = await this.#call('updateContacts', (api, t) => api.updateOrCreateContacts(t, { contacts }, false, w.idempotencyKey));
    return toBatchResult(body.contacts, contacts.length);
  }

  async updateContact(contactId: string, contact: Contact, w?: Partial<WriteOptions>): Promise<Contact> {
    const body = await this.#call('updateContact', (api, t) => api.updateContact(t, contactId, { contacts: [contact] }, w?.idempotencyKey));
    return firstOf('updateContact', body.contacts);
  }

  // ---- invoices ------------------------------------------------------------------------------------------------

  /** unitdp=4 always, so 4-decimal unit amounts read back as sent. */
  async getInvoices(q: InvoiceQuery = {}): Promise<Page<Invoice>> {
    const body = await this.#call('getInvoices', (api, t) => api.getInvoices(
      t, q.modifiedSince, q.where, q.order, nonEmpty(q.ids), nonEmpty(q.numbers), nonEmpty(q.contactIds), nonEmpty(q.statuses),
      q.page, q.includeArchived, undefined, 4, q.summaryOnly, q.pageSize, q.searchTerm,
    ));
    return { items: body.invoices ?? [], pagination: pagination(body.pagination) };
  }

  /** PUT /Invoices?summarizeErrors=false&unitdp=4: at most 50; each element succeeds or fails on its own. */
  async createInvoices(invoices: Invoice[], w: WriteOptions): Promise<BatchResult<Invoice>> {
    checkBatch('createInvoices', invoices, w);
    const body = await this.#call('createInvoices', (api, t) => api.createInvoices(t, { invoices }, false, 4, w.idempotencyKey));
    return toBatchResult(body.invoices, invoices.length);
  }

  /** POST /Invoices?summarizeErrors=false&unitdp=4: updates by InvoiceID, per element. */
  async updateInvoices(invoices: Invoice[], w: WriteOptions): Promise<BatchResult<Invoice>> {
    checkBatch('updateInvoices', invoices, w);
    const body = await this.#call('updateInvoices', (api, t) => api.updateOrCreateInvoices(t, { invoices }, false, 4, w.idempotencyKey));
    return toBatchResult(body.invoices, invoices.length);
  }

  async updateInvoice(invoiceId: string, invoice: Invoice, w?: Partial<WriteOptions>): Promise<Invoice> {
    const body = await this.#call('updateInvoice', (api, t) => api.updateInvoice(t, invoiceId, { invoices: [invoice] }, 4, w?.idempotencyKey));
    return firstOf('updateInvoice', body.invoices);
  }

  /** The customer-facing link; null when Xero has none (a DRAFT invoice has no online invoice). */
  async getOnlineInvoice(invoiceId: string): Promise<string | null> {
    const body = await this.#call('getOnlineInvoice', (api, t) => api.getOnlineInvoice(t, invoiceId));
    return body.onlineInvoices?.[0]?.onlineInvoiceUrl ?? null;
  }

  // ---- items and payments --------------------------------------------------------------------------------------

  async getItems(q: ItemQuery = {}): Promise<Item[]> {
    return (await this.#call('getItems', (api, t) => api.getItems(t, q.modifiedSince, q.where, q.order, 4))).items ?? [];
  }

  async createItems(items: Item[], w: WriteOptions): Promise<BatchResult<Item>> {
    checkBatch('createItems', items, w);
    const body = await this.#call('createItems', (api, t) => api.createItems(t, { items }, false, 4, w.idempotencyKey));
    return toBatchResult(body.items, items.length);
  }

  /** POST /Items: creates or updates (matched by ItemID or Code), per element. */
  async updateItems(items: Item[], w: WriteOptions): Promise<BatchResult<Item>> {
    checkBatch('updateItems', items, w);
    const body = await this.#call('updateItems', (api, t) => api.updateOrCreateItems(t, { items }, false, 4, w.idempotencyKey));
    return toBatchResult(body.items, items.length);
  }

  async getPayments(q: PaymentQuery = {}): Promise<Page<Payment>> {
    const body = await this.#call('getPayments', (api, t) => api.getPayments(t, q.modifiedSince, q.where, q.order, q.page, q.pageSize));
    return { items: body.payments ?? [], pagination: pagination(body.pagination) };
  }

  /** GET /CreditNotes (pages of up to 100), with their Allocations. */
  async getCreditNotes(q: PaymentQuery = {}): Promise<Page<CreditNote>> {
    const body = await this.#call('getCreditNotes', (api, t) => api.getCreditNotes(t, q.modifiedSince, q.where, q.order, q.page, 4, q.pageSize));
    return { items: body.creditNotes ?? [], pagination: pagination(body.pagination) };
  }

  /** GET /BankTransactions (pages of up to 100). */
  async getBankTransactions(q: PaymentQuery = {}): Promise<Page<BankTransaction>> {
    const body = await this.#call('getBankTransactions', (api, t) => api.getBankTransactions(t, q.modifiedSince, q.where, q.order, q.page, 4, q.pageSize));
    return { items: body.bankTransactions ?? [], pagination: pagination(body.pagination) };
  }

  // ---- plumbing ------------------------------------------------------------------------------------------------

  #record(call: XeroCallRecord): void {
    try {
      this.#onCall?.(call);
    } catch {
      // Metrics must never break a sync.
    }
  }

  #prepare(): Promise<Ready> {
    this.#ready ??= (async () => {
      const token = await this.#token(() => this.#tokens.current());
      const tenantId = this.#o.tenantId ?? await this.#discoverTenant(token);
      const governor = new RateGovernor({
        tenantId, minuteLimit: this.#o.minuteLimit, dailyBudget: this.#o.dailyBudget, store: this.#budgetStore,
        clock: this.#clock, ...this.#governorTuning,
      });
      this.#settledTenantId = tenantId;
      this.#log?.info('xero gateway ready', { tenantId, auth: this.#o.auth, apiUrl: this.#o.apiUrl });
      return { tenantId, governor };
    })().catch((err: unknown) => {
      this.#ready = null; // a failed start (identity down) is tried again by the next call
      throw err;
    });
    return this.#ready;
  }

  async #discoverTenant(token: AccessToken): Promise<string> {
    try {
      const connections = await this.#identity.connections(token.accessToken);
      const org = connections.find((c) => c.tenantType === undefined || c.tenantType === 'ORGANISATION') ?? connections[0];
      if (org) return org.tenantId;
      if (this.#o.auth === 'client_credentials') return '';
      throw new XeroApiError({ type: 'forbidden', operation: 'connections', code: 'xero_no_tenant', summary: 'no Xero organisation is connected to this app; run `b24xero connect`' }, this.#redactor);
    } catch (err) {
      if (this.#o.auth === 'client_credentials' && err instanceof XeroApiError && err.code !== 'xero_no_tenant') {
        this.#log?.warn('GET connections failed; using the Custom Connection without a tenant id', { error: err.message });
        return '';
      }
      throw err;
    }
  }

  /** Gets a token, registers it with the redactor and hands it to xero-node when it changed. */
  async #token(get: () => Promise<AccessToken>): Promise<AccessToken> {
    const token = await get();
    this.#redactor.add(token.accessToken);
    if (this.#applied !== token.accessToken) {
      // setTokenSet pushes the bearer token into every xero-node API object.
      this.#xero.setTokenSet({ access_token: token.accessToken, token_type: 'Bearer', expires_at: Math.floor(token.expiresAtMs / 1000) });
      this.#applied = token.accessToken;
    }
    return token;
  }

  async #call<B>(operation: string, send: (api: AccountingApi, tenantId: string) => Promise<XeroResult<B>>): Promise<B> {
    const { tenantId, governor } = await this.#prepare();
    let renewed = false;
    let rateLimitRetries = 0;
    for (;;) {
      // Fetched before queueing (so a failing identity call costs no budget) and checked again once admitted.
      let used = (await this.#token(() => this.#tokens.current())).accessToken;
      const started = this.#clock.now();
      try {
        const result = await governor.run(operation, async () => {
          // The token is checked after admission: a call may have queued for most of a minute.
          used = (await this.#token(() => this.#tokens.current())).accessToken;
          try {
            return await send(this.#api, tenantId);
          } catch (raw) {
            throw toXeroError(raw, { operation, redactor: this.#redactor, nowMs: this.#clock.now() });
          }
        }, (r) => ({ limits: readLimitHeaders(r.response.headers as Record<string, unknown>, this.#clock.now()), rateLimited: false }));
        const ms = this.#clock.now() - started;
        const headers = result.response.headers;
        this.#record({ operation, status: statusOf(result.response), ms, rateLimited: false, correlationId: correlationIdOf(headers), errorType: null });
        this.#log?.debug('xero call', { operation, tenantId, ms });
        return result.body;
      } catch (err) {
        if (err instanceof XeroApiError) {
          this.#record({ operation, status: err.status, ms: this.#clock.now() - started, rateLimited: err.status === 429, correlationId: err.correlationId, errorType: err.type });
        }
        if (err instanceof XeroApiError && err.status === 401 && !renewed) {
          // An expired (or revoked-and-reissued) token: one refresh, one repeat. A second 401 is a real auth failure.
          renewed = true;
          this.#log?.info('xero answered 401; refreshing the token once', { operation, detail: err.detail, correlationId: err.correlationId });
          await this.#token(() => this.#tokens.renew(used));
          continue;
        }
        if (err instanceof XeroApiError && err.status === 429 && rateLimitRetries < this.#maxRateLimitRetries) {
          // Xero refused before doing anything (limits are checked before idempotency), so repeating is safe; the
          // governor now blocks the tenant until Retry-After has passed.
          rateLimitRetries++;
          this.#log?.warn('xero rate limit hit; waiting for Retry-After', { operation, problem: err.rateLimitProblem, retryAfterSeconds: err.retryAfterSeconds, correlationId: err.correlationId });
          continue;
        }
        // Every failed Xero call leaves one line carrying Xero's correlation id: what Xero support asks for.
        if (err instanceof XeroApiError) {
          this.#log?.warn('xero call failed', {
            operation, type: err.type, status: err.status, code: err.code, correlationId: err.correlationId, error: err.message,
          });
        }
        throw err;
      }
    }
  }
}

function statusOf(response: unknown): number {
  const r = response as { statusCode?: unknown; status?: unknown } | null;
  if (typeof r?.statusCode === 'number') return r.statusCode;
  return typeof r?.status === 'number' ? r.status : 200;
}

export function createXeroGateway(options: XeroGatewayOptions, deps: XeroGatewayDeps = {}): XeroGateway {
  return new XeroGateway(options, deps);
}

function nonEmpty(list: string[] | undefined): string[] | undefined {
  return list && list.length > 0 ? list : undefined;
}

function pagination(p: { page?: number; pageSize?: number; pageCount?: number; itemCount?: number } | undefined): Page<never>['pagination'] {
  if (!p) return null;
  return { page: p.page ?? 1, pageSize: p.pageSize ?? 0, pageCount: p.pageCount ?? 0, itemCount: p.itemCount ?? 0 };
}

function checkBatch(operation: string, list: unknown[], w: WriteOptions): void {
  if (list.length === 0) throw new RangeError(`${operation}: an empty batch`);
  if (list.length > MAX_BATCH) throw new RangeError(`${operation}: ${list.length} elements; send at most ${MAX_BATCH} per call`);
  if (!w.idempotencyKey || w.idempotencyKey.length > 128) throw new RangeError(`${operation}: an Idempotency-Key of 1–128 characters is required`);
}

function firstOf<T>(operation: string, list: T[] | undefined): T {
  const first = list?.[0];
  if (first === undefined) throw new XeroApiError({ type: 'unexpected', operation, summary: 'Xero answered without the object' });
  return first;
}
