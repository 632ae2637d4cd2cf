import type { SimClock } from '../contract.ts';

/**
 * Simulated time. A time scale K makes simulated time run K times faster than real time, so a Xero "minute" lasts
 * 60/K real seconds; tests may also jump forward with advance(). Everything time-based in the simulator (token expiry,
 * rate-limit windows, idempotency TTL, refresh-token grace) reads this clock, never Date.now() directly.
 */
export class ScaledClock implements SimClock {
  readonly #realStart: number;
  readonly #simStart: number;
  readonly #scale: number;
  #advancedMs = 0;

  constructor(timeScale = 1, start: Date = new Date()) {
    if (!Number.isFinite(timeScale) || timeScale <= 0) {
      throw new Error(`time scale must be a positive number, got ${String(timeScale)}`);
    }
    this.#scale = timeScale;
    this.#realStart = Date.now();
    this.#simStart = start.getTime();
  }

  get timeScale(): number {
    return this.#scale;
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  nowMs(): number {
    return this.#simStart + (Date.now() - this.#realStart) * this.#scale + this.#advancedMs;
  }

  advance(ms: number): Date {
    if (!Number.isFinite(ms) || ms < 0) throw new Error(`clock can only move forward by a non-negative ms, got ${String(ms)}`);
    this.#advancedMs += ms;
    return this.now();
  }

  /** Converts a simulated duration into the real milliseconds a client has to wait for it. */
  toRealMs(simMs: number): number {
    return simMs / this.#scale;
  }
}
