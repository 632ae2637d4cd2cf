import { Kysely, MysqlDialect, sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  changeFeedBacklog, claimChanges, claimQuery, collapseChanges, completeChanges, newClaimerId, releaseChanges,
} from '../../daemon/src/state/change-feed.ts';
import { createPoolFromUrl } from '../../daemon/src/db/connect.ts';
import { createTestDb, type TestDb } from '../helpers/test-db.ts';
import { applyModuleSchema, explain } from './module-schema.ts';

let t: TestDb;

beforeAll(async () => {
  t = await createTestDb('change_feed');
  await applyModuleSchema(t.db);
});
afterAll(async () => {
  await t?.drop();
});
beforeEach(async () => {
  await sql`TRUNCATE TABLE b_b24xero_change`.execute(t.db);
});

/** What the module's event handlers write: one row per add/update/delete. */
async function feed(rows: Array<{ type?: string; id: number; action?: string }>): Promise<number[]> {
  const ids: number[] = [];
  for (const r of rows) {
    const res = await t.db.insertInto('b_b24xero_change').values({
      ENTITY_TYPE: r.type ?? 'smart_invoice', ENTITY_ID: r.id, ACTION: r.action ?? 'update',
      CREATED_AT: sql`UTC_TIMESTAMP(3)`, CLAIMED_BY: null, CLAIMED_UNTIL: null,
    }).executeTakeFirstOrThrow();
    ids.push(Number(res.insertId));
  }
  return ids;
}

async function feedMany(n: number): Promise<void> {
  const values = Array.from({ length: n }, (_, i) => `('smart_invoice', ${i + 1}, 'update', UTC_TIMESTAMP(3))`);
  for (let i = 0; i < values.length; i += 1000) {
    await sql.raw(`INSERT INTO b_b24xero_change (ENTITY_TYPE, ENTITY_ID, ACTION, CREATED_AT) VALUES ${values.slice(i, i + 1000).join(',')}`).execute(t.db);
  }
}

async function remainingIds(): Promise<number[]> {
  const rows = await t.db.selectFrom('b_b24xero_change').select('ID').orderBy('ID').execute();
  return rows.map((r) => Number(r.ID));
}

describe('change feed claiming', () => {
  it('never gives the same row to two claimers running at the same time', async () => {
    await feedMany(600);
    const claimers = [newClaimerId('a'), newClaimerId('b'), newClaimerId('c'), newClaimerId('d')];
    const takenBy = new Map<string, number[]>();
    await Promise.all(claimers.map(async (claimer) => {
      const mine: number[] = [];
      for (;;) {
        const claim = await claimChanges(t.db, { claimer, limit: 17, leaseSeconds: 600 });
        if (claim.changeIds.length === 0) break;
        mine.push(...claim.changeIds);
      }
      takenBy.set(claimer, mine);
    }));
    const all = [...takenBy.values()].flat();
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBe(600);
    // Every claimer got work: the claims really did interleave.
    expect([...takenBy.values()].filter((ids) => ids.length > 0).length).toBeGreaterThan(1);
  });

  it('does not hand out rows under a live lease', async () => {
    await feed([{ id: 1 }, { id: 2 }]);
    const first = await claimChanges(t.db, { claimer: 'first', limit: 10, leaseSeconds: 600 });
    const second = await claimChanges(t.db, { claimer: 'second', limit: 10, leaseSeconds: 600 });
    expect(first.changeIds).toHaveLength(2);
    expect(second.changeIds).toEqual([]);
  });

  it('claims oldest rows first and no more than the limit', async () => {
    const ids = await feed([{ id: 5 }, { id: 6 }, { id: 7 }]);
    const claim = await claimChanges(t.db, { claimer: 'x', limit: 2 });
    expect(claim.changeIds).toEqual(ids.slice(0, 2));
  });

  it('lets another claimer take the rows of an expired lease, and then the first one cannot complete them', async () => {
    const ids = await feed([{ id: 1 }, { id: 2 }]);
    const dead = await claimChanges(t.db, { claimer: 'dead', limit: 10, leaseSeconds: 600 });
    expect(dead.claimer).toMatch(/^dead#[0-9a-f]{8}$/);
    expect(dead.changeIds).toEqual(ids);
    // The claimer died; its lease runs out (moved into the past rather than waited for).
    await sql`UPDATE b_b24xero_change SET CLAIMED_UNTIL = UTC_TIMESTAMP(3) - INTERVAL 1 SECOND`.execute(t.db);

    const heir = await claimChanges(t.db, { claimer: 'heir', limit: 10, leaseSeconds: 600 });
    expect(heir.changeIds).toEqual(ids);
    expect(await completeChanges(t.db, dead.claimer, ids)).toBe(0);
    expect(await remainingIds()).toEqual(ids);
    expect(await completeChanges(t.db, heir.claimer, ids)).toBe(2);
    expect(await remainingIds()).toEqual([]);
  });

  it('deletes completed rows but keeps a newer change of the same entity written during the sync', async () => {
    const [first] = await feed([{ id: 42 }]);
    const claim = await claimChanges(t.db, { claimer: 'w', limit: 10 });
    const [newer] = await feed([{ id: 42 }]);
    expect(await completeChanges(t.db, claim.claimer, claim.changeIds)).toBe(1);
    expect(await remainingIds()).toEqual([newer]);
    expect(first).not.toBe(newer);
    const next = await claimChanges(t.db, { claimer: 'w', limit: 10 });
    expect(next.items.map((i) => [i.entityType, i.entityId])).toEqual([['smart_invoice', 42]]);
  });

  it('returns released rows to the feed, at once or after a back-off', async () => {
    const ids = await feed([{ id: 1 }, { id: 2 }]);
    const claim = await claimChanges(t.db, { claimer: 'w', limit: 10 });
    expect(await releaseChanges(t.db, claim.claimer, [ids[0]!])).toBe(1);
    expect(await releaseChanges(t.db, claim.claimer, [ids[1]!], { retryAfterSeconds: 3600 })).toBe(1);
    const again = await claimChanges(t.db, { claimer: 'other', limit: 10 });
    expect(again.changeIds).toEqual([ids[0]]);
    expect(await changeFeedBacklog(t.db)).toEqual({ waiting: 0, leased: 2 });
  });

  it('collapses many rows for one entity into one work item that carries every row id and the last action', async () => {
    const ids = await feed([
      { type: 'smart_invoice', id: 9 }, { type: 'contact', id: 9 }, { type: 'smart_invoice', id: 9 },
      { type: 'smart_invoice', id: 10, action: 'add' }, { type: 'smart_invoice', id: 9, action: 'delete' },
    ]);
    const claim = await claimChanges(t.db, { claimer: 'w', limit: 50 });
    expect(claim.changeIds).toEqual(ids);
    expect(claim.items.map(({ entityType, entityId, changeIds, lastAction }) => ({ entityType, entityId, changeIds, lastAction }))).toEqual([
      { entityType: 'smart_invoice', entityId: 9, changeIds: [ids[0], ids[2], ids[4]], lastAction: 'delete' },
      { entityType: 'contact', entityId: 9, changeIds: [ids[1]], lastAction: 'update' },
      { entityType: 'smart_invoice', entityId: 10, changeIds: [ids[3]], lastAction: 'add' },
    ]);
  });

  it('reports rows a buggy handler wrote with an unknown entity type instead of failing the claim', async () => {
    const ids = await feed([{ type: 'deal', id: 1 }, { id: 2, action: 'merge' }, { id: 3 }]);
    const claim = await claimChanges(t.db, { claimer: 'w', limit: 50 });
    expect(claim.invalid.map((i) => i.id)).toEqual([ids[0], ids[1]]);
    expect(claim.items.map((i) => i.entityId)).toEqual([3]);
  });

  it('gives each claim its own token, so a second claim by the same process returns only the new rows', async () => {
    const ids = await feed([{ id: 1 }, { id: 2 }, { id: 3 }]);
    const one = await claimChanges(t.db, { claimer: 'same', limit: 2 });
    const two = await claimChanges(t.db, { claimer: 'same', limit: 2 });
    expect(one.changeIds).toEqual(ids.slice(0, 2));
    expect(two.changeIds).toEqual(ids.slice(2));
    expect(one.claimer).not.toBe(two.claimer);
  });

  it('costs one statement that changes nothing when the feed is empty', async () => {
    const statements: string[] = [];
    const counting = new Kysely<any>({
      dialect: new MysqlDialect({ pool: createPoolFromUrl(t.url, { connectionLimit: 1 }) }),
      log: (event) => { if (event.level === 'query') statements.push(event.query.sql); },
    });
    try {
      const claim = await claimChanges(counting, { claimer: 'idle' });
      expect(claim).toMatchObject({ changeIds: [], items: [], invalid: [] });
      expect(statements).toHaveLength(1);
      expect(statements[0]).toMatch(/^UPDATE b_b24xero_change/);
    } finally {
      await counting.destroy();
    }
  });

  it('rejects a claimer id that does not fit CLAIMED_BY', async () => {
    await expect(claimChanges(t.db, { claimer: 'x'.repeat(56) })).rejects.toThrow(/claimer/);
    expect(newClaimerId('a-very-long-instance-name-'.repeat(4)).length).toBeLessThanOrEqual(55);
  });

  it('claims through an index, not a table scan', async () => {
    await feedMany(20_000);
    // Half the feed is under lease, as in a busy moment.
    await sql`UPDATE b_b24xero_change SET CLAIMED_BY = 'busy', CLAIMED_UNTIL = UTC_TIMESTAMP(3) + INTERVAL 1 HOUR WHERE ID % 2 = 0`.execute(t.db);
    await sql`ANALYZE TABLE b_b24xero_change`.execute(t.db);
    const [plan] = await explain(t.db, claimQuery(t.db, 'w', 200, 60));
    // An ordered walk of the primary key that stops after the limit, not a table scan nor a sort of the backlog.
    expect(plan).toMatchObject({ key: 'PRIMARY', type: 'index' });
    expect(plan?.Extra ?? '').not.toMatch(/filesort/i);
  });
});

describe('collapseChanges', () => {
  it('keeps the order of each entity\'s first row', () => {
    const at = '2026-01-01 00:00:00.000';
    const { items } = collapseChanges([
      { ID: 3, ENTITY_TYPE: 'company', ENTITY_ID: 1, ACTION: 'update', CREATED_AT: at },
      { ID: 1, ENTITY_TYPE: 'contact', ENTITY_ID: 1, ACTION: 'add', CREATED_AT: at },
      { ID: 2, ENTITY_TYPE: 'company', ENTITY_ID: 1, ACTION: 'add', CREATED_AT: at },
    ]);
    expect(items.map((i) => `${i.entityType}:${i.changeIds.join(',')}:${i.lastAction}`)).toEqual(['contact:1:add', 'company:2,3:update']);
  });
});
