import type { ScaledClock } from '../sim-clock.ts';
import { DAY_MS, MINUTE_MS, type SimLimits } from '../sim-options.ts';

export type RateLimitProblem = 'minute' | 'day' | 'concurrent' | 'appminute';

export interface LimitHeaders {
  'x-daylimit-remaining': string;
  'x-minlimit-remaining': string;
  'x-appminlimit-remaining': string;
}

export type Admission =
  | { ok: true; headers: LimitHeaders; release: () => void }
  | { ok: false; problem: RateLimitProblem; retryAfterSeconds?: number; headers: LimitHeaders };

interface Window {
  index: number;
  used: number;
}

interface TenantUsage {
  minute: Window;
  day: Window;
  inFlight: number;
}

/**
 * Xero's per-tenant limits (concurrent, per minute, per day) and the per-app minute limit, in fixed windows of
 * simulated time. Only admitted calls count; a 429 does not use up the budget.
 */
export class RateLimiter {
  readonly #clock: ScaledClock;
  #limits: SimLimits;
  readonly #tenants = new Map<string, TenantUsage>();
  readonly #apps = new Map<string, Window>();

  constructor(clock: ScaledClock, limits: SimLimits) {
    this.#clock = clock;
    this.#limits = { ...limits };
  }

  get limits(): SimLimits {
    return { ...this.#limits };
  }

  setLimits(limits: Partial<SimLimits>): void {
    this.#limits = { ...this.#limits, ...limits };
  }

  reset(): void {
    this.#tenants.clear();
    this.#apps.clear();
  }

  admit(clientId: string, tenantId: string): Admission {
    const now = this.#clock.nowMs();
    const usage = this.#usage(tenantId, now);
    const app = this.#app(clientId, now);
    const limits = this.#limits;

    if (usage.day.used >= limits.perDay) return this.#refuse('day', now, DAY_MS, usage, app);
    if (usage.minute.used >= limits.perMinute) return this.#refuse('minute', now, MINUTE_MS, usage, app);
    if (app.used >= limits.appPerMinute) return this.#refuse('appminute', now, MINUTE_MS, usage, app);
    if (usage.inFlight >= limits.concurrent) return { ok: false, problem: 'concurrent', headers: this.#headers(usage, app) };

    usage.day.used++;
    usage.minute.used++;
    app.used++;
    usage.inFlight++;
    let released = false;
    return {
      ok: true,
      headers: this.#headers(usage, app),
      release: () => {
        if (released) return;
        released = true;
        usage.inFlight--;
      },
    };
  }

  /** What a tenant has used in the current windows, and how many of its calls are in flight. */
  usage(tenantId: string): { minute: number; day: number; inFlight: number } {
    const usage = this.#usage(tenantId, this.#clock.nowMs());
    return { minute: usage.minute.used, day: usage.day.used, inFlight: usage.inFlight };
  }

  /** Current headers without counting a call (for responses that are refused before admission). */
  peek(clientId: string, tenantId: string): LimitHeaders {
    const now = this.#clock.nowMs();
    return this.#headers(this.#usage(tenantId, now), this.#app(clientId, now));
  }

  #refuse(problem: RateLimitProblem, now: number, windowMs: number, usage: TenantUsage, app: Window): Admission {
    const simMsLeft = windowMs - (now % windowMs);
    // Retry-After is in real seconds: the client waits on a wall clock, and the window is in scaled time.
    const retryAfterSeconds = Math.max(1, Math.ceil(this.#clock.toRealMs(simMsLeft) / 1000));
    return { ok: false, problem, retryAfterSeconds, headers: this.#headers(usage, app) };
  }

  #usage(tenantId: string, now: number): TenantUsage {
    let usage = this.#tenants.get(tenantId);
    if (!usage) {
      usage = { minute: { index: -1, used: 0 }, day: { index: -1, used: 0 }, inFlight: 0 };
      this.#tenants.set(tenantId, usage);
    }
    roll(usage.minute, Math.floor(now / MINUTE_MS));
    roll(usage.day, Math.floor(now / DAY_MS));
    return usage;
  }

  #app(clientId: string, now: number): Window {
    let window = this.#apps.get(clientId);
    if (!window) {
      window = { index: -1, used: 0 };
      this.#apps.set(clientId, window);
    }
    roll(window, Math.floor(now / MINUTE_MS));
    return window;
  }

  #headers(usage: TenantUsage, app: Window): LimitHeaders {
    const l = this.#limits;
    return {
      'x-daylimit-remaining': String(Math.max(0, l.perDay - usage.day.used)),
      'x-minlimit-remaining': String(Math.max(0, l.perMinute - usage.minute.used)),
      'x-appminlimit-remaining': String(Math.max(0, l.appPerMinute - app.used)),
    };
  }
}

function roll(window: Window, index: number): void {
  if (window.index !== index) {
    window.index = index;
    window.used = 0;
  }
}
