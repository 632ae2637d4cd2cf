import type { AccountingResponse, OrgCountry, OrgOptions } from '../contract.ts';
import { toWire } from './api-pipeline.ts';
import type { ActiveFault } from './faults/fault-injector.ts';
import { parseFaultSpec, type FaultSpec, type RandomFaultRates } from './faults/fault-spec.ts';
import { emptyResponse, jsonResponse, parseJsonBody, type WireResponse } from './http-io.ts';
import type { CountersSnapshot } from './observability/call-counters.ts';
import type { RequestLogEntry, RequestLogFilter } from './observability/request-log.ts';
import type { SimLimits } from './sim-options.ts';
import type { TenantSummary } from './tenant-directory.ts';
import { APP_WIDE, type IntentToReceiveResult, type WebhookDelivery, type WebhookTarget } from './webhooks/webhook-emitter.ts';

export interface SimSnapshot {
  version: 1;
  /** Simulated time when taken. */
  takenAt: string;
  organisations: unknown[];
}

/** What the admin HTTP API drives; RunningSimulator offers the same in process. */
export interface AdminApi {
  tenants(): TenantSummary[];
  createTenant(options: OrgOptions): TenantSummary;
  tenantAdmin(tenantId: string, action: string, method: string, body: unknown): AccountingResponse;
  requests(filter?: RequestLogFilter): RequestLogEntry[];
  clearRequests(): void;
  counters(): CountersSnapshot;
  resetCounters(): void;
  faults(): { faults: ActiveFault[]; random: RandomFaultRates };
  addFault(spec: FaultSpec): ActiveFault;
  removeFault(id: string): boolean;
  clearFaults(): void;
  setRandomFaults(rates: RandomFaultRates): void;
  limits(): SimLimits;
  setLimits(limits: Partial<SimLimits>): void;
  advanceClock(ms: number): Date;
  now(): Date;
  snapshot(): SimSnapshot;
  restore(snapshot: unknown): void;
  saveSnapshot(file?: string): Promise<string>;
  /** tenantId '*' configures the app-wide webhook (every tenant without its own). */
  configureWebhook(tenantId: string, target: WebhookTarget | undefined): void;
  webhooks(): { targets: Record<string, { url: string }>; deliveries: WebhookDelivery[] };
  flushWebhooks(): Promise<void>;
  intentToReceive(target: WebhookTarget): Promise<IntentToReceiveResult>;
}

class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const COUNTRIES: readonly OrgCountry[] = ['NZ', 'AU', 'UK', 'US'];

/** The /_sim admin API (JSON in, JSON out). Bad input is a 400 with `{ error }`, never a crash. */
export async function handleAdmin(api: AdminApi, method: string, url: URL, rawBody: Buffer): Promise<WireResponse> {
  try {
    const body = parseJsonBody(rawBody);
    const parts = url.pathname.split('/').filter(Boolean).slice(1); // drop "_sim"
    return await dispatch(api, method, parts, url.searchParams, body);
  } catch (error) {
    const status = error instanceof AdminError ? error.status : 400;
    return jsonResponse(status, { error: (error as Error).message });
  }
}

async function dispatch(api: AdminApi, method: string, parts: string[], query: URLSearchParams, body: unknown): Promise<WireResponse> {
  const [head, second, ...rest] = parts;
  const ok = (value: unknown) => jsonResponse(200, value);
  const route = `${method} ${head ?? ''}${second !== undefined && head !== 'tenants' ? `/${second}` : ''}`;

  switch (route) {
    case 'GET ':
      return ok({ tenants: api.tenants(), now: api.now().toISOString(), limits: api.limits() });
    case 'GET requests':
      return ok(api.requests(logFilter(query)));
    case 'DELETE requests':
      api.clearRequests();
      return emptyResponse(204);
    case 'GET counters':
      return ok(api.counters());
    case 'DELETE counters':
      api.resetCounters();
      return emptyResponse(204);
    case 'GET faults':
      return ok(api.faults());
    case 'POST faults':
      return ok(addFaults(api, body));
    case 'DELETE faults':
      api.clearFaults();
      return emptyResponse(204);
    case 'GET limits':
      return ok(api.limits());
    case 'POST limits':
      api.setLimits(limitsFrom(body));
      return ok(api.limits());
    case 'GET clock':
      return ok({ now: api.now().toISOString() });
    case 'POST clock/advance':
      return ok({ now: api.advanceClock(numberField(body, 'ms')).toISOString() });
    case 'GET snapshot':
      return ok(api.snapshot());
    case 'POST snapshot':
      api.restore(body);
      return ok({ tenants: api.tenants() });
    case 'POST snapshot/save':
      return ok({ file: await api.saveSnapshot(optionalString(body, 'file')) });
    case 'GET webhooks':
      return ok(api.webhooks());
    case 'POST webhooks':
      return ok(configureWebhooks(api, body));
    case 'DELETE webhooks':
      for (const tenantId of webhookTenants(api, body)) api.configureWebhook(tenantId, undefined);
      return emptyResponse(204);
    case 'POST webhooks/flush':
      await api.flushWebhooks();
      return ok(api.webhooks());
    case 'POST webhooks/intent':
      return ok(await api.intentToReceive(webhookTarget(body)));
    default:
  }
  if (method === 'DELETE' && head === 'faults' && second) {
    if (!api.removeFault(second)) throw new AdminError(404, `no fault ${second}`);
    return emptyResponse(204);
  }
  if (head === 'tenants') {
    if (second === undefined && method === 'GET') return ok(api.tenants());
    if (second === undefined && method === 'POST') return ok(api.createTenant(orgOptions(body)));
    if (second !== undefined) {
      if (!api.tenants().some((t) => t.tenantId === second)) throw new AdminError(404, `no tenant ${second}`);
      if (rest.length === 0 && method === 'GET') return ok(api.tenants().find((t) => t.tenantId === second));
      return toWire(api.tenantAdmin(second, rest.join('/'), method, body));
    }
  }
  throw new AdminError(404, `no admin route ${method} /_sim/${parts.join('/')}`);
}

function addFaults(api: AdminApi, body: unknown): { faults: ActiveFault[]; random?: RandomFaultRates } {
  const record = asRecord(body);
  if ('random' in record) {
    const random = asRecord(record.random) as RandomFaultRates;
    for (const [k, v] of Object.entries(random)) {
      if (k === 'path' && typeof v === 'string') continue;
      if (typeof v !== 'number' || v < 0 || (k !== 'latencyMs' && v > 1)) throw new Error(`random fault rate ${k} must be a number between 0 and 1`);
    }
    api.setRandomFaults(random);
  }
  const specs = Array.isArray(record.faults) ? record.faults : 'kind' in record ? [record] : [];
  // Validate all before adding any, so a bad list changes nothing.
  const parsed = specs.map((s: unknown) => parseFaultSpec(s));
  return { faults: parsed.map((s) => api.addFault(s)), ...('random' in record ? { random: api.faults().random } : {}) };
}

function configureWebhooks(api: AdminApi, body: unknown): { tenantIds: string[] } {
  const target = webhookTarget(body);
  const tenantIds = webhookTenants(api, body);
  for (const tenantId of tenantIds) api.configureWebhook(tenantId, target);
  return { tenantIds };
}

/** `tenantId` names one tenant; without it the webhook is app-wide ('*'): every tenant, also ones created later. */
function webhookTenants(api: AdminApi, body: unknown): string[] {
  const tenantId = optionalString(body, 'tenantId') ?? APP_WIDE;
  if (tenantId !== APP_WIDE && !api.tenants().some((t) => t.tenantId === tenantId)) throw new AdminError(404, `no tenant ${tenantId}`);
  return [tenantId];
}

function webhookTarget(body: unknown): WebhookTarget {
  const url = optionalString(body, 'url');
  const key = optionalString(body, 'key');
  if (!url || !key) throw new Error('a webhook needs "url" and "key"');
  try {
    new URL(url);
  } catch {
    throw new Error(`webhook url is not a URL: ${url}`);
  }
  return { url, key };
}

function orgOptions(body: unknown): OrgOptions {
  const record = asRecord(body);
  const country = record.country;
  if (typeof country !== 'string' || !COUNTRIES.includes(country as OrgCountry)) throw new Error(`country must be one of ${COUNTRIES.join(', ')}`);
  const options: OrgOptions = { country: country as OrgCountry };
  const name = optionalString(body, 'name');
  const tenantId = optionalString(body, 'tenantId');
  if (name) options.name = name;
  if (tenantId) options.tenantId = tenantId;
  return options;
}

function limitsFrom(body: unknown): Partial<SimLimits> {
  const record = asRecord(body);
  const out: Partial<SimLimits> = {};
  for (const key of ['concurrent', 'perMinute', 'perDay', 'appPerMinute'] as const) {
    if (record[key] === undefined) continue;
    out[key] = numberField(record, key);
  }
  return out;
}

function logFilter(query: URLSearchParams): RequestLogFilter {
  const filter: RequestLogFilter = {};
  const since = query.get('since');
  if (since !== null) {
    const n = Number(since);
    if (!Number.isInteger(n)) throw new Error('since must be a request sequence number');
    filter.since = n;
  }
  for (const key of ['path', 'method', 'tenantId'] as const) {
    const value = query.get(key);
    if (value !== null) filter[key] = value;
  }
  return filter;
}

function asRecord(body: unknown): Record<string, unknown> {
  if (body === undefined) return {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('the request body must be a JSON object');
  return body as Record<string, unknown>;
}

function numberField(body: unknown, key: string): number {
  const value = asRecord(body)[key];
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new Error(`"${key}" must be a non-negative number`);
  return value;
}

function optionalString(body: unknown, key: string): string | undefined {
  const value = asRecord(body)[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new Error(`"${key}" must be a string`);
  return value;
}
