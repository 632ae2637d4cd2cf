import { gatewayForDatabase } from '../../daemon/src/runtime/compose.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../sim/index.ts';
import { createTestDb, type TestDb } from '../helpers/test-db.ts';
import { XeroApiError } from '../../daemon/src/xero/errors.ts';
import { XeroGateway } from '../../daemon/src/xero/xero-gateway.ts';
import { applyModuleSchema, gatewayOptionsFor, rejection, startSim } from './support/sim-gateway.ts';

/** The rate governor against the simulator's Xero-like limits, with the daily budget in a real MariaDB. */
let testDb: TestDb;

beforeAll(async () => {
  testDb = await createTestDb('xero_governor');
  await applyModuleSchema(testDb.db);
});
afterAll(async () => {
  await testDb.drop();
});

async function governorRow(tenantId: string) {
  return testDb.db.selectFrom('b_b24xero_governor').selectAll().where('TENANT_ID', '=', tenantId).executeTakeFirst();
}

describe('at 60 calls per simulated minute', () => {
  const K = 30; // a simulated minute lasts two real seconds
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSim({ timeScale: K, limits: { perMinute: 60, concurrent: 5, perDay: 5000 } });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('makes 150 calls with no 429 at all, never more than 5 at once', async () => {
    // Every call is held 25 ms inside the simulator, so calls overlap and a sixth concurrent one would be refused.
    sim.addFault({ kind: 'latency', path: '/api.xro/2.0/*', ms: 25 });
    // The governor runs on the wall clock; its window is one simulated minute (plus 10 % for jitter) in real ms.
    const gw = gatewayForDatabase(gatewayOptionsFor(sim, { minuteLimit: 60 }), testDb.db, { governor: { windowMs: 66_000 / K } });
    const tenantId = await gw.connect();
    sim.resetCounters();
    const ops = [() => gw.getTaxRates(), () => gw.getContacts({ page: 1 }), () => gw.getOrganisation(), () => gw.getInvoices({ page: 1 })];
    await Promise.all(Array.from({ length: 150 }, (_, i) => ops[i % ops.length]!()));

    const counters = sim.counters();
    expect(counters.byTenant[tenantId]?.requests).toBe(150);
    expect(counters.rateLimited).toBe(0); // the simulator answers 429 for a 61st call in a minute and for a 6th in flight
    expect(counters.tokenRequests).toBe(0); // the 60-second token (1800 s / K) outlived the run: no refresh per call
    expect(await gw.stats()).toMatchObject({ calls: 150, rateLimited: 0, active: 0 });
    expect(Number((await governorRow(tenantId))?.DAY_USED)).toBeGreaterThanOrEqual(150);
    sim.clearFaults();
  });
});

describe('Retry-After', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSim();
  });
  afterAll(async () => {
    await sim.close();
  });

  it('holds the tenant’s calls for Retry-After after each 429 of a burst, records the block, then succeeds', async () => {
    const gw = gatewayForDatabase(gatewayOptionsFor(sim), testDb.db);
    const tenantId = await gw.connect();
    const since = sim.requests().at(-1)?.seq ?? 0;
    sim.addFault({ kind: '429', path: '/api.xro/2.0/Contacts*', times: 3 }); // each: Retry-After: 1, problem minute

    const page = await gw.getContacts();
    expect(page.items).toEqual(expect.any(Array));

    const calls = sim.requests({ path: '/api.xro/2.0/Contacts', since });
    expect(calls.map((c) => c.status)).toEqual([429, 429, 429, 200]);
    for (let i = 1; i < calls.length; i++) {
      // at time scale 1 the simulator's clock is the wall clock: each repeat came no sooner than Retry-After
      expect(Date.parse(calls[i]!.time) - Date.parse(calls[i - 1]!.time)).toBeGreaterThanOrEqual(1_000);
    }
    expect(await gw.stats()).toMatchObject({ rateLimited: 3 });
    expect((await governorRow(tenantId))?.BLOCKED_UNTIL).not.toBeNull();
  });

  it('gives up with a typed, retryable rate_limit error when the 429s do not stop', async () => {
    const gw = gatewayForDatabase(gatewayOptionsFor(sim), testDb.db, { maxRateLimitRetries: 1 });
    await gw.connect();
    sim.addFault({ kind: '429', path: '/api.xro/2.0/Items*', times: 2 });
    const err = await rejection(gw.getItems());
    expect(err).toBeInstanceOf(XeroApiError);
    expect(err).toMatchObject({ type: 'rate_limit', status: 429, rateLimitProblem: 'minute', retryAfterSeconds: 1, classification: 'retry' });
  });
});

describe('daily budget', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    // A tenant of its own, so the budget row starts empty.
    sim = await startSim({ organisations: [{ country: 'NZ', tenantId: 'b5b5b5b5-0000-4000-8000-00000000d41e' }] });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('survives a restart: a new gateway on the same database continues the day’s count and stops at the budget', async () => {
    const options = gatewayOptionsFor(sim, { dailyBudget: 5 });
    const first = gatewayForDatabase(options, testDb.db);
    const tenantId = await first.connect();
    for (let i = 0; i < 3; i++) await first.getOrganisation();
    expect(await governorRow(tenantId)).toMatchObject({ DAY_USED: 3, DAY_UTC: new Date().toISOString().slice(0, 10) });

    const second = gatewayForDatabase(options, testDb.db); // as after a restart
    sim.resetCounters();
    await second.getOrganisation();
    await second.getTaxRates();
    const err = await rejection(second.getCurrencies());
    expect(err).toMatchObject({ type: 'budget_exhausted', classification: 'retry' });
    const tomorrow = new Date();
    tomorrow.setUTCHours(24, 0, 0, 0);
    expect((err as XeroApiError).retryAt?.toISOString()).toBe(tomorrow.toISOString());
    expect(sim.counters().byTenant[tenantId]?.requests).toBe(2); // the refused call never reached Xero
    expect(Number((await governorRow(tenantId))?.DAY_USED)).toBe(5);
  });
});
