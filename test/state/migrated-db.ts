import { migrate } from '../../daemon/src/state/migrator.ts';
import type { StateDb } from '../../daemon/src/state/tables.ts';
import { createTestDb, type TestDb } from '../helpers/test-db.ts';

/** A test database of its own with the module tables migrated, typed for the state repositories. */
export async function createMigratedDb(label: string): Promise<TestDb & { state: StateDb }> {
  const t = await createTestDb(label);
  await migrate(t.db);
  return Object.assign(t, { state: t.db as StateDb });
}
