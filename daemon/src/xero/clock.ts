/**
 * Time as the gateway and the rate governor see it. Injected so unit tests can drive the governor with fake timers
 * and integration tests can run it on the simulator's scaled clock (a simulated minute lasting a real second).
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms` of this clock's time. */
  sleep(ms: number): Promise<void>;
}

/** Wall-clock time. `Date.now`/`setTimeout` are looked up per call, so vitest's fake timers take effect. */
export const systemClock: Clock = Object.freeze({
  now: () => Date.now(),
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms))),
});

/** 'YYYY-MM-DD' of a UTC instant: the governor's daily budget is counted per UTC day. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The first millisecond of the UTC day after `ms`. */
export function nextUtcMidnight(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
}
