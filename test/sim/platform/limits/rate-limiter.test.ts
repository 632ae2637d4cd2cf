import { describe, expect, it } from 'vitest';
import { ScaledClock } from '../sim-clock.ts';
import { RateLimiter } from './rate-limiter.ts';

const START = new Date('2026-01-01T00:00:00.000Z');

function limiter(limits = { concurrent: 100, perMinute: 3, perDay: 5, appPerMinute: 100 }) {
  const clock = new ScaledClock(1, START);
  return { clock, limiter: new RateLimiter(clock, limits) };
}

describe('RateLimiter', () => {
  it('counts calls in fixed minute windows and starts afresh in the next one', () => {
    const { clock, limiter: l } = limiter();
    for (let i = 0; i < 3; i++) expect(l.admit('app', 't').ok).toBe(true);
    const refused = l.admit('app', 't');
    expect(refused).toMatchObject({ ok: false, problem: 'minute', headers: { 'x-minlimit-remaining': '0' } });
    clock.advance(60_000);
    expect(l.admit('app', 't')).toMatchObject({ ok: true, headers: { 'x-minlimit-remaining': '2', 'x-daylimit-remaining': '1' } });
  });

  it('reports the day problem before the minute problem once the day budget is gone', () => {
    const { clock, limiter: l } = limiter();
    for (let i = 0; i < 5; i++) {
      l.admit('app', 't');
      clock.advance(30_000);
    }
    expect(l.admit('app', 't')).toMatchObject({ ok: false, problem: 'day' });
  });

  it('gives Retry-After in real seconds to the end of the window, scaled by the time scale', () => {
    const clock = new ScaledClock(60, START);
    const l = new RateLimiter(clock, { concurrent: 5, perMinute: 1, perDay: 100, appPerMinute: 100 });
    l.admit('app', 't');
    const refused = l.admit('app', 't');
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.retryAfterSeconds).toBe(1);
  });

  it('holds a concurrency slot until release, and release twice frees only one slot', () => {
    const { limiter: l } = limiter({ concurrent: 1, perMinute: 100, perDay: 100, appPerMinute: 100 });
    const first = l.admit('app', 't');
    expect(l.admit('app', 't')).toMatchObject({ ok: false, problem: 'concurrent' });
    if (first.ok) {
      first.release();
      first.release();
    }
    expect(l.usage('t').inFlight).toBe(0);
    expect(l.admit('app', 't').ok).toBe(true);
    expect(l.admit('app', 't').ok).toBe(false);
  });
});
