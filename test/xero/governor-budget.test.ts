import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../helpers/test-db.ts';
import { DbGovernorBudgetStore } from '../../daemon/src/state/governor-budget.ts';
import { applyModuleSchema } from './support/sim-gateway.ts';

/** The daily budget in b_b24xero_governor (real MariaDB). */
let testDb: TestDb;
let store: DbGovernorBudgetStore;
const NOW = Date.UTC(2026, 10, 21, 10, 0, 0);

beforeAll(async () => {
  testDb = await createTestDb('xero_budget');
  await applyModuleSchema(testDb.db);
  store = new DbGovernorBudgetStore(testDb.db);
});
afterAll(async () => {
  await testDb.drop();
});

describe('DbGovernorBudgetStore', () => {
  it('counts calls of the day and refuses the one over the limit', async () => {
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await store.reserve('count', '2026-11-21', 3, NOW));
    expect(results).toEqual([
      { granted: true, dayUsed: 1 }, { granted: true, dayUsed: 2 }, { granted: true, dayUsed: 3 }, { granted: false, dayUsed: 3 },
    ]);
    expect(await store.load('count')).toMatchObject({ dayUtc: '2026-11-21', dayUsed: 3 });
  });

  it('starts again from one on a new UTC day and forgets the old day’s Xero counters', async () => {
    await store.reserve('roll', '2026-11-21', 10, NOW);
    await store.observe('roll', '2026-11-21', { dayRemaining: 42, minRemaining: 7 }, NOW);
    expect(await store.load('roll')).toMatchObject({ dayRemaining: 42, minRemaining: 7 });
    expect(await store.reserve('roll', '2026-11-22', 10, NOW + 86_400_000)).toEqual({ granted: true, dayUsed: 1 });
    expect(await store.load('roll')).toMatchObject({ dayUtc: '2026-11-22', dayUsed: 1, dayRemaining: null, minRemaining: null });
  });

  it('never grants more than the limit to callers racing on parallel connections', async () => {
    const results = await Promise.all(Array.from({ length: 25 }, () => store.reserve('race', '2026-11-21', 10, NOW)));
    expect(results.filter((r) => r.granted)).toHaveLength(10);
    expect(results.filter((r) => r.granted).map((r) => r.dayUsed).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('persists a Retry-After block and keeps the later of two', async () => {
    await store.block('blocked', NOW + 30_000, NOW);
    await store.block('blocked', NOW + 10_000, NOW);
    expect((await store.load('blocked'))?.blockedUntil).toBe(NOW + 30_000);
  });

  it('knows nothing of a tenant it never saw', async () => {
    expect(await store.load('nobody')).toBeNull();
  });
});
