import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InstanceLockedError, withInstanceLock } from '../../daemon/src/sync/push/instance-lock.ts';
import { createTestDb, type TestDb } from '../helpers/test-db.ts';

/** Holds the instance lock on `db` until the returned release() is called. */
function holdLock(db: TestDb, instance: string): { held: Promise<void>; release: () => void; done: Promise<unknown> } {
  let release!: () => void;
  let markHeld!: () => void;
  const held = new Promise<void>((resolve) => { markHeld = resolve; });
  const gate = new Promise<void>((resolve) => { release = resolve; });
  const done = withInstanceLock(db.db, instance, async () => { markHeld(); await gate; });
  return { held, release, done };
}

describe('the single-instance lock (ARCHITECTURE rule 8)', () => {
  let portalA: TestDb;
  let portalB: TestDb;
  beforeAll(async () => {
    portalA = await createTestDb('lock_a');
    portalB = await createTestDb('lock_b');
  });
  afterAll(async () => {
    await portalA?.drop();
    await portalB?.drop();
  });

  it('refuses a second pass of the same instance on the same portal database', async () => {
    const first = holdLock(portalA, 'default');
    await first.held;
    await expect(withInstanceLock(portalA.db, 'default', async () => 'ran')).rejects.toBeInstanceOf(InstanceLockedError);
    first.release();
    await first.done;
    await expect(withInstanceLock(portalA.db, 'default', async () => 'ran')).resolves.toBe('ran');
  });

  it('lets two portals on one database server both named "default" sync at the same time', async () => {
    // GET_LOCK names are server-wide: a lock named after the instance alone would make portal B wait for portal A.
    const first = holdLock(portalA, 'default');
    await first.held;
    try {
      await expect(withInstanceLock(portalB.db, 'default', async () => 'ran')).resolves.toBe('ran');
    } finally {
      first.release();
      await first.done;
    }
  });
});
