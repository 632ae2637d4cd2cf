import { createHash } from 'node:crypto';
import type { WireResponse } from '../http-io.ts';
import type { ScaledClock } from '../sim-clock.ts';

export type IdempotencyLookup =
  | { kind: 'new'; complete: (response: WireResponse) => void }
  | { kind: 'replay'; response: Promise<WireResponse> }
  | { kind: 'mismatch' };

interface Entry {
  fingerprint: string;
  expiresAtMs: number;
  response: Promise<WireResponse>;
}

/**
 * Idempotency-Key store, per app + tenant + key, for a TTL of simulated time from first use. The first response is
 * kept byte for byte (errors too, as Xero caches internal errors); a concurrent repeat waits for the first to finish.
 */
export class IdempotencyStore {
  readonly #clock: Pick<ScaledClock, 'nowMs'>;
  readonly #ttlMs: number;
  readonly #entries = new Map<string, Entry>();

  constructor(clock: Pick<ScaledClock, 'nowMs'>, ttlMs: number) {
    this.#clock = clock;
    this.#ttlMs = ttlMs;
  }

  lookup(scope: string, key: string, method: string, path: string, query: string, body: Buffer): IdempotencyLookup {
    const now = this.#clock.nowMs();
    this.#evict(now);
    const id = `${scope}\u0000${key}`;
    const fingerprint = createHash('sha256').update(`${method} ${path}?${query}\u0000`).update(body).digest('hex');
    const existing = this.#entries.get(id);
    if (existing) return existing.fingerprint === fingerprint ? { kind: 'replay', response: existing.response } : { kind: 'mismatch' };

    let complete!: (response: WireResponse) => void;
    const response = new Promise<WireResponse>((resolve) => (complete = resolve));
    this.#entries.set(id, { fingerprint, expiresAtMs: now + this.#ttlMs, response });
    return { kind: 'new', complete };
  }

  get size(): number {
    return this.#entries.size;
  }

  #evict(now: number): void {
    for (const [id, entry] of this.#entries) if (now >= entry.expiresAtMs) this.#entries.delete(id);
  }
}
