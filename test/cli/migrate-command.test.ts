import { expectedModuleTableCount } from '../helpers/module-tables.ts';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMigrationFiles } from '../../daemon/src/state/migration-files.ts';
import { createTestDb, type TestDb } from '../helpers/test-db.ts';

const BIN = fileURLToPath(new URL('../../daemon/bin/b24xero.js', import.meta.url));

interface Exit { code: number; stdout: string; stderr: string }

/** Runs the real bin as a child process, in an empty directory so no developer .env is picked up. */
function b24xero(args: string[], env: Record<string, string>, cwd: string): Promise<Exit> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, env: { PATH: process.env.PATH ?? '', ...env } }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('b24xero migrate (child process)', () => {
  let t: TestDb;
  let cwd: string;
  beforeAll(async () => {
    t = await createTestDb('cli_migrate');
    cwd = await mkdtemp(join(tmpdir(), 'b24x-cli-'));
  });
  afterAll(async () => {
    await t?.drop();
    await rm(cwd, { recursive: true, force: true });
  });

  it('exits 0, prints what it applied, and the tables exist', async () => {
    const run = await b24xero(['migrate'], { BITRIX_DB_URL: t.url }, cwd);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/applying 001_initial/);
    expect(run.stdout).toMatch(/applied \d+ migration\(s\): 001_initial/);
    const { rows } = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM information_schema.TABLES
      WHERE TABLE_SCHEMA = ${t.name} AND TABLE_NAME LIKE 'b\\_b24xero\\_%'`.execute(t.db);
    expect(Number(rows[0]!.n)).toBe(expectedModuleTableCount());
  });

  it('says the schema is current on a second run and --check agrees', async () => {
    const run = await b24xero(['migrate'], { BITRIX_DB_URL: t.url }, cwd);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/schema is current/);
    const check = await b24xero(['migrate', '--check', '--json'], { BITRIX_DB_URL: t.url }, cwd);
    expect(check.code).toBe(0);
    expect(JSON.parse(check.stdout)).toMatchObject({ current: true, pending: [], changed: [] });
  });

  it('applies each file once when two processes migrate a fresh database at the same time', async () => {
    const fresh = await createTestDb('cli_migrate_race');
    try {
      const [a, b] = await Promise.all([
        b24xero(['migrate', '--json'], { BITRIX_DB_URL: fresh.url }, cwd),
        b24xero(['migrate', '--json'], { BITRIX_DB_URL: fresh.url }, cwd),
      ]);
      expect([a.code, b.code]).toEqual([0, 0]);
      const applied = [...JSON.parse(a.stdout).applied, ...JSON.parse(b.stdout).applied].map((f: { name: string }) => f.name);
      const files = await readMigrationFiles();
      expect(applied.sort()).toEqual(files.map((f) => f.name).sort());
      const { rows } = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM b_b24xero_migration`.execute(fresh.db);
      expect(Number(rows[0]!.n)).toBe(files.length);
    } finally {
      await fresh.drop();
    }
  });

  it('reads BITRIX_DB_URL from the file named by B24X_ENV_FILE', async () => {
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(cwd, 'portal.env'), `BITRIX_DB_URL=${t.url}\n`);
    const run = await b24xero(['migrate'], { B24X_ENV_FILE: 'portal.env' }, cwd);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/schema is current/);
  });

  it('exits 1 with a clear message when BITRIX_DB_URL is missing', async () => {
    const run = await b24xero(['migrate'], {}, cwd);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/BITRIX_DB_URL is required/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 1 without a stack or the password when the database refuses the login', async () => {
    const url = new URL(t.url);
    url.username = 'nobody_here';
    url.password = 'pw-should-not-print';
    const run = await b24xero(['migrate'], { BITRIX_DB_URL: url.toString() }, cwd);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/database: .*Access denied/);
    expect(run.stderr).not.toContain('pw-should-not-print');
  });
});

describe('b24xero entry point', () => {
  let cwd: string;
  beforeAll(async () => { cwd = await mkdtemp(join(tmpdir(), 'b24x-cli-')); });
  afterAll(async () => { await rm(cwd, { recursive: true, force: true }); });

  it('prints usage listing the commands and exits 2 on an unknown command', async () => {
    const run = await b24xero(['frobnicate'], {}, cwd);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unknown command 'frobnicate'/);
    expect(run.stderr).toMatch(/usage: b24xero <command>/);
    expect(run.stderr).toMatch(/\n  migrate +create or update/);
  });

  it('exits 2 with the command usage on a bad option', async () => {
    const run = await b24xero(['migrate', '--frob'], {}, cwd);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/usage: b24xero migrate/);
  });

  it('prints help and exits 0', async () => {
    const run = await b24xero(['help', 'migrate'], {}, cwd);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/usage: b24xero migrate \[--check\]/);
  });
});
