import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueInbox } from '../../daemon/src/state/inbox.ts';
import { markLinkSynced, recordCreateIntent } from '../../daemon/src/state/links.ts';
import { migrate } from '../../daemon/src/state/migrator.ts';
import { recordError } from '../../daemon/src/state/record-errors.ts';
import { finishRun, startRun } from '../../daemon/src/state/runs.ts';
import type { StateDb } from '../../daemon/src/state/tables.ts';
import { createTestDb, type TestDb } from '../helpers/test-db.ts';
import { runInProcess } from './run-in-process.ts';

const cli = runInProcess;

describe('b24xero status', () => {
  let t: TestDb;
  beforeAll(async () => { t = await createTestDb('cli_status'); });
  afterAll(async () => { await t?.drop(); });

  it('tells the admin to migrate when the module tables do not exist', async () => {
    const run = await cli(['status'], { BITRIX_DB_URL: t.url });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/run 'b24xero migrate'/);
  });

  it('reports runs, open errors, pending inbox and links, as JSON too', async () => {
    await migrate(t.db);
    const db = t.db as StateDb;
    const runId = await startRun(db, { instance: 'portal', kind: 'sync' });
    await finishRun(db, runId, { status: 'ok', stats: { created: 3 } });
    await startRun(db, { instance: 'other', kind: 'sync' });
    await recordError(db, { entityType: 'smart_invoice', entityId: 4, operation: 'push', errorClass: 'needs_person', code: 'VALIDATION', message: 'bad account' });
    await enqueueInbox(db, { entityType: 'smart_invoice', entityId: 4, action: 'set_fields', payload: { fields: {} } });
    await recordCreateIntent(db, { entityType: 'contact', entityId: 1, idempotencyKey: 'c1' });
    await recordCreateIntent(db, { entityType: 'smart_invoice', entityId: 4, idempotencyKey: 'i4' });
    await markLinkSynced(db, { entityType: 'smart_invoice', entityId: 4 }, { xeroId: '00000000-0000-0000-0000-000000000004', contentHash: null });

    const env = { BITRIX_DB_URL: t.url, B24X_INSTANCE: 'portal' };
    const json = await cli(['status', '--json'], env);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({
      instance: 'portal',
      schema: { current: true },
      openErrors: { error: 1, warning: 0 },
      pendingInbox: 1,
      links: { contact: { creating: 1 }, smart_invoice: { synced: 1 } },
    });
    expect(report.runs.map((r: { ID: number; INSTANCE: string }) => r.INSTANCE)).toEqual(['portal']);
    expect(report.runs[0].stats).toEqual({ created: 3 });

    const text = await cli(['status'], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/open errors\s+1 errors, 0 warnings/);
    expect(text.stdout).toMatch(/pending inbox 1/);
    expect(text.stdout).toMatch(new RegExp(`#${runId} sync ok started .* created=3`));
  });

  it('exits 2 on a bad option', async () => {
    const run = await cli(['status', '--runs', 'many'], { BITRIX_DB_URL: t.url });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--runs must be 1 to 100/);
  });
});
