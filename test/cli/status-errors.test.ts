import { spawn } from 'node:child_process';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../daemon/src/state/migrator.ts';
import { recordError } from '../../daemon/src/state/record-errors.ts';
import type { StateDb } from '../../daemon/src/state/tables.ts';
import { BIN, REPO_ROOT } from '../integration/support/cli-process.ts';
import { createTestDb, type TestDb } from '../helpers/test-db.ts';
import { runInProcess } from './run-in-process.ts';

let t: TestDb;
let env: Record<string, string>;
beforeAll(async () => {
  t = await createTestDb('cli_status_errors');
  await migrate(t.db);
  env = { BITRIX_DB_URL: t.url, B24X_INSTANCE: 'shop' };
});
afterAll(async () => { await t?.drop(); });

const db = () => t.db as StateDb;

describe('status lists what a person has to look at', () => {
  let accountError: number;
  let conflict: number;
  beforeAll(async () => {
    accountError = (await recordError(db(), { entityType: 'smart_invoice', entityId: 41, operation: 'push', errorClass: 'needs_person', code: 'xero_account', message: 'Account code 999 is not a valid code for this document.' })).ID;
    await recordError(db(), { entityType: 'smart_invoice', entityId: 41, operation: 'push', errorClass: 'needs_person', code: 'xero_account', message: 'Account code 999 is not a valid code for this document.' });
    conflict = (await recordError(db(), { entityType: 'legacy_invoice', entityId: 7, operation: 'conflict', errorClass: 'never', code: 'approved_in_xero', message: 'edited in Bitrix after Xero approved it (AUTHORISED)' })).ID;
  });

  it('shows each open error with its id, record, code, class, message and since; conflicts apart', async () => {
    const run = await runInProcess(['status'], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^conflicts +1$/m);
    expect(run.stdout).toContain('open errors: 1');
    expect(run.stdout).toMatch(new RegExp(`#${accountError} smart_invoice 41 xero_account \\[needs_person\\] since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(\\.\\d+)? UTC, 2 attempts`));
    expect(run.stdout).toContain('      Account code 999 is not a valid code for this document.');
    expect(run.stdout).toMatch(new RegExp(`conflicts \\(edited in Bitrix after Xero approved the invoice; Xero is left as it is\\): 1\\n  #${conflict} legacy_invoice 7 approved_in_xero \\[never\\]`));
    const json = JSON.parse((await runInProcess(['status', '--json'], env)).stdout);
    expect(json.errors).toMatchObject({ count: 1, shown: [{ id: accountError, record: 'smart_invoice 41', code: 'xero_account', class: 'needs_person', attempts: 2 }] });
    expect(json.conflicts).toMatchObject({ count: 1, shown: [{ id: conflict, record: 'legacy_invoice 7', class: 'never' }] });
    expect(json.budget).toMatchObject({ dailyBudget: 5000, usedToday: 0 });
    expect(json.webhooks).toMatchObject({ enabled: false, pending: 0 });
  });

  it('retry <id> makes one error due now; retry --all-failed every error but conflicts', async () => {
    const due = async (id: number) => (await sql<{ due: number }>`SELECT NEXT_RETRY_AT <= UTC_TIMESTAMP(3) AS due FROM b_b24xero_record_error WHERE ID = ${id}`.execute(t.db)).rows[0]?.due;
    expect(Number(await due(accountError))).toBe(0);
    const one = await runInProcess(['retry', `#${accountError}`], env);
    expect(one.code).toBe(0);
    expect(one.stdout).toContain(`#${accountError} smart_invoice 41 (xero_account) will be tried again by the next pass`);
    expect(Number(await due(accountError))).toBe(1);
    const all = await runInProcess(['retry', '--all-failed'], env);
    expect(all.stdout).toContain('1 failed record(s) will be tried again');
    expect(await due(conflict)).toBeNull();
    expect((await runInProcess(['retry', '999999'], env)).code).toBe(1);
    expect((await runInProcess(['retry'], env)).code).toBe(2);
  });

  it('resolve <id> closes the error: it is no longer listed, and resolving it twice says so', async () => {
    const run = await runInProcess(['resolve', String(accountError)], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('marked resolved');
    expect((await runInProcess(['status'], env)).stdout).not.toContain(`#${accountError} `);
    const again = await runInProcess(['resolve', String(accountError)], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`no open error #${accountError}`);
  });

  it('`status | head` ends quietly when the pipe closes early (EPIPE), with a long list', async () => {
    await sql`INSERT INTO b_b24xero_record_error (ENTITY_TYPE, ENTITY_ID, OPERATION, SEVERITY, CLASS, CODE, MESSAGE, ATTEMPTS, FIRST_SEEN_AT, LAST_SEEN_AT)
      SELECT 'contact', seq, 'push', 'error', 'retry', 'xero_network', REPEAT('a long message ', 20), 1, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3)
      FROM seq_1_to_1000`.execute(t.db);
    const child = spawn('bash', ['-c', `set -o pipefail; node ${JSON.stringify(BIN)} status --limit 1000 | head -n 3`], {
      cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? '', HOME: '/tmp', B24X_ENV_FILE: '/dev/null', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += String(d); });
    child.stderr.on('data', (d) => { err += String(d); });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(out.split('\n').filter(Boolean)).toHaveLength(3);
    expect(err).toBe('');
    expect(code).toBe(0);
  });
});

describe('--help', () => {
  it('describes each command’s options', async () => {
    for (const name of ['run', 'status', 'retry', 'resolve', 'sync', 'migrate', 'grants', 'demo', 'doctor', 'connect']) {
      const run = await runInProcess([name, '--help'], {});
      expect(run.code, name).toBe(0);
      expect(run.stdout, name).toMatch(new RegExp(`^usage: b24xero ${name}`));
      expect(run.stdout.split('\n').length, `${name} says more than its usage line`).toBeGreaterThan(4);
    }
  });
});
