import { expectedModuleTableCount } from '../helpers/module-tables.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../daemon/src/state/migrator.ts';
import { createTestDb, type TestDb } from '../helpers/test-db.ts';
import { runInProcess } from './run-in-process.ts';

const cli = runInProcess;

describe('b24xero grants', () => {
  let t: TestDb;
  beforeAll(async () => { t = await createTestDb('cli_grants'); });
  afterAll(async () => { await t?.drop(); });

  it('asks for migrate first when there are no tables to grant on', async () => {
    const run = await cli(['grants', '--user', 'b24xero'], { BITRIX_DB_URL: t.url });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/run 'b24xero migrate' first/);
  });

  it('prints one GRANT per existing module table for the named account, without executing them', async () => {
    await migrate(t.db);
    const run = await cli(['grants', '--user', 'b24xero', '--host', '10.0.0.%'], { BITRIX_DB_URL: t.url });
    expect(run.code).toBe(0);
    const grants = run.stdout.split('\n').filter((l) => l.startsWith('GRANT'));
    expect(grants).toHaveLength(expectedModuleTableCount());
    expect(grants.every((g) => g.endsWith(`TO 'b24xero'@'10.0.0.%';`))).toBe(true);
  });

  it('exits 2 without --user, and refuses account names it would have to escape', async () => {
    expect((await cli(['grants'], { BITRIX_DB_URL: t.url })).code).toBe(2);
    const odd = await cli(['grants', '--user', "x'; DROP"], { BITRIX_DB_URL: t.url });
    expect(odd.code).toBe(2);
    expect(odd.stderr).toMatch(/may only hold letters, digits/);
  });
});
