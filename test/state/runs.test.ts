import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishRun, listRecentRuns, markStaleRunsInterrupted, startRun } from '../../daemon/src/state/runs.ts';
import type { StateDb } from '../../daemon/src/state/tables.ts';
import type { TestDb } from '../helpers/test-db.ts';
import { createMigratedDb } from './migrated-db.ts';

describe('runs repository', () => {
  let t: TestDb;
  let db: StateDb;
  beforeAll(async () => { const m = await createMigratedDb('runs'); t = m; db = m.state; });
  afterAll(async () => { await t?.drop(); });

  it('starts a run as running and finishes it with its stats', async () => {
    const id = await startRun(db, { instance: 'p1', kind: 'sync', dryRun: true, owner: 'host:1' });
    expect(await finishRun(db, id, { status: 'ok', stats: { created: 2, failed: 1 } })).toBe(true);
    const [run] = await listRecentRuns(db, { instance: 'p1' });
    expect(run).toMatchObject({ ID: id, KIND: 'sync', STATUS: 'ok', DRY_RUN: 'Y', OWNER: 'host:1', stats: { created: 2, failed: 1 }, ERROR: null });
    expect(run!.FINISHED_AT! >= run!.STARTED_AT).toBe(true);
  });

  it('marks running rows of a dead process interrupted, leaving its own and other instances alone', async () => {
    const dead = await startRun(db, { instance: 'p2', kind: 'sync', owner: 'host:111' });
    const mine = await startRun(db, { instance: 'p2', kind: 'scan', owner: 'host:222' });
    const otherInstance = await startRun(db, { instance: 'p3', kind: 'sync', owner: 'host:111' });
    expect(await markStaleRunsInterrupted(db, 'p2', 'host:222')).toBe(1);
    const byId = new Map((await listRecentRuns(db, { limit: 50 })).map((r) => [r.ID, r]));
    expect(byId.get(dead)).toMatchObject({ STATUS: 'interrupted', ERROR: 'process host:111 ended before the run finished' });
    expect(byId.get(dead)!.FINISHED_AT).not.toBeNull();
    expect(byId.get(mine)!.STATUS).toBe('running');
    expect(byId.get(otherInstance)!.STATUS).toBe('running');
  });

  it('does not let a late finish overwrite a run already marked interrupted', async () => {
    const id = await startRun(db, { instance: 'p4', kind: 'pull', owner: 'host:333' });
    await markStaleRunsInterrupted(db, 'p4', 'host:444');
    expect(await finishRun(db, id, { status: 'ok' })).toBe(false);
    expect((await listRecentRuns(db, { instance: 'p4' }))[0]!.STATUS).toBe('interrupted');
  });

  it('shows unreadable stats as null instead of failing the listing', async () => {
    const id = await startRun(db, { instance: 'p5', kind: 'sync' });
    await sql`UPDATE b_b24xero_run SET STATS = '{broken' WHERE ID = ${id}`.execute(db);
    expect((await listRecentRuns(db, { instance: 'p5' }))[0]!.stats).toBeNull();
  });
});
