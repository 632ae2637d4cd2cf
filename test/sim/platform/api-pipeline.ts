import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { AccountingRequest, AccountingResponse, Organisation } from '../contract.ts';
import { DROPPED, applyReplacingFault, hang, type Handled } from './fault-effects.ts';
import { allowedTenantIds } from './identity/connections.ts';
import type { AccessTokenRecord, Grant } from './identity/token-store.ts';
import { emptyResponse, jsonResponse, parseJsonBody, textResponse, type WireResponse } from './http-io.ts';
import type { RequestLogEntry } from './observability/request-log.ts';
import { forbidden, internalError, notFound, postDataInvalid, tokenExpired, unauthorised } from './problem-responses.ts';
import type { SimContext } from './sim-context.ts';

export const API_PREFIX = '/api.xro/2.0';

export interface ApiCall {
  res: ServerResponse;
  method: string;
  /** Full path, e.g. /api.xro/2.0/Invoices. */
  path: string;
  query: URLSearchParams;
  rawQuery: string;
  headers: Record<string, string | undefined>;
  rawBody: Buffer;
  entry: RequestLogEntry;
}

const METHODS = new Set(['GET', 'PUT', 'POST', 'DELETE']);
const WRITE_METHODS = new Set(['PUT', 'POST']);

/** Authenticates a bearer token the way every Xero API host does; the 401 to send when it fails. */
export function authenticate(ctx: SimContext, authorization: string | undefined): AccessTokenRecord | WireResponse {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  const check = ctx.tokens.checkAccessToken(token);
  if (check.ok) return check.record;
  return check.reason === 'expired' ? tokenExpired(check.expiredAt) : unauthorised();
}

/**
 * One Accounting API call, in Xero's order: injected fault → bearer token → tenant → rate limits (headers on every
 * answer from here on) → idempotency → the engine.
 */
export async function handleApiCall(ctx: SimContext, call: ApiCall): Promise<Handled> {
  const headerTenant = call.headers['xero-tenant-id']?.trim() ?? '';
  const fault = ctx.faults.pick({ method: call.method, path: call.path, tenantId: headerTenant || undefined });
  if (fault) {
    call.entry.fault = fault.kind;
    ctx.counters.recordFault();
  }
  // Hangs and latency happen after admission, so a slow call holds one of the tenant's concurrent slots.
  const replaced = await applyReplacingFault(ctx, fault, call.res, { hangLater: true });
  if (replaced) return replaced === DROPPED ? replaced : withLimitHeaders(ctx, call, headerTenant, replaced);

  const caller = identify(ctx, call, headerTenant);
  if (!('org' in caller)) return caller;
  const { grant, tenantId, org } = caller;

  const admission = ctx.limiter.admit(grant.clientId, tenantId);
  if (!admission.ok) {
    const retry = admission.retryAfterSeconds ?? 1;
    return textResponse(429, 'Rate limit exceeded', 'text/plain; charset=utf-8', {
      ...admission.headers,
      'retry-after': String(retry),
      'x-rate-limit-problem': admission.problem,
    });
  }
  try {
    if (fault?.kind === 'hang') {
      await hang(ctx, fault.ms, call.res);
      return DROPPED;
    }
    // Latency sits inside the idempotent section, so a repeat arriving meanwhile waits for the first answer.
    const answer = await runIdempotent(ctx, call, grant.clientId, tenantId, async () => {
      if (fault?.kind === 'latency') await ctx.sleep(fault.ms ?? 0);
      return runEngine(call, org.handle.bind(org));
    });
    if (fault?.kind === 'reset-after') {
      call.res.socket?.destroy();
      return DROPPED;
    }
    return { ...answer, headers: { ...answer.headers, ...admission.headers } };
  } finally {
    admission.release();
  }
}

interface Caller {
  grant: Grant;
  tenantId: string;
  org: Organisation;
}

/** Bearer token, then tenant: who is calling for which organisation, or the 401/403 Xero answers instead. */
function identify(ctx: SimContext, call: ApiCall, headerTenant: string): Caller | WireResponse {
  const auth = authenticate(ctx, call.headers.authorization);
  if (!('grant' in auth)) return auth;
  const { grant } = auth;
  call.entry.clientId = grant.clientId;

  const allowed = allowedTenantIds(grant, ctx.clients, ctx.tenants);
  // A Custom Connection is bound to one organisation, so Xero lets it omit the tenant header (xero-node sends "").
  const tenantId = headerTenant || (grant.kind === 'client_credentials' && allowed.length === 1 ? allowed[0] : undefined);
  const org = tenantId && allowed.includes(tenantId) ? ctx.tenants.get(tenantId) : undefined;
  if (!tenantId || !org) return forbidden();
  call.entry.tenantId = tenantId;
  return { grant, tenantId, org };
}

/**
 * Xero puts the X-*-Limit-Remaining headers on every answer for a known tenant, failures included, so an injected
 * 500/503/404/429 carries them too: the tenant's real counts, read without using up the budget. (A 429 burst keeps
 * the real minute count: it stands for a short refusal with Retry-After 1, not a spent minute.)
 */
function withLimitHeaders(ctx: SimContext, call: ApiCall, headerTenant: string, answer: WireResponse): WireResponse {
  const caller = identify(ctx, call, headerTenant);
  if (!('org' in caller)) return answer;
  return { ...answer, headers: { ...ctx.limiter.peek(caller.grant.clientId, caller.tenantId), ...answer.headers } };
}

async function runIdempotent(
  ctx: SimContext,
  call: ApiCall,
  clientId: string,
  tenantId: string,
  run: () => Promise<WireResponse>,
): Promise<WireResponse> {
  const key = call.headers['idempotency-key'];
  if (!key || !WRITE_METHODS.has(call.method)) return run();
  if (key.length > 128) return idempotencyProblem('Idempotency-Key must be 128 characters or fewer.');
  const scope = `${clientId}\u0000${tenantId}`;
  const found = ctx.idempotency.lookup(scope, key, call.method, call.path, call.rawQuery, call.rawBody);
  if (found.kind === 'mismatch') return idempotencyProblem('Idempotency-Key has already been used with a different request.');
  if (found.kind === 'replay') return found.response;
  let answer: WireResponse;
  try {
    answer = await run();
  } catch (error) {
    answer = internalError();
    call.entry.error = (error as Error).message;
  }
  found.complete(answer);
  return answer;
}

function runEngine(call: ApiCall, handle: (req: AccountingRequest) => AccountingResponse): WireResponse {
  if (!METHODS.has(call.method)) return notFound();
  let body: unknown;
  try {
    body = parseJsonBody(call.rawBody);
  } catch (error) {
    if (WRITE_METHODS.has(call.method)) return postDataInvalid((error as Error).message);
    body = undefined;
  }
  const request: AccountingRequest = {
    method: call.method as AccountingRequest['method'],
    path: call.path.slice(API_PREFIX.length) || '/',
    query: call.query,
    headers: call.headers,
    body,
  };
  try {
    return toWire(handle(request));
  } catch (error) {
    // An engine bug must not take the server down; the test sees a 500 and the message in the request log.
    call.entry.error = (error as Error).stack ?? String(error);
    return internalError();
  }
}

export function toWire(answer: AccountingResponse): WireResponse {
  const headers = answer.headers ?? {};
  if (answer.raw) {
    const data = Buffer.isBuffer(answer.raw.data) ? answer.raw.data : Buffer.from(answer.raw.data);
    return { status: answer.status, headers: { 'content-type': answer.raw.contentType, ...headers }, body: data };
  }
  if (answer.body === undefined) return emptyResponse(answer.status, headers);
  return jsonResponse(answer.status, answer.body, headers);
}

function idempotencyProblem(detail: string): WireResponse {
  return jsonResponse(400, { Type: null, Title: 'Bad Request', Status: 400, Detail: detail, Instance: randomUUID(), Extensions: {} });
}
