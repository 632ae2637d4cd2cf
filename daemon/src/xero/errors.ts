import type { ErrorClass } from '../domain/error-class.ts';
import { NO_LIMIT_HEADERS, readLimitHeaders, type LimitHeaders } from './rate-limit-headers.ts';
import { SecretRedactor } from '../util/redact.ts';

/**
 * Every way a Xero call can fail, as the sync needs to tell them apart. Beyond the HTTP families:
 * - 'budget_exhausted': our own governor refused the call (daily budget spent); nothing was sent.
 * - 'client': a 4xx that is none of the above (405, 409, 412, 413, …) — our request is wrong in a way a person must see.
 * - 'unexpected': not an HTTP outcome at all (a bug, a thrown TypeError inside xero-node).
 */
export const XERO_ERROR_TYPES = [
  'validation', 'rate_limit', 'auth', 'forbidden', 'not_found', 'server', 'network', 'timeout',
  'budget_exhausted', 'client', 'unexpected',
] as const;
export type XeroErrorType = (typeof XERO_ERROR_TYPES)[number];

/** One element of a batch that Xero rejected (400 ValidationException, or an ERROR element under summarizeErrors=false). */
export interface XeroElementError {
  /** Position in the batch as sent. */
  index: number;
  messages: string[];
  code: string;
  classification: ErrorClass;
}

export interface XeroApiErrorInit {
  type: XeroErrorType;
  operation: string;
  status?: number;
  code?: string;
  summary?: string;
  detail?: string | null;
  validationMessages?: string[];
  elements?: XeroElementError[];
  limits?: LimitHeaders;
  retryAt?: Date | null;
  xeroErrorType?: string | null;
  tokenExpired?: boolean;
  /** Xero's `Xero-Correlation-Id` response header: what Xero support asks for. */
  correlationId?: string | null;
}

/**
 * A failed Xero call, normalised. Built only through `toXeroError` / the gateway, which pass every string through
 * the gateway's SecretRedactor: the message, the stack and toJSON() never carry a token or the client secret, and the
 * raw xero-node/axios error is deliberately not kept as `cause` (an AxiosError holds the request config).
 */
export class XeroApiError extends Error {
  override readonly name = 'XeroApiError';
  readonly type: XeroErrorType;
  /** HTTP status; 0 when no response arrived (network, timeout) or nothing was sent (budget). */
  readonly status: number;
  /** Gateway method that failed, e.g. 'createInvoices'. */
  readonly operation: string;
  /** Stable code for b_b24xero_record_error.CODE, e.g. 'xero_validation', 'xero_locked_period'. */
  readonly code: string;
  readonly retryAfterSeconds: number | null;
  /** When trying again makes sense: Retry-After for a 429, the next UTC midnight for a spent budget. */
  readonly retryAt: Date | null;
  readonly rateLimitProblem: string | null;
  readonly validationMessages: string[];
  readonly elements: XeroElementError[];
  readonly limits: LimitHeaders;
  /** Problem detail (401/403 `Detail`), or an excerpt of a non-JSON body. */
  readonly detail: string | null;
  /** Xero's own error Type, e.g. 'ValidationException'. */
  readonly xeroErrorType: string | null;
  /** A 401 whose detail says the access token expired: the one case the gateway refreshes and repeats. */
  readonly tokenExpired: boolean;
  /** Xero's `Xero-Correlation-Id` of the failed answer (null without an answer): quoted in every error log line. */
  readonly correlationId: string | null;

  constructor(init: XeroApiErrorInit, redactor: SecretRedactor = new SecretRedactor()) {
    const status = init.status ?? 0;
    const validationMessages = (init.validationMessages ?? []).map((m) => redactor.text(m));
    const summary = redactor.text(init.summary ?? (validationMessages.slice(0, 5).join('; ') || init.detail || init.type));
    super(`Xero ${init.operation} failed (${init.type}${status ? `, HTTP ${status}` : ''}): ${summary}`);
    this.type = init.type;
    this.status = status;
    this.operation = init.operation;
    this.limits = init.limits ?? NO_LIMIT_HEADERS;
    this.retryAfterSeconds = this.limits.retryAfterSeconds;
    this.rateLimitProblem = this.limits.problem;
    this.retryAt = init.retryAt ?? null;
    this.validationMessages = validationMessages;
    this.elements = (init.elements ?? []).map((e) => ({ ...e, messages: e.messages.map((m) => redactor.text(m)) }));
    this.detail = init.detail == null ? null : redactor.text(init.detail);
    this.xeroErrorType = init.xeroErrorType ?? null;
    this.tokenExpired = init.tokenExpired ?? false;
    this.correlationId = init.correlationId ?? null;
    this.code = init.code ?? (init.type === 'validation' ? codeForMessages(validationMessages) : `xero_${init.type}`);
  }

  get classification(): ErrorClass {
    return classify(this);
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name, message: this.message, type: this.type, status: this.status, operation: this.operation,
      code: this.code, classification: this.classification, retryAfterSeconds: this.retryAfterSeconds,
      retryAt: this.retryAt?.toISOString() ?? null, rateLimitProblem: this.rateLimitProblem,
      validationMessages: this.validationMessages, elements: this.elements, limits: this.limits, detail: this.detail,
      xeroErrorType: this.xeroErrorType, tokenExpired: this.tokenExpired, correlationId: this.correlationId,
    };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Classification (ARCHITECTURE rule 7)

/**
 * Validation messages after which repeating the same push can never succeed and no fix on our side helps: Xero has
 * become master of the document (approved, paid, voided — rule 5). The sync records a conflict instead.
 */
const NEVER_PATTERNS: readonly RegExp[] = [
  /not of valid status for modification/i,
  /cannot be edited as it has a payment or credit note allocated/i,
  /cannot be applied to the invoice because it has payments or credit notes allocated/i,
];

const CODE_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/period lock date|lock date|locked period/i, 'xero_locked_period'],
  [/currency/i, 'xero_currency'],
  [/must be unique|already assigned|already exists/i, 'xero_duplicate'],
  [/not of valid status|payment or credit note allocated|payments or credit notes allocated/i, 'xero_invalid_status'],
  [/tax ?type|tax rate/i, 'xero_tax_type'],
  [/account code|account.*not valid|invalid account/i, 'xero_account'],
];

export function codeForMessages(messages: readonly string[]): string {
  for (const [re, code] of CODE_PATTERNS) if (messages.some((m) => re.test(m))) return code;
  return 'xero_validation';
}

/** Validation problems need a person (fix the data, unlock the period, add the currency) unless Xero now owns the document. */
export function classifyValidationMessages(messages: readonly string[]): ErrorClass {
  return messages.some((m) => NEVER_PATTERNS.some((re) => re.test(m))) ? 'never' : 'needs_person';
}

/**
 * retry        — transient: network, timeout, 5xx, 429, our daily budget (retryAt says when).
 * needs_person — validation (bad data, locked period, unsubscribed currency), 401 that a refresh did not cure
 *                (credentials revoked: reconnect), 403 (wrong tenant, disconnected org, missing scope), other 4xx,
 *                and anything unrecognised (a bug is a person's job too).
 * never        — 404 (the object is gone from Xero: repeating the call cannot succeed; the sync treats the link as
 *                deleted rather than retrying), and validation saying Xero has become master of the document.
 */
export function classify(err: unknown): ErrorClass {
  if (!(err instanceof XeroApiError)) return 'needs_person';
  switch (err.type) {
    case 'network': case 'timeout': case 'server': case 'rate_limit': case 'budget_exhausted':
      return 'retry';
    case 'not_found':
      return 'never';
    case 'validation':
      return classifyValidationMessages([...err.validationMessages, ...err.elements.flatMap((e) => e.messages)]);
    default:
      return 'needs_person';
  }
}

export function elementError(index: number, messages: string[]): XeroElementError {
  const list = messages.length > 0 ? messages : ['Xero rejected this element without a message'];
  return { index, messages: list, code: codeForMessages(list), classification: classifyValidationMessages(list) };
}

// ---------------------------------------------------------------------------------------------------------------
// Normalisation

export interface NormaliseContext {
  operation: string;
  redactor?: SecretRedactor;
  nowMs?: number;
}

interface HttpOutcome {
  status: number;
  headers: unknown;
  body: unknown;
}

const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ECONNABORTED', 'ESOCKETTIMEDOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);
const NETWORK_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN',
  'ERR_NETWORK', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** xero-node rejects API calls with a JSON string; its non-2xx resolve path and axios use objects. */
function httpOutcome(raw: unknown): HttpOutcome | null {
  if (!isRecord(raw) || !isRecord(raw.response)) return null;
  const r = raw.response;
  if (typeof r.statusCode === 'number') return { status: r.statusCode, headers: r.headers, body: r.body ?? raw.body };
  if (typeof r.status === 'number') return { status: r.status, headers: r.headers, body: r.data ?? raw.body };
  return null;
}

function transportCode(raw: unknown): string | null {
  for (let e: unknown = raw, depth = 0; isRecord(e) && depth < 4; e = e.cause, depth++) {
    if (typeof e.code === 'string') return e.code;
    if (e.name === 'TimeoutError') return 'ETIMEDOUT';
  }
  return null;
}

/** The `Xero-Correlation-Id` header of an answer (any case; node and axios lower-case names, fetch Headers too). */
export function correlationIdOf(headers: unknown): string | null {
  if (!isRecord(headers)) return null;
  const get = (headers as { get?: unknown }).get;
  if (typeof get === 'function') {
    const value: unknown = get.call(headers, 'xero-correlation-id');
    return typeof value === 'string' && value !== '' ? value : null;
  }
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() !== 'xero-correlation-id') continue;
    const first: unknown = Array.isArray(value) ? value[0] : value;
    return typeof first === 'string' && first !== '' ? first : null;
  }
  return null;
}

function messageOf(raw: unknown): string {
  if (raw instanceof Error) return raw.message;
  if (typeof raw === 'string') return raw;
  return String(raw);
}

/** A transport failure with no HTTP response: xero-node reports it as statusCode 0 with axios' message as body. */
function transportType(code: string | null, message: string): 'timeout' | 'network' | null {
  if (code && TIMEOUT_CODES.has(code)) return 'timeout';
  // 'canceled': axios' message when our per-request AbortSignal deadline fires — we abort for no other reason.
  if (/timeout|timed out|^canceled$|aborted due to timeout/i.test(message)) return 'timeout';
  if (code && NETWORK_CODES.has(code)) return 'network';
  if (/socket hang up|ECONNRESET|ECONNREFUSED|EPIPE|network|fetch failed|other side closed|ENOTFOUND/i.test(message)) return 'network';
  return null;
}

function typeForStatus(status: number): XeroErrorType {
  if (status === 400) return 'validation';
  if (status === 401) return 'auth';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 408) return 'timeout';
  if (status === 429) return 'rate_limit';
  if (status >= 500) return 'server';
  return 'client';
}

function textExcerpt(body: unknown): string | null {
  if (typeof body !== 'string' || body.trim() === '') return null;
  const text = body.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

function stringsOf(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list
    .map((v) => (isRecord(v) ? (v.Message ?? v.message) : v))
    .filter((m): m is string => typeof m === 'string' && m.trim() !== '');
}

/** A 400 body: {ErrorNumber, Type, Message, Elements:[{…, ValidationErrors:[{Message}]}]} (reference §5). */
function parseValidationBody(body: unknown): { messages: string[]; elements: XeroElementError[]; xeroType: string | null; message: string | null } {
  if (!isRecord(body)) return { messages: [], elements: [], xeroType: null, message: textExcerpt(body) };
  const elements: XeroElementError[] = [];
  const rawElements = Array.isArray(body.Elements) ? body.Elements : [];
  rawElements.forEach((el, index) => {
    const msgs = isRecord(el) ? stringsOf(el.ValidationErrors ?? el.validationErrors) : [];
    if (msgs.length > 0) elements.push(elementError(index, msgs));
  });
  const fromElements = [...new Set(elements.flatMap((e) => e.messages))];
  const message = typeof body.Message === 'string' ? body.Message : typeof body.Detail === 'string' ? body.Detail : null;
  return {
    messages: fromElements.length > 0 ? fromElements : message ? [message] : [],
    elements,
    xeroType: typeof body.Type === 'string' ? body.Type : null,
    message,
  };
}

function problemDetail(body: unknown): string | null {
  if (isRecord(body)) {
    const parts = [body.Title, body.Detail, body.Message, body.error, body.error_description].filter((p): p is string => typeof p === 'string' && p !== '');
    return parts.length > 0 ? [...new Set(parts)].join(': ') : null;
  }
  return textExcerpt(body);
}

/**
 * Turns whatever a Xero call threw into a XeroApiError:
 * - xero-node's JSON string `{"response":{"statusCode","headers","body",…},"body"}` (statusCode 0 = no response);
 * - an AxiosError / `{response:{status,headers,data}}`;
 * - a fetch/undici error (our own identity calls), an AbortSignal timeout, a socket error with a `code`;
 * - anything else becomes 'unexpected' with its message.
 */
export function toXeroError(raw: unknown, ctx: NormaliseContext): XeroApiError {
  if (raw instanceof XeroApiError) return raw;
  const redactor = ctx.redactor ?? new SecretRedactor();
  const nowMs = ctx.nowMs ?? Date.now();
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try { value = JSON.parse(raw); } catch { value = raw; }
  }

  const http = httpOutcome(value);
  if (http && http.status > 0) {
    const limits = readLimitHeaders(http.headers as Record<string, unknown>, nowMs);
    const type = typeForStatus(http.status);
    const base = { type, operation: ctx.operation, status: http.status, limits, correlationId: correlationIdOf(http.headers) };
    if (type === 'validation') {
      const v = parseValidationBody(http.body);
      return new XeroApiError({ ...base, validationMessages: v.messages, elements: v.elements, xeroErrorType: v.xeroType, detail: v.message }, redactor);
    }
    const detail = problemDetail(http.body);
    if (type === 'rate_limit') {
      const seconds = limits.retryAfterSeconds;
      return new XeroApiError({
        ...base, detail, retryAt: seconds === null ? null : new Date(nowMs + seconds * 1000),
        summary: `rate limit (${limits.problem ?? 'unknown'}), retry after ${seconds ?? '?'} s`,
      }, redactor);
    }
    return new XeroApiError({
      ...base, detail, tokenExpired: type === 'auth' && /TokenExpired/i.test(detail ?? ''),
      ...(type === 'auth' && /TokenExpired/i.test(detail ?? '') ? { code: 'xero_token_expired' } : {}),
    }, redactor);
  }

  // No HTTP response: xero-node's statusCode 0 carries axios' message in body; other errors carry a code.
  const message = http ? String(http.body ?? '') : messageOf(value);
  const code = transportCode(value);
  const kind = transportType(code, message);
  if (kind) {
    return new XeroApiError({ type: kind, operation: ctx.operation, detail: code ? `${code}: ${message}` : message, summary: message }, redactor);
  }
  return new XeroApiError({ type: 'unexpected', operation: ctx.operation, detail: message, summary: message }, redactor);
}
