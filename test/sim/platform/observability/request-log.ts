export interface RequestLogEntry {
  seq: number;
  /** Simulated time the request arrived. */
  time: string;
  method: string;
  path: string;
  query: Record<string, string>;
  /** Lower-case names; the Authorization value is redacted. */
  headers: Record<string, string>;
  /** Parsed JSON, or the raw text when not JSON, or undefined. */
  body: unknown;
  status?: number;
  tenantId?: string;
  clientId?: string;
  fault?: string;
  /** An engine exception behind a 500, for debugging. */
  error?: string;
  /** Real ms spent answering. */
  durationMs?: number;
}

export interface RequestLogFilter {
  /** Entries with seq greater than this. */
  since?: number;
  /** Substring of the path, case-insensitive. */
  path?: string;
  method?: string;
  tenantId?: string;
}

/** Every request the simulator saw, newest last, capped so a long benchmark cannot exhaust memory. */
export class RequestLog {
  readonly #limit: number;
  #entries: RequestLogEntry[] = [];
  #seq = 0;

  constructor(limit: number) {
    this.#limit = limit;
  }

  start(entry: Omit<RequestLogEntry, 'seq'>): RequestLogEntry {
    const full: RequestLogEntry = { seq: ++this.#seq, ...entry, headers: redact(entry.headers) };
    this.#entries.push(full);
    if (this.#entries.length > this.#limit) this.#entries.splice(0, this.#entries.length - this.#limit);
    return full;
  }

  list(filter: RequestLogFilter = {}): RequestLogEntry[] {
    const path = filter.path?.toLowerCase();
    return this.#entries.filter(
      (e) =>
        (filter.since === undefined || e.seq > filter.since) &&
        (path === undefined || e.path.toLowerCase().includes(path)) &&
        (filter.method === undefined || e.method === filter.method.toUpperCase()) &&
        (filter.tenantId === undefined || e.tenantId === filter.tenantId),
    );
  }

  clear(): void {
    this.#entries = [];
  }

  get lastSeq(): number {
    return this.#seq;
  }
}

function redact(headers: Record<string, string>): Record<string, string> {
  const out = { ...headers };
  if (out.authorization) out.authorization = out.authorization.replace(/^(\w+)\s+.*$/, '$1 [redacted]');
  return out;
}
