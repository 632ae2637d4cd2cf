import { nextUtcMidnight, systemClock, utcDay, type Clock } from './clock.ts';
import { XeroApiError } from './errors.ts';
import type { LimitHeaders } from './rate-limit-headers.ts';

/** What the governor persists about one tenant (b_b24xero_governor; an in-memory store in unit tests). */
export interface GovernorBudgetState {
  dayUtc: string;
  dayUsed: number;
  dayRemaining: number | null;
  minRemaining: number | null;
  /** ms since epoch; null when not blocked. */
  blockedUntil: number | null;
}

/** Port to the budget's storage; daemon/src/state/governor-budget.ts implements it over the module's table. */
export interface GovernorBudgetStore {
  load(tenantId: string): Promise<GovernorBudgetState | null>;
  /**
   * Counts one call against `dayUtc` if fewer than `limit` were made that day, atomically (several processes may
   * share the tenant). A row of an earlier day starts again from zero. Returns whether the call may go, and the
   * day's count after the attempt.
   */
  reserve(tenantId: string, dayUtc: string, limit: number, nowMs: number): Promise<{ granted: boolean; dayUsed: number }>;
  /** Remembers the last X-DayLimit-Remaining / X-MinLimit-Remaining seen. */
  observe(tenantId: string, dayUtc: string, seen: { dayRemaining: number | null; minRemaining: number | null }, nowMs: number): Promise<void>;
  block(tenantId: string, untilMs: number, nowMs: number): Promise<void>;
}

export interface RateGovernorOptions {
  tenantId: string;
  /** Calls per minute (Xero: 60). */
  minuteLimit: number;
  /** Calls per UTC day we allow ourselves (Xero: 5,000; configurable down to 1,000). */
  dailyBudget: number;
  /** In flight at once (Xero: 5). */
  maxConcurrent?: number;
  /**
   * Length of the sliding window. A little over a minute by default: Xero counts in fixed windows on its own clock,
   * and network jitter can push the 61st start of a sliding minute into the same Xero window as the 1st.
   */
  windowMs?: number;
  /**
   * Longest a call waits for a Retry-After block before failing fast with a rate_limit error instead (a 'day' 429 can
   * say hours; the sync should move on and come back, not hang).
   */
  maxBlockWaitMs?: number;
  /** Retry-After assumed when a 429 carries none. */
  defaultRetryAfterMs?: number;
  store: GovernorBudgetStore;
  clock?: Clock;
}

export interface GovernorSnapshot {
  tenantId: string;
  active: number;
  queued: number;
  inWindow: number;
  dayUtc: string;
  dayUsed: number;
  dayCap: number;
  blockedUntil: number | null;
  calls: number;
  rateLimited: number;
  /** Writes of Xero's counters or a Retry-After block that the store refused (kept in memory only). */
  storeErrors: number;
}

/** How a finished call reports back: Xero's limit headers, and whether it was a 429. */
export interface CallOutcome {
  limits: LimitHeaders;
  rateLimited: boolean;
}

/**
 * One tenant's rate governor (ARCHITECTURE rule 6): every Xero API call of the gateway runs through `run()`.
 *
 * Admission is FIFO: the caller at the head of the queue waits until (1) no Retry-After block is in force, (2) fewer
 * than `maxConcurrent` calls are in flight and (3) fewer than `minuteLimit` calls started in the sliding window; only
 * then is the next caller considered. Admitted calls reserve one unit of the daily budget in the store before they are
 * sent, so the budget holds across restarts and processes. Xero's remaining-counters only ever tighten our view
 * ("if Xero says fewer remain than we think, believe Xero"), so normal operation produces no 429 at all.
 */
export class RateGovernor {
  readonly tenantId: string;
  readonly #minuteLimit: number;
  readonly #dailyBudget: number;
  readonly #maxConcurrent: number;
  readonly #windowMs: number;
  readonly #maxBlockWaitMs: number;
  readonly #defaultRetryAfterMs: number;
  readonly #store: GovernorBudgetStore;
  readonly #clock: Clock;

  /** Start times of calls in the sliding window (including phantom entries for calls Xero counted and we did not). */
  #window: number[] = [];
  #active = 0;
  #queued = 0;
  #slotWaiters: Array<() => void> = [];
  #admission: Promise<void> = Promise.resolve();
  #loaded: Promise<void> | null = null;
  #dayUtc = '';
  #dayUsed = 0;
  /** min(daily budget, what Xero's X-DayLimit-Remaining implies) for #dayUtc. */
  #dayCap: number;
  #blockedUntil: number | null = null;
  #calls = 0;
  #rateLimited = 0;
  #storeErrors = 0;

  constructor(options: RateGovernorOptions) {
    for (const [name, v] of [['minuteLimit', options.minuteLimit], ['dailyBudget', options.dailyBudget]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new RangeError(`RateGovernor: ${name} must be a positive integer, got ${String(v)}`);
    }
    this.tenantId = options.tenantId;
    this.#minuteLimit = options.minuteLimit;
    this.#dailyBudget = options.dailyBudget;
    this.#maxConcurrent = options.maxConcurrent ?? 5;
    this.#windowMs = options.windowMs ?? 61_000;
    this.#maxBlockWaitMs = options.maxBlockWaitMs ?? 5 * 60_000;
    this.#defaultRetryAfterMs = options.defaultRetryAfterMs ?? 60_000;
    this.#store = options.store;
    this.#clock = options.clock ?? systemClock;
    this.#dayCap = this.#dailyBudget;
  }

  snapshot(): GovernorSnapshot {
    const now = this.#clock.now();
    return {
      tenantId: this.tenantId, active: this.#active, queued: this.#queued,
      inWindow: this.#window.filter((t) => t > now - this.#windowMs).length,
      dayUtc: this.#dayUtc, dayUsed: this.#dayUsed, dayCap: this.#dayCap, blockedUntil: this.#blockedUntil,
      calls: this.#calls, rateLimited: this.#rateLimited, storeErrors: this.#storeErrors,
    };
  }

  /**
   * Runs `call` when the limits allow. `outcomeOf` reads Xero's headers from the result; a thrown XeroApiError is read
   * directly (its limits, and a 429's Retry-After, which blocks every call to the tenant until then).
   * Throws a 'budget_exhausted' XeroApiError without calling when today's budget is spent, and a 'rate_limit' one
   * when a Retry-After block lasts longer than maxBlockWaitMs.
   */
  async run<T>(operation: string, call: () => Promise<T>, outcomeOf: (result: T) => CallOutcome): Promise<T> {
    await this.#load();
    this.#failIfExhausted(operation);
    this.#queued++;
    let startedAt: number;
    try {
      startedAt = await this.#admit(operation);
    } finally {
      this.#queued--;
    }
    try {
      await this.#reserve(operation, startedAt);
    } catch (err) {
      this.#forget(startedAt);
      this.#release();
      throw err;
    }
    this.#calls++;
    try {
      const result = await call();
      await this.#observe(outcomeOf(result));
      return result;
    } catch (err) {
      if (err instanceof XeroApiError) await this.#observe({ limits: err.limits, rateLimited: err.type === 'rate_limit' });
      throw err;
    } finally {
      this.#release();
    }
  }

  #load(): Promise<void> {
    this.#loaded ??= (async () => {
      const now = this.#clock.now();
      this.#dayUtc = utcDay(now);
      const state = await this.#store.load(this.tenantId);
      if (!state) return;
      if (state.blockedUntil !== null && state.blockedUntil > now) this.#blockedUntil = state.blockedUntil;
      if (state.dayUtc === this.#dayUtc) {
        this.#dayUsed = state.dayUsed;
        if (state.dayRemaining !== null) this.#dayCap = Math.min(this.#dailyBudget, state.dayUsed + Math.max(0, state.dayRemaining));
      }
    })().catch((err: unknown) => {
      this.#loaded = null; // a failed load (database away) is tried again by the next call
      throw err;
    });
    return this.#loaded;
  }

  #rollDay(now: number): void {
    const day = utcDay(now);
    if (day !== this.#dayUtc) {
      this.#dayUtc = day;
      this.#dayUsed = 0;
      this.#dayCap = this.#dailyBudget;
    }
  }

  #exhausted(operation: string): XeroApiError {
    const now = this.#clock.now();
    const resetsAt = new Date(nextUtcMidnight(now));
    return new XeroApiError({
      type: 'budget_exhausted', operation, retryAt: resetsAt,
      summary: `daily Xero call budget for tenant '${this.tenantId}' is spent (${this.#dayUsed} of ${this.#dayCap} used on ${this.#dayUtc} UTC); it resets at ${resetsAt.toISOString()}`,
    });
  }

  #failIfExhausted(operation: string): void {
    this.#rollDay(this.#clock.now());
    if (this.#dayUsed >= this.#dayCap) throw this.#exhausted(operation);
  }

  /** Waits for this caller's turn and a free slot; returns the start time recorded in the window. */
  async #admit(operation: string): Promise<number> {
    const previous = this.#admission;
    let done!: () => void;
    this.#admission = new Promise<void>((resolve) => { done = resolve; });
    await previous;
    try {
      for (;;) {
        const now = this.#clock.now();
        if (this.#blockedUntil !== null && this.#blockedUntil > now) {
          const wait = this.#blockedUntil - now;
          if (wait > this.#maxBlockWaitMs) {
            throw new XeroApiError({
              // status 0: nothing was sent (the gateway repeats only real 429s)
              type: 'rate_limit', operation, code: 'xero_rate_limit_blocked', retryAt: new Date(this.#blockedUntil),
              summary: `Xero asked us to wait until ${new Date(this.#blockedUntil).toISOString()} (Retry-After); not waiting that long`,
            });
          }
          await this.#clock.sleep(wait);
          continue;
        }
        if (this.#active >= this.#maxConcurrent) {
          await new Promise<void>((resolve) => this.#slotWaiters.push(resolve));
          continue;
        }
        this.#window = this.#window.filter((t) => t > now - this.#windowMs);
        if (this.#window.length >= this.#minuteLimit) {
          await this.#clock.sleep(this.#window[0]! + this.#windowMs - now);
          continue;
        }
        this.#failIfExhausted(operation);
        this.#active++;
        this.#window.push(now);
        return now;
      }
    } finally {
      done();
    }
  }

  async #reserve(operation: string, now: number): Promise<void> {
    this.#rollDay(now);
    const { granted, dayUsed } = await this.#store.reserve(this.tenantId, this.#dayUtc, this.#dayCap, now);
    this.#dayUsed = Math.max(this.#dayUsed, dayUsed);
    if (!granted) throw this.#exhausted(operation);
  }

  #forget(startedAt: number): void {
    const i = this.#window.lastIndexOf(startedAt);
    if (i >= 0) this.#window.splice(i, 1);
  }

  #release(): void {
    this.#active--;
    const waiters = this.#slotWaiters;
    this.#slotWaiters = [];
    for (const wake of waiters) wake();
  }

  async #observe({ limits, rateLimited }: CallOutcome): Promise<void> {
    const now = this.#clock.now();
    this.#rollDay(now);
    if (limits.dayRemaining !== null) {
      this.#dayCap = Math.min(this.#dayCap, this.#dayUsed + Math.max(0, limits.dayRemaining));
    }
    const minRemaining = [limits.minRemaining, limits.appMinRemaining].filter((v): v is number => v !== null);
    if (minRemaining.length > 0) {
      // Xero counted more calls this minute than our window holds (another app instance, a restart): add phantom
      // starts so our window agrees with Xero's count for the next minute.
      const xeroLeft = Math.max(0, Math.min(...minRemaining));
      const ourLeft = this.#minuteLimit - this.#window.filter((t) => t > now - this.#windowMs).length;
      for (let i = 0; i < ourLeft - xeroLeft; i++) this.#window.push(now);
      this.#window.sort((a, b) => a - b);
    }
    if (rateLimited) {
      this.#rateLimited++;
      // A 'concurrent' refusal clears as soon as a call finishes; the other problems last until Xero's window rolls.
      const waitMs = limits.retryAfterSeconds !== null ? limits.retryAfterSeconds * 1000
        : limits.problem === 'concurrent' ? 1_000 : this.#defaultRetryAfterMs;
      const until = now + waitMs;
      if (this.#blockedUntil === null || until > this.#blockedUntil) {
        this.#blockedUntil = until;
        await this.#remember(() => this.#store.block(this.tenantId, until, now));
      }
    }
    if (limits.dayRemaining !== null || limits.minRemaining !== null) {
      await this.#remember(() => this.#store.observe(this.tenantId, this.#dayUtc, { dayRemaining: limits.dayRemaining, minRemaining: limits.minRemaining }, now));
    }
  }

  /**
   * Persisting what Xero said is best effort: the call it came from has already happened (an invoice may have been
   * created), so a database hiccup here must not turn its success into a failure. The in-memory view stays right.
   */
  async #remember(write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch {
      this.#storeErrors++;
    }
  }
}
