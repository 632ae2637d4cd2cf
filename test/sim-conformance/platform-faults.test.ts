import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../sim/index.ts';
import { parseXeroError, startSimForTest, xeroNodeAxios, type SimForTest } from './harness.ts';

/** Injected faults as xero-node (v20, no retries, no default timeout) surfaces them. */
let h: SimForTest;
beforeAll(async () => {
  h = await startSimForTest();
});
afterEach(() => h.sim.clearFaults());
afterAll(() => h.close());

const ORG = '/api.xro/2.0/Organisation';

async function failure(): Promise<ReturnType<typeof parseXeroError>> {
  return parseXeroError(await h.xero.accountingApi.getOrganisations(h.tenantId).then(() => '{"response":{"statusCode":200}}', (e: unknown) => e));
}

describe('fault kinds', () => {
  it('500: xero-node rejects with statusCode 500 and Xero\'s error body', async () => {
    h.sim.addFault({ kind: '500', path: ORG });
    const error = await failure();
    expect(error.response.statusCode).toBe(500);
    expect(error.body).toMatchObject({ Type: 'UnknownErrorException' });
  });

  it('503: xero-node rejects with statusCode 503 and a text body', async () => {
    h.sim.addFault({ kind: '503', path: ORG });
    const error = await failure();
    expect(error.response.statusCode).toBe(503);
    expect(typeof error.body).toBe('string');
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

  it('429 burst of n: the next n calls are refused with Retry-After, then calls succeed', async () => {
    h.sim.addFault({ kind: '429', path: ORG, times: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await failure()).response.statusCode);
    expect(statuses).toEqual([429, 429, 200]);
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
  it('close() ends a request that hangs forever: the client sees the connection drop and close resolves', async () => {
    const sim = await startSimulator();
    sim.addFault({ kind: 'hang', path: ORG });
    const token = (await sim.fetchToken()).access_token;
    const pending = fetch(`${sim.url}${ORG}`, { headers: { authorization: `Bearer ${token}` } }).then(
      () => 'answered',
      () => 'dropped',
    );
    while (sim.limitUsage(sim.defaultTenantId).inFlight === 0) await new Promise((resolve) => setImmediate(resolve));
    await sim.close();
    expect(await pending).toBe('dropped');
    await sim.close(); // idempotent
  });
});

describe('random faults', () => {
  async function statusesWithSeed(seed: number): Promise<number[]> {
    const sim = await startSimulator({ seed, randomFaults: { '500': 0.3, '503': 0.2 } });
    try {
      const token = (await sim.fetchToken()).access_token;
      const out: number[] = [];
      for (let i = 0; i < 30; i++) {
        const res = await fetch(`${sim.url}${ORG}`, { headers: { authorization: `Bearer ${token}` } });
        await res.arrayBuffer();
        out.push(res.status);
      }
      return out;
    } finally {
      await sim.close();
    }
  }

  it('leave the token endpoint alone by default, so a client can still authenticate', async () => {
    const sim = await startSimulator({ seed: 1, randomFaults: { '503': 1 } });
    try {
      await expect(sim.fetchToken()).resolves.toMatchObject({ token_type: 'Bearer' });
    } finally {
      await sim.close();
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
