import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMigrationFiles } from '../../daemon/src/state/migration-files.ts';
import { migrate, migrationStatus } from '../../daemon/src/state/migrator.ts';
import { splitSqlStatements } from '../../daemon/src/state/sql-splitter.ts';
import { createTestDb, type TestDb } from '../helpers/test-db.ts';
import { MODULE_CLI, phpJson } from './php.ts';

// The module installer and `b24xero migrate` share sql/ and b_b24xero_migration (sql/README.md): whichever runs
// first, the other must find the same history and have nothing to do.
describe('the installer and the daemon migrate the same way', () => {
  let a: TestDb;
  let b: TestDb;
  beforeAll(async () => { [a, b] = await Promise.all([createTestDb('interop_php_first'), createTestDb('interop_ts_first')]); });
  afterAll(async () => { await Promise.all([a?.drop(), b?.drop()]); });

  it('split every sql/ file into the same statements', async () => {
    for (const file of await readMigrationFiles()) {
      expect(phpJson<string[]>([MODULE_CLI, 'split', file.path]), file.name).toEqual(splitSqlStatements(file.sql));
    }
  });

  it('leaves the daemon nothing to do after the installer migrated, with the same checksums', async () => {
    const files = await readMigrationFiles();
    expect(phpJson<string[]>([MODULE_CLI, 'migrate', a.url])).toEqual(files.map((f) => f.name));
    expect(await migrationStatus(a.db)).toEqual({ applied: files.map((f) => f.version), pending: [], changed: [], unknown: [] });
    expect((await migrate(a.db)).applied).toEqual([]);
    const { rows } = await sql<{ NAME: string; CHECKSUM: string }>`SELECT NAME, CHECKSUM FROM b_b24xero_migration ORDER BY VERSION`.execute(a.db);
    expect(rows).toEqual(files.map((f) => ({ NAME: f.name, CHECKSUM: f.checksum })));
  });

  it('leaves the installer nothing to do after the daemon migrated', async () => {
    await migrate(b.db);
    expect(phpJson<string[]>([MODULE_CLI, 'migrate', b.url])).toEqual([]);
  });
});
