import { describe, expect, it } from 'vitest';
import { jsonResponse } from '../http-io.ts';
import { ScaledClock } from '../sim-clock.ts';
import { IdempotencyStore } from './idempotency-store.ts';

describe('IdempotencyStore', () => {
  const body = Buffer.from('{"Contacts":[{"Name":"A"}]}');

  it('hands a concurrent repeat the first response once it completes', async () => {
    const store = new IdempotencyStore(new ScaledClock(), 360_000);
    const first = store.lookup('app:t', 'k', 'PUT', '/Contacts', '', body);
    const repeat = store.lookup('app:t', 'k', 'PUT', '/Contacts', '', body);
    expect(first.kind).toBe('new');
    expect(repeat.kind).toBe('replay');
    if (first.kind === 'new') first.complete(jsonResponse(200, { ok: 1 }));
    if (repeat.kind === 'replay') expect((await repeat.response).body.toString()).toBe('{"ok":1}');
  });

  it('calls a different body, path, method or query under the same key a mismatch, and keeps keys apart per scope', () => {
    const store = new IdempotencyStore(new ScaledClock(), 360_000);
    store.lookup('app:t', 'k', 'PUT', '/Contacts', '', body);
    expect(store.lookup('app:t', 'k', 'PUT', '/Contacts', '', Buffer.from('{}')).kind).toBe('mismatch');
    expect(store.lookup('app:t', 'k', 'POST', '/Contacts', '', body).kind).toBe('mismatch');
    expect(store.lookup('app:t', 'k', 'PUT', '/Contacts', '?summarizeErrors=false', body).kind).toBe('mismatch');
    expect(store.lookup('app:other', 'k', 'PUT', '/Contacts', '', Buffer.from('{}')).kind).toBe('new');
  });

  it('forgets keys after the TTL of simulated time, counted from first use', () => {
    // A clock that only moves when told: the boundary is exact, however slow the machine.
    let now = 1_000_000;
    const store = new IdempotencyStore({ nowMs: () => now }, 360_000);
    store.lookup('s', 'k', 'PUT', '/Contacts', '', body);
    now += 359_999;
    expect(store.lookup('s', 'k', 'PUT', '/Contacts', '', body).kind).toBe('replay');
    expect(store.lookup('s', 'k', 'PUT', '/Contacts', '', Buffer.from('x')).kind).toBe('mismatch');
    now += 1;
    expect(store.lookup('s', 'k', 'PUT', '/Contacts', '', Buffer.from('x')).kind).toBe('new');
  });
});
