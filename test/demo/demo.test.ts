import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../daemon/src/db/connect.ts';
import { createServer } from 'node:net';
import { adminQuery, createTestDb, TEST_SERVER_URL, type TestDb } from '../helpers/test-db.ts';

const BIN = fileURLToPath(new URL('../../daemon/bin/b24xero.js', import.meta.url));
const REPO = fileURLToPath(new URL('../../', import.meta.url));

interface Exit { code: number; stdout: string; stderr: string }

/** The real bin as a child process, with only PATH from this environment (no developer XERO_* or .env settings). */
function b24xero(args: string[], env: Record<string, string> = {}): Promise<Exit> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: REPO, env: { PATH: process.env.PATH ?? '', ...env }, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

function demoDbUrl(): { url: string; name: string } {
  const name = `b24xero_demo_t${randomBytes(4).toString('hex')}`;
  const u = new URL(TEST_SERVER_URL);
  u.pathname = `/${name}`;
  return { url: u.toString(), name };
}

async function dropDemoDatabase(name: string): Promise<void> {
  await adminQuery(`DROP DATABASE IF EXISTS \`${name}\``);
}

/** A port nothing listens on: bound by the OS, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The line of `stdout` that contains `text` (so a failure shows what the demo printed instead). */
function lineWith(stdout: string, text: string): string {
  return stdout.split('\n').find((l) => l.includes(text)) ?? `(no line with ${JSON.stringify(text)} in:\n${stdout})`;
}

describe('b24xero demo (child process)', () => {
  const demo = demoDbUrl();
  let run: Exit;
  beforeAll(async () => {
    run = await b24xero(['demo', '--db', demo.url]);
  });
  afterAll(async () => {
    await dropDemoDatabase(demo.name);
  });

  it('exits 0 with nothing on stderr at the default log level', () => {
    expect(run.stderr, run.stdout).toBe('');
    expect(run.code).toBe(0);
  });

  it('shows the dry run plan first, without writing to Xero', () => {
    expect(lineWith(run.stdout, 'Dry run first')).toMatch(/\(run #1\): invoices create 9, skip 2, error 1; contacts create 5; items create \d+; \d+ Xero API calls, 0 writes/);
  });

  it('prints the invoices the first pass created in Xero, with number, contact, status, total and currency', () => {
    expect(lineWith(run.stdout, 'First sync pass')).toMatch(/First sync pass \(run #2\): 9 created, .* 1 failed; contacts 5 created, items \d+ pushed; \d+ Xero API calls/);
    expect(lineWith(run.stdout, 'smart invoice 1 ')).toMatch(/smart invoice 1\s+INV-1001\s+Kauri Timber Ltd\s+DRAFT\s+1,725\.00\s+NZD/);
    expect(lineWith(run.stdout, 'INV-1003 ')).toMatch(/Harbour Analytics Pty Ltd\s+DRAFT\s+3,920\.00\s+AUD/);
    expect(lineWith(run.stdout, 'legacy invoice 2 ')).toMatch(/INV-2\s+Mere Kereama\s+DRAFT\s+325\.00\s+NZD/);
  });

  it('shows a company as one Xero contact with its primary person and its other people, and a person as themselves', () => {
    expect(lineWith(run.stdout, 'company 2 ')).toMatch(/Kauri Timber Ltd\s+Aroha Ngata <aroha\.ngata@kauritimber\.example>\s+Wiremu Parata/);
    expect(lineWith(run.stdout, 'contact 7 ')).toMatch(/Mere Kereama\s+Mere Kereama <mere\.kereama@mail\.example>\s+-/);
  });

  it('shows the JPY invoice failing on its own with the reason, and the unticked one skipped', () => {
    expect(lineWith(run.stdout, '(INV-1007)')).toMatch(/error, needs a person\s+currency_not_enabled: The Xero organisation is not subscribed to currency JPY/);
    expect(lineWith(run.stdout, '(INV-1008)')).toMatch(/skipped\s+"Sync with Xero" is off on this invoice/);
  });

  it('updates the Xero draft after the Bitrix edit', () => {
    expect(lineWith(run.stdout, 'Second pass')).toMatch(/0 created, 1 updated/);
    expect(lineWith(run.stdout, 'Xero INV-1001 is')).toMatch(/DRAFT: total 1,725\.00 → 2,070\.00 NZD/);
  });

  it('records a conflict for the invoice approved in Xero and leaves Xero untouched', () => {
    expect(lineWith(run.stdout, 'Third pass')).toMatch(/0 updated, .* 1 conflicts/);
    expect(lineWith(run.stdout, 'Conflict recorded')).toContain('approved_in_xero');
    expect(lineWith(run.stdout, 'Xero left untouched')).toMatch(/INV-1003 is AUTHORISED, total 3,920\.00 AUD; 0 Xero writes in this pass/);
  });

  it('lists the inbox rows waiting for the Bitrix module and where to look next', () => {
    expect(lineWith(run.stdout, 'Waiting in b_b24xero_inbox')).toMatch(/: \d+ rows/);
    expect(lineWith(run.stdout, 'smart invoice 1  ')).toBeDefined();
    expect(run.stdout).toMatch(/set_fields\s+XML_ID=[0-9a-f-]{36}, UF_CRM_XERO_STATUS=DRAFT/);
    expect(lineWith(run.stdout, '   status     ')).toContain(`BITRIX_DB_URL=${demo.url} B24X_INSTANCE=${demo.name} npx b24xero status`);
  });

  it('closes the loop with the PHP applier: the paid invoice reaches the paid stage with nothing due, and Xero contacts arrive', () => {
    expect(lineWith(run.stdout, 'applied 14 rows')).toContain('The module\'s applier');
    expect(lineWith(run.stdout, 'is now in stage')).toMatch(/stage Sent \(DT31_\d+:S\), Xero status AUTHORISED, amount due 1,035\.00/);
    expect(lineWith(run.stdout, 'and applier: stage')).toMatch(/stage Paid \(DT31_\d+:P\), Xero status PAID, amount due 0\.00/);
    expect(lineWith(run.stdout, 'next pass (run')).toContain('writes 0 times to Xero');
    expect(lineWith(run.stdout, 'In Bitrix: contact')).toMatch(/contact #\d+ Tane Mahuta; company #\d+ Pōhutukawa Nurseries Ltd with Hemi Walker, Kiri Walker, Sam Lee/);
  });

  it('leaves the demo database for `b24xero status`: runs, links and the conflict are stored', async () => {
    const db = connect<any>(demo.url, { connectionLimit: 1 });
    try {
      const runs = await db.selectFrom('b_b24xero_run').select(['STATUS', 'DRY_RUN']).orderBy('ID').execute();
      expect(runs.map((r) => `${r.STATUS}${r.DRY_RUN === 'Y' ? ' (dry run)' : ''}`)).toEqual(['ok (dry run)', ...Array(8).fill('ok')]);
      const links = await sql<{ STATE: string; n: number }>`SELECT STATE, COUNT(*) AS n FROM b_b24xero_link WHERE XERO_TYPE = 'invoice' GROUP BY STATE ORDER BY STATE`.execute(db);
      expect(links.rows.map((r) => [r.STATE, Number(r.n)])).toEqual([['conflict', 1], ['synced', 8]]);
      const status = await b24xero(['status'], { BITRIX_DB_URL: demo.url, B24X_INSTANCE: demo.name });
      expect(status.code).toBe(0);
      expect(status.stdout).toMatch(/open errors\s+2 errors/);
    } finally {
      await db.destroy();
    }
  });

  it('starts afresh when run again on the same database', async () => {
    const again = await b24xero(['demo', '--db', demo.url]);
    expect(again.code, again.stderr).toBe(0);
    expect(lineWith(again.stdout, 'First sync pass')).toMatch(/\(run #2\): 9 created/);
  });
});

describe('b24xero demo safety', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb('demo_refuse');
    await sql`CREATE TABLE precious (ID INT PRIMARY KEY)`.execute(t.db);
    await sql`INSERT INTO precious VALUES (1)`.execute(t.db);
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('refuses a database whose name does not start with b24xero_demo, and leaves it intact', async () => {
    const run = await b24xero(['demo', '--db', t.url]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`refusing to use database '${t.name}'`);
    expect(run.stdout).toBe('');
    const rows = await sql<{ ID: number }>`SELECT ID FROM precious`.execute(t.db);
    expect(rows.rows).toEqual([{ ID: 1 }]);
  });

  it('says what it needs when no database server answers', async () => {
    const run = await b24xero(['demo', '--db', `mysql://root@127.0.0.1:${await closedPort()}/b24xero_demo`]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/cannot connect to 127\.0\.0\.1:\d+ as 'root'.*needs a MariaDB or MySQL server.*\[ECONNREFUSED\]/);
  });
});

describe('b24xero demo --keep', () => {
  const demo = demoDbUrl();
  afterAll(async () => {
    await dropDemoDatabase(demo.name);
  });

  it('keeps the simulator serving until SIGINT, then stops it and exits 0', async () => {
    const child = spawn(process.execPath, [BIN, 'demo', '--keep', '--db', demo.url], { cwd: REPO, env: { PATH: process.env.PATH ?? '' } });
    let stdout = '';
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const waiting = new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('Press Ctrl-C')) resolve();
      });
      child.on('exit', () => reject(new Error(`the demo ended before waiting:\n${stdout}`)));
    });
    await waiting;
    const url = /keeps running at (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
    expect(url).toBeDefined();
    const admin = await fetch(`${url}/_sim`);
    expect(admin.status).toBe(200);
    expect(((await admin.json()) as { tenants: unknown[] }).tenants).toHaveLength(1);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    await expect(fetch(`${url}/_sim`)).rejects.toThrow();
  });
});
