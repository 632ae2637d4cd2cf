import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseXeroError, startSimForTest, xeroNodeAxios, type SimForTest } from './harness.ts';

/** Xero's per-tenant limits (concurrent / minute / day) and the per-app minute limit, as xero-node sees them. */

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

describe('rate-limit headers', () => {
  let h: SimForTest;
  beforeAll(async () => {
    h = await startSimForTest();
  });
  afterAll(() => h.close());

  it('puts X-DayLimit-Remaining, X-MinLimit-Remaining and X-AppMinLimit-Remaining on every API response, counting down', async () => {
    h.sim.advanceClock(60_000 - (h.sim.now().getTime() % 60_000)); // a whole minute window ahead of us
    const first = await h.xero.accountingApi.getOrganisations(h.tenantId);
    const second = await h.xero.accountingApi.getContacts(h.tenantId);
    expect(first.response.headers['x-daylimit-remaining']).toBe('4999');
    expect(first.response.headers['x-minlimit-remaining']).toBe('59');
    expect(first.response.headers['x-appminlimit-remaining']).toBe('9999');
    expect(second.response.headers['x-daylimit-remaining']).toBe('4998');
    expect(second.response.headers['x-minlimit-remaining']).toBe('58');
  });

  it('also puts them on error responses from the API (here a 404)', async () => {
    const error = parseXeroError(await h.xero.accountingApi.getInvoice(h.tenantId, '11111111-2222-3333-4444-555555555555').catch((e: unknown) => e));
    expect(error.response.statusCode).toBeGreaterThanOrEqual(400);
    expect(error.response.headers['x-minlimit-remaining']).toMatch(/^\d+$/);
  });
});

describe('per-minute and per-day limits', () => {
  let h: SimForTest;
  beforeAll(async () => {
    h = await startSimForTest({ limits: { perMinute: 3, perDay: 1000 } });
  });
  afterAll(() => h.close());

  /**
   * Moves simulated time to the start of the next minute window (plus `extraMs`), so a test has a whole real minute
   * before the window rolls, and takes a fresh token (the old one may have expired). Token calls are not rate-limited.
   */
  async function advance(extraMs = 0): Promise<void> {
    h.sim.advanceClock(60_000 - (h.sim.now().getTime() % 60_000) + extraMs);
    await h.refreshToken();
  }

  it('answers the call over the minute limit with 429, Retry-After and X-Rate-Limit-Problem: minute, then recovers in the next minute', async () => {
    await advance(); // start of a fresh minute window
    for (let i = 0; i < 3; i++) await h.xero.accountingApi.getOrganisations(h.tenantId);
    const error = parseXeroError(await h.xero.accountingApi.getOrganisations(h.tenantId).catch((e: unknown) => e));
    expect(error.response.statusCode).toBe(429);
    expect(error.response.headers['x-rate-limit-problem']).toBe('minute');
    expect(Number(error.response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(error.response.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(error.response.headers['x-minlimit-remaining']).toBe('0');
    expect(h.sim.counters().byTenant[h.tenantId]!.rateLimited).toBe(1);

    await advance();
    const ok = await h.xero.accountingApi.getOrganisations(h.tenantId);
    expect(ok.response.headers['x-minlimit-remaining']).toBe('2');
  });

  it('does not count refused calls against the budget', async () => {
    await advance();
    const before = h.sim.limitUsage(h.tenantId).day;
    for (let i = 0; i < 3; i++) await h.xero.accountingApi.getOrganisations(h.tenantId);
    for (let i = 0; i < 2; i++) await h.xero.accountingApi.getOrganisations(h.tenantId).catch(() => undefined);
    expect(h.sim.limitUsage(h.tenantId).day - before).toBe(3);
  });

  it('answers the call over the day limit with X-Rate-Limit-Problem: day and a Retry-After up to the next day', async () => {
    h.sim.setLimits({ perDay: h.sim.limitUsage(h.tenantId).day, perMinute: 60 });
    await advance();
    const error = parseXeroError(await h.xero.accountingApi.getOrganisations(h.tenantId).catch((e: unknown) => e));
    expect(error.response.statusCode).toBe(429);
    expect(error.response.headers['x-rate-limit-problem']).toBe('day');
    expect(error.response.headers['x-daylimit-remaining']).toBe('0');
    expect(Number(error.response.headers['retry-after'])).toBeGreaterThan(0);
    await advance(24 * 60 * 60_000);
    expect((await h.xero.accountingApi.getOrganisations(h.tenantId)).response.status).toBe(200);
  });

  it('keeps each tenant on its own budget', async () => {
    const other = h.sim.createTenant({ country: 'AU' });
    h.sim.setLimits({ perMinute: 1, perDay: 1000 });
    await advance();
    await h.xero.accountingApi.getOrganisations(h.tenantId);
    const otherOk = await h.xero.accountingApi.getOrganisations(other.tenantId);
    expect(otherOk.response.headers['x-minlimit-remaining']).toBe('0');
    const error = parseXeroError(await h.xero.accountingApi.getOrganisations(h.tenantId).catch((e: unknown) => e));
    expect(error.response.statusCode).toBe(429);
  });

  it('applies the per-app minute limit across tenants', async () => {
    h.sim.setLimits({ perMinute: 60, appPerMinute: 2 });
    await advance();
    const [a, b] = h.sim.tenants();
    await h.xero.accountingApi.getOrganisations(a!.tenantId);
    const second = await h.xero.accountingApi.getOrganisations(b!.tenantId);
    expect(second.response.headers['x-appminlimit-remaining']).toBe('0');
    const error = parseXeroError(await h.xero.accountingApi.getOrganisations(a!.tenantId).catch((e: unknown) => e));
    expect(error.response.headers['x-rate-limit-problem']).toBe('appminute');
    h.sim.setLimits({ appPerMinute: 10_000 });
  });
});

describe('time scale', () => {
  it('makes a minute window last 60/K real seconds, so waiting Retry-After real seconds is enough', async () => {
    const h = await startSimForTest({ timeScale: 60, limits: { perMinute: 2 } });
    try {
      // With K=60 a window is one real second, so keep calling until the limit bites (it will within 3 calls of a window).
      const refused: ReturnType<typeof parseXeroError>[] = [];
      for (let i = 0; i < 50 && refused.length === 0; i++) {
        await h.xero.accountingApi.getOrganisations(h.tenantId).catch((e: unknown) => refused.push(parseXeroError(e)));
      }
      expect(refused[0]?.response.statusCode).toBe(429);
      const retryAfter = Number(refused[0]!.response.headers['retry-after']);
      expect(retryAfter).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
      expect((await h.xero.accountingApi.getOrganisations(h.tenantId)).response.status).toBe(200);
    } finally {
      await h.close();
    }
  });
});

describe('concurrency limit', () => {
  /**
   * xero-node takes no AbortSignal, so a request interceptor on its own axios attaches one to calls that carry a
   * test-only header: the held calls still go out through xero-node, and the test decides when each gives up.
   */
  interface Hold {
    options: (key: string) => { headers: Record<string, string> };
    release: (key: string) => void;
    eject: () => void;
  }

  function holdable(): Hold {
    const axios = xeroNodeAxios();
    const controllers = new Map<string, AbortController>();
    const id = axios.interceptors.request.use((config: { headers?: Record<string, unknown>; signal?: AbortSignal }) => {
      const key = config.headers?.['x-test-hold'];
      if (typeof key === 'string') config.signal = controllers.get(key)?.signal;
      return config;
    });
    return {
      options: (key) => {
        controllers.set(key, new AbortController());
        return { headers: { 'x-test-hold': key } };
      },
      release: (key) => controllers.get(key)?.abort(),
      eject: () => axios.interceptors.request.eject(id),
    };
  }

  it('refuses a call beyond the concurrent limit with X-Rate-Limit-Problem: concurrent, and admits again once one finishes', async () => {
    const h = await startSimForTest({ limits: { concurrent: 2 } });
    const hold = holdable();
    try {
      h.sim.addFault({ kind: 'hang', path: '/api.xro/2.0/Organisation', times: 2 });
      const held = ['a', 'b'].map((key) =>
        h.xero.accountingApi.getOrganisations(h.tenantId, hold.options(key)).then(
          () => 'answered',
          (e: unknown) => `gave up: ${String(parseXeroError(e).response.statusCode)}`,
        ),
      );
      await until(() => h.sim.limitUsage(h.tenantId).inFlight === 2);

      const error = parseXeroError(await h.xero.accountingApi.getOrganisations(h.tenantId).catch((e: unknown) => e));
      expect(error.response.statusCode).toBe(429);
      expect(error.response.headers['x-rate-limit-problem']).toBe('concurrent');

      hold.release('a');
      await until(() => h.sim.limitUsage(h.tenantId).inFlight === 1);
      expect((await h.xero.accountingApi.getOrganisations(h.tenantId)).response.status).toBe(200);
      hold.release('b');
      expect(await Promise.all(held)).toEqual(['gave up: 0', 'gave up: 0']);
    } finally {
      hold.eject();
      await h.close();
    }
  });
});
