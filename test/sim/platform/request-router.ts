import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleAdmin, type AdminApi } from './admin-routes.ts';
import { API_PREFIX, authenticate, handleApiCall } from './api-pipeline.ts';
import { DROPPED, applyReplacingFault, type Handled } from './fault-effects.ts';
import type { FaultSpec } from './faults/fault-spec.ts';
import { disconnect, listConnections } from './identity/connections.ts';
import { authorize, discoveryDocument, jwks, revoke } from './identity/openid-routes.ts';
import { handleTokenRequest } from './identity/token-endpoint.ts';
import { emptyResponse, flatHeaders, jsonResponse, readBody, send, type WireResponse } from './http-io.ts';
import type { RequestLogEntry } from './observability/request-log.ts';
import { notFound, postDataInvalid } from './problem-responses.ts';
import type { SimContext } from './sim-context.ts';

/** Entry point for every HTTP request: logs it, routes it, sends (or deliberately drops) the answer. */
export async function routeRequest(ctx: SimContext, admin: AdminApi, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = Date.now();
  const url = new URL(req.url ?? '/', 'http://sim.invalid');
  const method = (req.method ?? 'GET').toUpperCase();
  const headers = flatHeaders(req);
  let rawBody: Buffer;
  try {
    rawBody = await readBody(req);
  } catch (error) {
    send(res, postDataInvalid((error as Error).message));
    return;
  }
  const isAdmin = url.pathname === '/_sim' || url.pathname.startsWith('/_sim/');
  // The admin API's own traffic would drown the log tests read, so only product-facing calls are logged.
  const entry: RequestLogEntry = isAdmin
    ? { seq: 0, time: '', method, path: url.pathname, query: {}, headers: {}, body: undefined }
    : ctx.log.start({
        time: ctx.clock.now().toISOString(),
        method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: Object.fromEntries(Object.entries(headers).filter((e): e is [string, string] => e[1] !== undefined)),
        body: loggableBody(url.pathname, rawBody),
      });

  let answer: Handled;
  try {
    answer = isAdmin
      ? await handleAdmin(admin, method, url, rawBody)
      : await route(ctx, { req, res, url, method, headers, rawBody, entry });
  } catch (error) {
    entry.error = (error as Error).stack ?? String(error);
    answer = jsonResponse(500, { Message: 'simulator error', Detail: (error as Error).message });
  }
  entry.durationMs = Date.now() - started;
  if (answer === DROPPED) return;
  entry.status = answer.status;
  if (isApiPath(url.pathname)) {
    ctx.counters.recordApiCall(entry.tenantId, method, url.pathname.slice(API_PREFIX.length), answer.status);
  }
  // Like Xero, every answer of the product-facing hosts carries a Xero-Correlation-Id (what Xero support asks for).
  send(res, answer, isAdmin ? {} : { 'xero-correlation-id': randomUUID() });
}

interface Routed {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  method: string;
  headers: Record<string, string | undefined>;
  rawBody: Buffer;
  entry: RequestLogEntry;
}

async function route(ctx: SimContext, r: Routed): Promise<Handled> {
  const path = r.url.pathname;
  const lower = path.toLowerCase();

  if (isApiPath(path)) {
    return handleApiCall(ctx, {
      res: r.res,
      method: r.method,
      path: API_PREFIX + path.slice(API_PREFIX.length),
      query: r.url.searchParams,
      rawQuery: r.url.search,
      headers: r.headers,
      rawBody: r.rawBody,
      entry: r.entry,
    });
  }

  if (lower === '/connect/token' && r.method === 'POST') {
    ctx.counters.recordTokenRequest();
    const { fault, replaced } = await faultFor(ctx, r);
    if (replaced) return replaced;
    const reply = handleTokenRequest(ctx, r.headers.authorization, r.rawBody.toString('utf8'));
    if (fault?.kind === 'reset-after') return dropAfterWork(r);
    // Token responses must never be cached by intermediaries (RFC 6749 §5.1).
    return jsonResponse(reply.status, reply.body, { 'cache-control': 'no-store', pragma: 'no-cache' });
  }

  if (lower === '/connections' || lower.startsWith('/connections/')) {
    const { fault, replaced } = await faultFor(ctx, r);
    if (replaced) return replaced;
    const answer = connections(ctx, r);
    return fault?.kind === 'reset-after' ? dropAfterWork(r) : answer;
  }

  if (lower === '/.well-known/openid-configuration' && r.method === 'GET') return discoveryDocument(ctx.issuer());
  if (lower === '/.well-known/openid-configuration/jwks' && r.method === 'GET') return jwks(ctx);
  if (lower === '/identity/connect/authorize' && r.method === 'GET') return authorize(ctx, r.url.searchParams);
  if (lower === '/connect/revocation' && r.method === 'POST') return revoke(ctx, r.rawBody.toString('utf8'));
  return notFound();
}

function connections(ctx: SimContext, r: Routed): WireResponse {
  const auth = authenticate(ctx, r.headers.authorization);
  if (!('grant' in auth)) return auth;
  r.entry.clientId = auth.grant.clientId;
  const id = r.url.pathname.split('/')[2];
  if (r.method === 'GET' && id === undefined) {
    const authEventId = r.url.searchParams.get('authEventId');
    const list = listConnections(auth.grant, ctx.clients, ctx.tenants);
    return jsonResponse(200, authEventId ? list.filter((c) => c.authEventId === authEventId) : list);
  }
  if (r.method === 'DELETE' && id) return disconnect(auth.grant, id) ? emptyResponse(204) : notFound();
  return notFound();
}

/** Picks and applies a fault for an identity route; `replaced` is the answer to send instead of doing the work. */
async function faultFor(ctx: SimContext, r: Routed): Promise<{ fault?: FaultSpec; replaced?: Handled }> {
  const fault = ctx.faults.pick({ method: r.method, path: r.url.pathname, tenantId: r.headers['xero-tenant-id'] || undefined });
  if (!fault) return {};
  r.entry.fault = fault.kind;
  ctx.counters.recordFault();
  if (fault.kind === 'latency') await ctx.sleep(fault.ms ?? 0);
  const replaced = await applyReplacingFault(ctx, fault, r.res);
  return replaced ? { fault, replaced } : { fault };
}

function dropAfterWork(r: Routed): Handled {
  r.res.socket?.destroy();
  return DROPPED;
}

function isApiPath(path: string): boolean {
  const lower = path.toLowerCase();
  const prefix = API_PREFIX.toLowerCase();
  return lower === prefix || lower.startsWith(`${prefix}/`);
}

const SECRET_FORM_FIELDS = ['client_secret', 'refresh_token', 'code', 'token', 'client_assertion'];

function loggableBody(path: string, raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  const text = raw.toString('utf8');
  if (path.toLowerCase().startsWith('/connect/')) {
    // Identity bodies are forms carrying secrets: log the fields, never the secret values.
    const form = Object.fromEntries(new URLSearchParams(text));
    for (const field of SECRET_FORM_FIELDS) if (field in form) form[field] = '[redacted]';
    return form;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
