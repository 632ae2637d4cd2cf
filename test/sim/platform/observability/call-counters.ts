export interface TenantCounters {
  requests: number;
  writes: number;
  rateLimited: number;
  errors: number;
  byRoute: Record<string, number>;
}

export interface CountersSnapshot {
  total: number;
  writes: number;
  rateLimited: number;
  faults: number;
  tokenRequests: number;
  byTenant: Record<string, TenantCounters>;
}

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** Call counters for tests and benchmarks: totals and, per tenant, per route ("POST /Invoices/{id}"). */
export class CallCounters {
  #state: CountersSnapshot = empty();

  recordApiCall(tenantId: string | undefined, method: string, apiPath: string, status: number): void {
    const s = this.#state;
    const write = method !== 'GET';
    s.total++;
    if (write) s.writes++;
    if (status === 429) s.rateLimited++;
    if (!tenantId) return;
    const t = (s.byTenant[tenantId] ??= { requests: 0, writes: 0, rateLimited: 0, errors: 0, byRoute: {} });
    t.requests++;
    if (write) t.writes++;
    if (status === 429) t.rateLimited++;
    if (status >= 400) t.errors++;
    const route = `${method} ${apiPath.replace(GUID, '{id}')}`;
    t.byRoute[route] = (t.byRoute[route] ?? 0) + 1;
  }

  recordFault(): void {
    this.#state.faults++;
  }

  recordTokenRequest(): void {
    this.#state.tokenRequests++;
  }

  snapshot(): CountersSnapshot {
    return structuredClone(this.#state);
  }

  reset(): void {
    this.#state = empty();
  }
}

function empty(): CountersSnapshot {
  return { total: 0, writes: 0, rateLimited: 0, faults: 0, tokenRequests: 0, byTenant: {} };
}
