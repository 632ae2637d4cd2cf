import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../daemon/src/xero/clock.ts';
import { XeroApiError } from '../../daemon/src/xero/errors.ts';
import { RateGovernor, type CallOutcome } from '../../daemon/src/xero/governor.ts';
import { MemoryBudgetStore } from '../../daemon/src/xero/memory-budget-store.ts';
import { NO_LIMIT_HEADERS, type LimitHeaders } from '../../daemon/src/xero/rate-limit-headers.ts';

const T0 = Date.UTC(2026, 10, 21, 10, 0, 0);
const quiet = (): CallOutcome => ({ limits: NO_LIMIT_HEADERS, rateLimited: false });
const withHeaders = (limits: Partial<LimitHeaders>) => (): CallOutcome => ({ limits: { ...NO_LIMIT_HEADERS, ...limits }, rateLimited: false });

function governor(overrides: Partial<ConstructorParameters<typeof RateGovernor>[0]> = {}) {
  return new RateGovernor({ tenantId: 't-1', minuteLimit: 60, dailyBudget: 5000, windowMs: 60_000, store: new MemoryBudgetStore(), clock: systemClock, ...overrides });
}

function rateLimited(retryAfterSeconds: number | null, problem = 'minute'): XeroApiError {
  return new XeroApiError({ type: 'rate_limit', operation: 'x', status: 429, limits: { ...NO_LIMIT_HEADERS, retryAfterSeconds, problem } });
}

/** The most starts found in any window of `windowMs`. */
function maxInWindow(starts: number[], windowMs: number): number {
  return Math.max(0, ...starts.map((s) => starts.filter((t) => t >= s && t < s + windowMs).length));
}

describe('RateGovernor (fake clock)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(T0);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('never has more than maxConcurrent calls in flight', async () => {
    const g = governor({ maxConcurrent: 5 });
    let active = 0;
    let peak = 0;
    const call = async () => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 100));
      active--;
      return 'ok';
    };
    const all = Promise.all(Array.from({ length: 23 }, () => g.run('x', call, quiet)));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await all).toHaveLength(23);
    expect(peak).toBe(5);
  });

  it('starts no more than minuteLimit calls in any sliding window, and spreads the rest over later windows', async () => {
    const g = governor({ minuteLimit: 3 });
    const starts: number[] = [];
    const all = Promise.all(Array.from({ length: 7 }, () => g.run('x', async () => { starts.push(Date.now()); }, quiet)));
    await vi.advanceTimersByTimeAsync(200_000);
    await all;
    expect(starts).toHaveLength(7);
    expect(maxInWindow(starts, 60_000)).toBe(3);
    expect(starts.map((s) => s - T0)).toEqual([0, 0, 0, 60_000, 60_000, 60_000, 120_000]);
  });

  it('admits callers first come, first served', async () => {
    const g = governor({ minuteLimit: 2 });
    const order: number[] = [];
    const all = Promise.all([0, 1, 2, 3, 4].map((i) => g.run('x', async () => { order.push(i); }, quiet)));
    await vi.advanceTimersByTimeAsync(130_000);
    await all;
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });

  it('fails fast with a retryable budget_exhausted error once the daily budget is spent, without calling Xero', async () => {
    const g = governor({ dailyBudget: 3 });
    const call = vi.fn(async () => 'ok');
    for (let i = 0; i < 3; i++) await g.run('getInvoices', call, quiet);
    const err = await g.run('getInvoices', call, quiet).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(XeroApiError);
    expect(err).toMatchObject({ type: 'budget_exhausted', classification: 'retry' });
    expect((err as XeroApiError).retryAt?.toISOString()).toBe('2026-11-22T00:00:00.000Z');
    expect(call).toHaveBeenCalledTimes(3);
  });

  it('starts a fresh budget on the next UTC day', async () => {
    const g = governor({ dailyBudget: 2 });
    await g.run('x', async () => 1, quiet);
    await g.run('x', async () => 1, quiet);
    await expect(g.run('x', async () => 1, quiet)).rejects.toMatchObject({ type: 'budget_exhausted' });
    vi.setSystemTime(Date.UTC(2026, 10, 22, 0, 0, 1));
    await expect(g.run('x', async () => 'new day', quiet)).resolves.toBe('new day');
    expect(g.snapshot()).toMatchObject({ dayUtc: '2026-11-22', dayUsed: 1 });
  });

  it('keeps the day’s count in its store, so a new governor on the same store continues it', async () => {
    const store = new MemoryBudgetStore();
    const first = governor({ store, dailyBudget: 4 });
    for (let i = 0; i < 3; i++) await first.run('x', async () => 1, quiet);
    const second = governor({ store, dailyBudget: 4 });
    await second.run('x', async () => 1, quiet);
    await expect(second.run('x', async () => 1, quiet)).rejects.toMatchObject({ type: 'budget_exhausted' });
  });

  it('believes Xero when it says fewer calls remain today than we think', async () => {
    const g = governor({ dailyBudget: 5000 });
    await g.run('x', async () => 1, withHeaders({ dayRemaining: 1 }));
    await g.run('x', async () => 1, quiet);
    await expect(g.run('x', async () => 1, quiet)).rejects.toMatchObject({ type: 'budget_exhausted' });
  });

  it('believes Xero when it says fewer calls remain this minute than we think', async () => {
    const g = governor({ minuteLimit: 60 });
    const starts: number[] = [];
    await g.run('x', async () => { starts.push(Date.now()); }, withHeaders({ minRemaining: 0 }));
    const next = g.run('x', async () => { starts.push(Date.now()); }, quiet);
    await vi.advanceTimersByTimeAsync(59_000);
    expect(starts).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(2_000);
    await next;
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(60_000);
  });

  it('after a 429 holds every call to the tenant until Retry-After has passed, and records the block', async () => {
    const store = new MemoryBudgetStore();
    const g = governor({ store });
    await expect(g.run('x', async () => { throw rateLimited(30); }, quiet)).rejects.toMatchObject({ type: 'rate_limit' });
    expect((await store.load('t-1'))?.blockedUntil).toBe(T0 + 30_000);
    const starts: number[] = [];
    const next = Promise.all([1, 2, 3].map(() => g.run('x', async () => { starts.push(Date.now()); }, quiet)));
    await vi.advanceTimersByTimeAsync(29_999);
    expect(starts).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await next;
    expect(starts).toEqual([T0 + 30_000, T0 + 30_000, T0 + 30_000]);
    expect(g.snapshot().rateLimited).toBe(1);
  });

  it('honours a block found in the store after a restart', async () => {
    const store = new MemoryBudgetStore();
    await store.block('t-1', T0 + 10_000, T0);
    const g = governor({ store });
    let startedAt = 0;
    const p = g.run('x', async () => { startedAt = Date.now(); }, quiet);
    await vi.advanceTimersByTimeAsync(10_000);
    await p;
    expect(startedAt).toBe(T0 + 10_000);
  });

  it('fails fast instead of hanging when Retry-After is longer than it is willing to wait', async () => {
    const g = governor({ maxBlockWaitMs: 60_000 });
    await expect(g.run('x', async () => { throw rateLimited(3_600, 'day'); }, quiet)).rejects.toMatchObject({ status: 429 });
    const call = vi.fn(async () => 1);
    const err = await g.run('getInvoices', call, quiet).catch((e: unknown) => e) as XeroApiError;
    expect(err).toMatchObject({ type: 'rate_limit', status: 0, classification: 'retry' });
    expect(err.retryAt?.getTime()).toBe(T0 + 3_600_000);
    expect(call).not.toHaveBeenCalled();
  });

  it('frees the slot of a call that throws', async () => {
    const g = governor({ maxConcurrent: 1 });
    await expect(g.run('x', async () => { throw new Error('boom'); }, quiet)).rejects.toThrow('boom');
    await expect(g.run('x', async () => 'next', quiet)).resolves.toBe('next');
    expect(g.snapshot().active).toBe(0);
  });

  it('rejects limits that are not positive integers', () => {
    expect(() => governor({ minuteLimit: 0 })).toThrow(/minuteLimit/);
    expect(() => governor({ dailyBudget: 1.5 })).toThrow(/dailyBudget/);
  });
});
