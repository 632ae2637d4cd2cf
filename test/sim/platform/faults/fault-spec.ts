/**
 * latency: answer late; hang: never answer (or drop after `ms`); 500/503: fail without running the call; reset: drop
 * the connection without running the call; reset-after: run the call, then drop the connection before answering (the
 * client cannot tell whether a write happened: what idempotency and dedupe exist for); 429: refuse as rate-limited;
 * 404: Xero's text/html "cannot be found" page instead of the answer (reference §9.12).
 * New kinds go at the end: random draws walk this list in order, so a seed keeps its sequence.
 */
export const FAULT_KINDS = ['latency', 'hang', '500', '503', 'reset', 'reset-after', '429', '404'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export function isFaultKind(value: unknown): value is FaultKind {
  return typeof value === 'string' && (FAULT_KINDS as readonly string[]).includes(value);
}

/** One injected fault. Applies to the Accounting API, /connections and the token endpoint, never to /_sim. */
export interface FaultSpec {
  kind: FaultKind;
  /** HTTP method to match; omitted matches any. */
  method?: string;
  /**
   * Path to match, case-insensitive, `*` matching any run of characters, e.g. '/api.xro/2.0/Invoices*' or
   * '/connect/token'. Omitted matches every faultable path.
   */
  path?: string;
  /** Only requests for this tenant (xero-tenant-id header). */
  tenantId?: string;
  /** latency: real ms added before the request is handled. hang: real ms before the socket is dropped (default: never). */
  ms?: number;
  /** Fire this many times, then retire. Omitted: until cleared. */
  times?: number;
}

export interface RandomFaultRates {
  latency?: number;
  hang?: number;
  '500'?: number;
  '503'?: number;
  reset?: number;
  'reset-after'?: number;
  '429'?: number;
  '404'?: number;
  /** Real ms of latency when a random latency fault fires. Default 200. */
  latencyMs?: number;
  /** Paths random faults may hit (same pattern syntax as FaultSpec.path). Default '/api.xro/2.0/*', so tokens still work. */
  path?: string;
}

/** Validates a fault from the admin API or options; throws a message naming the bad field. */
export function parseFaultSpec(input: unknown): FaultSpec {
  if (typeof input !== 'object' || input === null) throw new Error('a fault must be an object');
  const raw = input as Record<string, unknown>;
  if (!isFaultKind(raw.kind)) throw new Error(`fault kind must be one of ${FAULT_KINDS.join(', ')}`);
  const spec: FaultSpec = { kind: raw.kind };
  if (raw.method !== undefined) {
    if (typeof raw.method !== 'string') throw new Error('fault method must be a string');
    spec.method = raw.method.toUpperCase();
  }
  if (raw.path !== undefined) {
    if (typeof raw.path !== 'string') throw new Error('fault path must be a string');
    spec.path = raw.path;
  }
  if (raw.tenantId !== undefined) {
    if (typeof raw.tenantId !== 'string') throw new Error('fault tenantId must be a string');
    spec.tenantId = raw.tenantId;
  }
  for (const key of ['ms', 'times'] as const) {
    const value = raw[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new Error(`fault ${key} must be a non-negative number`);
    spec[key] = value;
  }
  return spec;
}
