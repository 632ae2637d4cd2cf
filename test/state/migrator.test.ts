import { mkdtemp, rm, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../daemon/src/db/connect.ts';
import { readMigrationFiles } from '../../daemon/src/state/migration-files.ts';
import { MigrationError, lockNameFor, migrate, migrationStatus } from '../../daemon/src/state/migrator.ts';
import { splitSqlStatements } from '../../daemon/src/state/sql-splitter.ts';
import { createTestDb, type TestDb } from '../helpers/test-db.ts';

const MODULE_TABLES = [
  'b_b24xero_change', 'b_b24xero_contact_name', 'b_b24xero_contact_seen', 'b_b24xero_cursor', 'b_b24xero_governor', 'b_b24xero_inbox', 'b_b24xero_inbox_result', 'b_b24xero_invoice_seen', 'b_b24xero_link',
  'b_b24xero_migration', 'b_b24xero_org_cache', 'b_b24xero_record_error', 'b_b24xero_run', 'b_b24xero_token', 'b_b24xero_transaction',
  'b_b24xero_webhook_event',
];

async function tablesOf(t: TestDb): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`SELECT TABLE_NAME AS name FROM information_schema.TABLES
    WHERE TABLE_SCHEMA = ${t.name} ORDER BY TABLE_NAME`.execute(t.db);
  return rows.map((r) => r.name);
}

describe('lockNameFor', () => {
  it('names the lock after the database, hashing names too long for GET_LOCK', () => {
    expect(lockNameFor('sitemanager')).toBe('b24xero:migrate:sitemanager');
    const long = lockNameFor('x'.repeat(64));
    expect(long).toMatch(/^b24xero:migrate:[0-9a-f]{40}$/);
    expect(long.length).toBeLessThanOrEqual(64);
  });
});

describe('migrate with the real sql/ files', () => {
  let t: TestDb;
  beforeAll(async () => { t = await createTestDb('migrator'); });
  afterAll(async () => { await t?.drop(); });

  it('creates every module table and the migrations table on an empty database', async () => {
    const files = await readMigrationFiles();
    const result = await migrate(t.db);
    expect(result.applied.map((f) => f.name)).toEqual(files.map((f) => f.name));
    expect(result.alreadyApplied).toBe(0);
    expect(await tablesOf(t)).toEqual(MODULE_TABLES);
    const { rows } = await sql<{ VERSION: number; CHECKSUM: string }>`SELECT VERSION, CHECKSUM FROM b_b24xero_migration ORDER BY VERSION`.execute(t.db);
    expect(rows).toEqual(files.map((f) => ({ VERSION: f.version, CHECKSUM: f.checksum })));
  });

  it('gives up with a clear error when another migrator keeps the lock past the timeout', async () => {
    await t.db.connection().execute(async (holder) => {
      await sql`SELECT GET_LOCK(${lockNameFor(t.name)}, 5)`.execute(holder);
      try {
        await expect(migrate(t.db, { lockTimeoutSeconds: 0 })).rejects.toThrow(/another migration holds the lock 'b24xero:migrate:b24xt_migrator_\w+'/);
      } finally {
        await sql`SELECT RELEASE_LOCK(${lockNameFor(t.name)})`.execute(holder);
      }
    });
  });

  it('does nothing on a second run', async () => {
    const files = await readMigrationFiles();
    const result = await migrate(t.db);
    expect(result.applied).toEqual([]);
    expect(result.alreadyApplied).toBe(files.length);
    const status = await migrationStatus(t.db);
    expect(status.pending).toEqual([]);
    expect(status.changed).toEqual([]);
    expect(status.unknown).toEqual([]);
  });
});

describe('migrate after the module installer created the tables', () => {
  let t: TestDb;
  beforeAll(async () => { t = await createTestDb('migrator_installer'); });
  afterAll(async () => { await t?.drop(); });

  it('records the files without error when their tables already exist', async () => {
    for (const file of await readMigrationFiles()) {
      for (const statement of splitSqlStatements(file.sql)) await sql.raw(statement).execute(t.db);
    }
    const result = await migrate(t.db);
    expect(result.applied.map((f) => f.name)).toEqual((await readMigrationFiles()).map((f) => f.name));
    expect((await migrationStatus(t.db)).pending).toEqual([]);
  });
});

describe('migrate with a scratch sql folder', () => {
  let t: TestDb;
  let dir: string;
  beforeAll(async () => {
    t = await createTestDb('migrator_scratch');
    dir = await mkdtemp(join(tmpdir(), 'b24x-sql-'));
  });
  afterAll(async () => {
    await t?.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('applies each file exactly once when two migrators on separate pools start at the same time', async () => {
    // The INSERT is not idempotent on purpose: a second application would add a second row (or fail on the key).
    await writeFile(join(dir, '001_counter.sql'),
      '-- counts applications; a ; in a comment\nCREATE TABLE IF NOT EXISTS scratch_counter (N INT NOT NULL);\n' +
      "INSERT INTO scratch_counter (N) VALUES (1);\nDO SLEEP(0.3);\n");
    await writeFile(join(dir, '002_second.sql'), "INSERT INTO scratch_counter (N) VALUES (2);\n");
    const other = connect<any>(t.url, { connectionLimit: 2 });
    try {
      const [a, b] = await Promise.all([migrate(t.db, { dir }), migrate(other, { dir })]);
      const names = [...a.applied, ...b.applied].map((f) => f.name).sort();
      expect(names).toEqual(['001_counter', '002_second']);
      const { rows } = await sql<{ N: number }>`SELECT N FROM scratch_counter ORDER BY N`.execute(t.db);
      expect(rows).toEqual([{ N: 1 }, { N: 2 }]);
    } finally {
      await other.destroy();
    }
  });

  it('refuses, before applying anything new, when an applied file was changed', async () => {
    await appendFile(join(dir, '001_counter.sql'), '-- edited after release\n');
    await writeFile(join(dir, '003_third.sql'), "INSERT INTO scratch_counter (N) VALUES (3);\n");
    await expect(migrate(t.db, { dir })).rejects.toThrow(MigrationError);
    await expect(migrate(t.db, { dir })).rejects.toThrow(/001_counter\.sql was changed after it was applied/);
    const { rows } = await sql<{ N: number }>`SELECT N FROM scratch_counter ORDER BY N`.execute(t.db);
    expect(rows.map((r) => r.N)).toEqual([1, 2]);
    const status = await migrationStatus(t.db, dir);
    expect(status.changed.map((f) => f.name)).toEqual(['001_counter']);
    expect(status.pending.map((f) => f.name)).toEqual(['003_third']);
  });

  it('refuses a database migrated by a newer build', async () => {
    const older = await mkdtemp(join(tmpdir(), 'b24x-sql-old-'));
    try {
      // The database has 001 and 002 recorded; this "older build" ships no files at all.
      await expect(migrate(t.db, { dir: older })).rejects.toThrow(/does not know: it was migrated by a newer b24xero/);
    } finally {
      await rm(older, { recursive: true, force: true });
    }
  });

  it('names the file and statement when a statement fails, and records nothing for that file', async () => {
    const bad = await mkdtemp(join(tmpdir(), 'b24x-sql-bad-'));
    const db = await createTestDb('migrator_bad');
    try {
      await writeFile(join(bad, '001_ok.sql'), 'CREATE TABLE IF NOT EXISTS scratch_ok (A INT);\n');
      await writeFile(join(bad, '002_bad.sql'), 'CREATE TABLE IF NOT EXISTS scratch_b (A INT);\nCREATE TABLEX oops (A INT);\n');
      await expect(migrate(db.db, { dir: bad })).rejects.toThrow(/002_bad\.sql statement 2 of 2 failed: .*\n\s+CREATE TABLEX oops/);
      const status = await migrationStatus(db.db, bad);
      expect(status.applied).toEqual([1]);
      expect(status.pending.map((f) => f.name)).toEqual(['002_bad']);
    } finally {
      await db.drop();
      await rm(bad, { recursive: true, force: true });
    }
  });
});
