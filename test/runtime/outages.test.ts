import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../daemon/src/db/connect.ts';
import { migrate } from '../../daemon/src/state/migrator.ts';
import { createBitrixSchema, type FixtureInfo } from '../fixture/bitrix-schema.ts';
import { buildContact } from '../fixture/builders/contact.ts';
import { startPrivateMariaDb, type PrivateMariaDb } from '../helpers/private-mariadb.ts';
import { SMART } from '../integration/support/invoice-kinds.ts';
import type { PushWorld } from '../integration/support/push-harness.ts';
import { runCli, startCli, until, type CliRun } from '../integration/support/cli-process.ts';
import { startSimulator, type RunningSimulator } from '../sim/index.ts';
import { listenForNotify, type NotifyListener } from './support/notify-socket.ts';

let server: PrivateMariaDb;
let db: Kysely<any>;
let info: FixtureInfo;
let sim: RunningSimulator;
let payer: number;

beforeAll(async () => {
  server = await startPrivateMariaDb();
  await server.query('CREATE DATABASE portal CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci');
  db = connect<any>(server.url('portal'), { connectionLimit: 2 });
  info = await createBitrixSchema(db);
  await migrate(db);
  sim = await startSimulator({ port: 0, seed: 11, timeScale: 10 });
  payer = (await buildContact(db, { name: 'Mere', lastName: 'Tane', emails: ['mere@example.test'] })).contactId;
});
afterAll(async () => {
  await db?.destroy();
  await sim?.close();
  await server?.destroy();
});

function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', B24X_ENV_FILE: '/dev/null',
    BITRIX_DB_URL: server.url('portal'), B24X_INSTANCE: 'outages', BITRIX_TIMEZONE: 'UTC', LOG_LEVEL: 'info',
    XERO_CLIENT_ID: sim.clientId, XERO_CLIENT_SECRET: sim.clientSecret, XERO_API_URL: `${sim.url}/api.xro/2.0`,
    XERO_IDENTITY_URL: sim.url, XERO_CONNECTIONS_URL: `${sim.url}/connections`, SYNC_SCHEDULE: '* * * * * *', ...extra,
  };
}

/** A Bitrix edit as the module reports it: the invoice, and its change-feed row. */
async function newInvoice(name: string): Promise<number> {
  const id = await SMART.create({ db, info } as unknown as PushWorld, { contactId: payer, lines: [{ name, price: 100 }] });
  await sql`INSERT INTO b_b24xero_change (ENTITY_TYPE, ENTITY_ID, ACTION, CREATED_AT) VALUES ('smart_invoice', ${id}, 'update', UTC_TIMESTAMP(3))`.execute(db);
  return id;
}

async function synced(id: number): Promise<boolean> {
  try {
    const row = await db.selectFrom('b_b24xero_link').select('STATE').where('ENTITY_TYPE', '=', 'smart_invoice').where('ENTITY_ID', '=', id).executeTakeFirst();
    return row?.STATE === 'synced';
  } catch {
    return false; // the test's own pool sees the restart too
  }
}

const lastStatus = (notify: NotifyListener) => notify.values('STATUS').at(-1) ?? '';

describe('b24xero run through outages', () => {
  let notify: NotifyListener;
  let daemon: CliRun;
  beforeAll(async () => {
    notify = listenForNotify();
    daemon = startCli(['run'], env({ NOTIFY_SOCKET: notify.path }));
    await until(() => notify.values('READY').length > 0, 'READY=1', 60_000);
  });
  afterAll(async () => {
    daemon?.child.kill('SIGKILL');
    notify?.close();
  });

  it('survives a MariaDB restart: says so in STATUS, takes its lock again, and syncs what changed meanwhile', async () => {
    const before = await newInvoice('Before the restart');
    await until(() => synced(before), 'the first invoice synced', 60_000);

    await server.stop();
    await until(() => lastStatus(notify).includes('database unreachable') || lastStatus(notify).includes('instance lock lost'), 'STATUS naming the outage', 60_000);
    expect(daemon.child.exitCode).toBeNull();
    await server.start();

    const after = await newInvoice('After the restart');
    await until(() => synced(after), 'the invoice written after the restart synced', 90_000);
    await until(() => !/unreachable|lock lost/.test(lastStatus(notify)), 'STATUS without the outage', 60_000);
    // The lock is ours again: a second daemon on the restarted server is refused.
    const second = await runCli(['run'], env({ LOG_LEVEL: 'warn' }));
    expect(second.code).toBe(3);
    const log = daemon.stdout();
    // Whichever connection notices the restart first says so: the push's (database) or the instance lock's own.
    expect(log).toMatch(/"message":"(database|lock) trouble: pausing the work that needs it"|"message":"instance lock lost/);
    expect(log).toMatch(/"message":"(database|lock) is back"/);
  });

  it('survives a Xero outage: backs off with a clear STATUS and log line, then pushes what failed meanwhile', async () => {
    sim.addFault({ kind: 'reset', path: '/api.xro/2.0/*' });
    const during = await newInvoice('During the Xero outage');
    await until(() => lastStatus(notify).includes('Xero unavailable'), 'STATUS naming Xero', 60_000);
    expect(await synced(during)).toBe(false);
    expect(daemon.child.exitCode).toBeNull();
    sim.clearFaults();
    await until(() => synced(during), 'the invoice pushed after Xero came back', 90_000);
    await until(() => !lastStatus(notify).includes('Xero unavailable'), 'STATUS without the outage', 60_000);
    expect(daemon.stdout()).toContain('"message":"xero trouble: pausing the work that needs it"');
    expect(daemon.stdout()).toContain('"message":"xero is back"');

    daemon.child.kill('SIGTERM');
    expect((await daemon.exited).code).toBe(0);
  });
});
