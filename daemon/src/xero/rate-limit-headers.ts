/** What Xero tells us about its limits on every response (reference §6). Null when a header is absent. */
export interface LimitHeaders {
  dayRemaining: number | null;
  minRemaining: number | null;
  appMinRemaining: number | null;
  /** Seconds from a 429's Retry-After. */
  retryAfterSeconds: number | null;
  /** X-Rate-Limit-Problem of a 429: 'minute', 'day', 'appminute', … */
  problem: string | null;
}

export const NO_LIMIT_HEADERS: LimitHeaders = Object.freeze({
  dayRemaining: null, minRemaining: null, appMinRemaining: null, retryAfterSeconds: null, problem: null,
});

type HeaderBag = Record<string, unknown> | { get?(name: string): unknown } | null | undefined;

function header(headers: HeaderBag, name: string): string | null {
  if (!headers || typeof headers !== 'object') return null;
  // AxiosHeaders, fetch Headers and plain objects alike; header names compared case-insensitively.
  const viaGet = typeof (headers as { get?: unknown }).get === 'function' ? (headers as { get(n: string): unknown }).get(name) : undefined;
  let v: unknown = viaGet;
  if (v == null) {
    for (const [k, val] of Object.entries(headers)) if (k.toLowerCase() === name) { v = val; break; }
  }
  if (Array.isArray(v)) v = v[0];
  if (v == null) return null;
  const s = String(v).trim();
  return s === '' ? null : s;
}

function int(value: string | null): number | null {
  if (value === null || !/^-?\d+$/.test(value)) return null;
  return Number(value);
}

/** Retry-After is seconds or an HTTP date; either becomes seconds from `nowMs`. */
function retryAfter(value: string | null, nowMs: number): number | null {
  if (value === null) return null;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - nowMs) / 1000));
}

export function readLimitHeaders(headers: HeaderBag, nowMs: number = Date.now()): LimitHeaders {
  return {
    dayRemaining: int(header(headers, 'x-daylimit-remaining')),
    minRemaining: int(header(headers, 'x-minlimit-remaining')),
    appMinRemaining: int(header(headers, 'x-appminlimit-remaining')),
    retryAfterSeconds: retryAfter(header(headers, 'retry-after'), nowMs),
    problem: header(headers, 'x-rate-limit-problem')?.toLowerCase() ?? null,
  };
}
