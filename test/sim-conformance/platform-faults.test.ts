import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseXeroError, startSimForTest, xeroNodeAxios, type SimForTest } from './harness.ts';

/** Injected faults as xero-node (v20, no retries, no default timeout) surfaces them. */
let h: SimForTest;
beforeAll(async () => {
  h = await startSimForTest();
});
afterEach(() => h.sim.clearFaults());
afterAll(() => h.close());

const ORG = '/api.xro/2.0/Organisation';

/** What xero-node made of GET /Organisation: its rejection, or a stand-in with statusCode 200 when it succeeded. */
async function failure(on: SimForTest = h): Promise<ReturnType<typeof parseXeroError>> {
  return parseXeroError(await on.xero.accountingApi.getOrganisations(on.tenantId).then(() => '{"response":{"statusCode":200}}', (e: unknown) => e));
}

const LIMIT_HEADERS = ['x-daylimit-remaining', 'x-minlimit-remaining', 'x-appminlimit-remaining'];

describe('fault kinds', () => {
  it('500: xero-node rejects with statusCode 500 and Xero\'s error body', async () => {
    h.sim.addFault({ kind: '500', path: ORG });
    const error = await failure();
    expect(error.response.statusCode).toBe(500);
    expect(error.body).toMatchObject({ Type: 'UnknownErrorException' });
    // Every answer for a known tenant carries the limit headers, injected failures too.
    for (const name of LIMIT_HEADERS) expect(error.response.headers[name]).toMatch(/^\d+$/);
  });

  it('503: xero-node rejects with statusCode 503 and a text body', async () => {
    h.sim.addFault({ kind: '503', path: ORG });
    const error = await failure();
    expect(error.response.statusCode).toBe(503);
    expect(typeof error.body).toBe('string');
    expect(error.response.headers['x-daylimit-remaining']).toMatch(/^\d+$/);
  });

  it('404: xero-node rejects with statusCode 404 and Xero\'s text/html "cannot be found" page', async () => {
    h.sim.addFault({ kind: '404', path: ORG, times: 1 });
    const error = await failure();
    expect(error.response.statusCode).toBe(404);
    expect(error.body).toBe("The resource you're looking for cannot be found");
    expect(error.response.headers['content-type']).toMatch(/^text\/html/);
    expect((await failure()).response.statusCode).toBe(200);
  });

  it('reset: the connection drops, xero-node rejects with statusCode 0 and the socket error', async () => {
    h.sim.addFault({ kind: 'reset', path: ORG });
    const error = await failure();
    expect(error.response.statusCode).toBe(0);
    expect(String(error.body)).toMatch(/socket hang up|ECONNRESET/);
  });

  it('hang: with axios.defaults.timeout set on xero-node\'s own axios, the call fails with statusCode 0 "timeout of … exceeded"', async () => {
    const axios = xeroNodeAxios();
    const previous = axios.defaults.timeout;
    axios.defaults.timeout = 300;
    try {
      h.sim.addFault({ kind: 'hang', path: ORG });
      const error = await failure();
      expect(error.response.statusCode).toBe(0);
      expect(error.body).toBe('timeout of 300ms exceeded');
    } finally {
      axios.defaults.timeout = previous ?? 0;
    }
    // The hung request released its concurrency slot when the client gave up.
    while (h.sim.limitUsage(h.tenantId).inFlight > 0) await new Promise((resolve) => setImmediate(resolve));
  });

  it('latency: the call still succeeds, and the request log records the fault', async () => {
    h.sim.addFault({ kind: 'latency', path: ORG, ms: 50 });
    const since = h.sim.requests().at(-1)?.seq ?? 0;
    const res = await h.xero.accountingApi.getOrganisations(h.tenantId);
    expect(res.response.status).toBe(200);
    expect(h.sim.requests({ since, path: ORG }).map((r) => r.fault)).toEqual(['latency']);
  });

  it('429 burst of n: the next n calls are refused with Retry-After and X-Rate-Limit-Problem, then calls succeed', async () => {
    h.sim.addFault({ kind: '429', path: ORG, times: 2 });
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push((await failure()).response);
    expect(answers.map((a) => a.statusCode)).toEqual([429, 429, 200]);
    expect(answers[0]!.headers).toMatchObject({ 'retry-after': '1', 'x-rate-limit-problem': 'minute' });
    for (const name of LIMIT_HEADERS) expect(answers[0]!.headers[name]).toMatch(/^\d+$/);
  });

  it('matches faults by method and path pattern only', async () => {
    h.sim.addFault({ kind: '500', method: 'POST', path: '/api.xro/2.0/Invoices*' });
    expect((await h.xero.accountingApi.getOrganisations(h.tenantId)).response.status).toBe(200);
    expect(h.sim.faults().faults).toHaveLength(1);
  });

  it('injects faults on the token endpoint too', async () => {
    h.sim.addFault({ kind: '503', path: '/connect/token', times: 1 });
    await expect(h.sim.fetchToken()).rejects.toThrow(/503/);
    h.sim.addFault({ kind: 'reset-after', path: '/connect/token', times: 1 });
    await expect(h.sim.fetchToken()).rejects.toThrow(/fetch failed/);
    await expect(h.sim.fetchToken()).resolves.toMatchObject({ token_type: 'Bearer' });
  });

  it('is driven over the admin API: POST /_sim/faults validates, DELETE clears', async () => {
    await expect(h.admin('/faults', { kind: 'explode' })).rejects.toMatchObject({ status: 400 });
    const added = await h.admin('/faults', { faults: [{ kind: '503', path: ORG }] });
    expect(added.faults[0]).toMatchObject({ kind: '503', id: expect.any(String) });
    expect((await failure()).response.statusCode).toBe(503);
    await h.admin('/faults', undefined, 'DELETE');
    expect((await failure()).response.statusCode).toBe(200);
  });

  it('never applies to the admin API', async () => {
    h.sim.addFault({ kind: '500' });
    expect((await h.admin('/counters')).total).toBeGreaterThan(0);
  });
});

describe('shutdown', () => {
  it('close() ends a request that hangs forever: xero-node sees the connection drop (statusCode 0) and close resolves', async () => {
    const other = await startSimForTest();
    other.sim.addFault({ kind: 'hang', path: ORG });
    const pending = failure(other);
    while (other.sim.limitUsage(other.tenantId).inFlight === 0) await new Promise((resolve) => setImmediate(resolve));
    await other.close();
    expect((await pending).response.statusCode).toBe(0);
    await other.close(); // idempotent
  });
});

describe('random faults', () => {
  async function statusesWithSeed(seed: number): Promise<number[]> {
    const seeded = await startSimForTest({ seed, randomFaults: { '500': 0.3, '503': 0.2 } });
    try {
      const out: number[] = [];
      for (let i = 0; i < 30; i++) out.push((await failure(seeded)).response.statusCode);
      return out;
    } finally {
      await seeded.close();
    }
  }

  it('leave the token endpoint alone by default, so a client can still authenticate', async () => {
    // startSimForTest takes its token from /connect/token: it would reject if the 503-always rate reached it.
    const seeded = await startSimForTest({ seed: 1, randomFaults: { '503': 1 } });
    try {
      expect((await failure(seeded)).response.statusCode).toBe(503);
      await expect(seeded.sim.fetchToken()).resolves.toMatchObject({ token_type: 'Bearer' });
    } finally {
      await seeded.close();
    }
  });

  it('repeat exactly for the same seed, and mix failures with successes at the configured rates', async () => {
    const a = await statusesWithSeed(7);
    const b = await statusesWithSeed(7);
    expect(a).toEqual(b);
    expect(a).toContain(200);
    expect(a.some((s) => s === 500 || s === 503)).toBe(true);
  });
});
