import { gatewayForDatabase } from '../../../daemon/src/runtime/compose.ts';
import { Writable } from 'node:stream';
import { XeroClient, type Invoice, type Contact } from 'xero-node';
import type { Kysely } from 'kysely';
import { createBitrixSchema, type FixtureInfo, type FixtureOptions } from '../../fixture/bitrix-schema.ts';
import { startSimulator, type RunningSimulator, type SimOptions } from '../../sim/index.ts';
import { createTestDb, type TestDb } from '../../helpers/test-db.ts';
import { migrate } from '../../../daemon/src/state/migrator.ts';
import { createLogger, type Logger } from '../../../daemon/src/runtime/logger.ts';
import { createXeroGateway, type XeroGateway } from '../../../daemon/src/xero/index.ts';
import { runSyncPass, type PassOptions, type PassResult } from '../../../daemon/src/sync/pass.ts';

export const TIME_SCALE = 10;

/**
 * One integration world per test file: a real MariaDB database with the Bitrix fixture schema and the module tables
 * (migrated the way `b24xero migrate` does), the Xero simulator in process over HTTP, the real gateway (xero-node)
 * pointed at it by configuration only, and a separate xero-node client to read Xero back the way a user's app would.
 */
export interface PushWorld {
  /**
   * B24X_INSTANCE of this world. Unique per test file: GET_LOCK names are server-wide, and test files run in
   * parallel against one MariaDB server, just as two portals' daemons sharing a server need distinct instances.
   */
  instance: string;
  t: TestDb;
  db: Kysely<any>;
  info: FixtureInfo;
  sim: RunningSimulator;
  tenantId: string;
  gateway: XeroGateway;
  /** xero-node client for reading back (not the daemon's). */
  xero: XeroClient;
  /** Lines the daemon logged (JSON), for debugging a failing test. */
  logLines: string[];
  log: Logger;
  /** The env a `b24xero` child process needs to talk to this world. */
  env(overrides?: Record<string, string>): Record<string, string>;
  pass(options?: Partial<PassOptions>): Promise<PassResult>;
  close(): Promise<void>;
}

export async function createPushWorld(label: string, simOptions: SimOptions = {}, gatewayOptions: { timeoutMs?: number } = {}, fixture: FixtureOptions = {}): Promise<PushWorld> {
  const t = await createTestDb(label);
  const instance = `it-${t.name.slice(-6)}`;
  const info = await createBitrixSchema(t.db, fixture);
  await migrate(t.db);
  // Simulated time runs 10× faster and the governor's minute window is scaled to match, so "60 calls a minute" is
  // enforced by both sides exactly as in production, in a tenth of the wall-clock time.
  const sim = await startSimulator({ port: 0, seed: 7, timeScale: TIME_SCALE, ...simOptions });
  const logLines: string[] = [];
  const log = createLogger({
    level: 'info',
    stream: new Writable({ write(chunk, _enc, done) { logLines.push(String(chunk)); done(); } }),
  });
  const gateway = gatewayForDatabase({
    clientId: sim.clientId, clientSecret: sim.clientSecret, auth: 'client_credentials',
    apiUrl: `${sim.url}/api.xro/2.0`, identityUrl: sim.url, connectionsUrl: `${sim.url}/connections`,
    timeoutMs: gatewayOptions.timeoutMs ?? 10_000, minuteLimit: 60, dailyBudget: 5000, instance,
  }, t.db, { governor: { windowMs: 60_000 / (simOptions.timeScale ?? TIME_SCALE) } });
  const xero = new XeroClient({ clientId: sim.clientId, clientSecret: sim.clientSecret, grantType: 'client_credentials' });
  xero.accountingApi.basePath = `${sim.url}/api.xro/2.0`;
  xero.setTokenSet(await sim.fetchToken());
  return {
    instance, t, db: t.db, info, sim, tenantId: sim.defaultTenantId, gateway, xero, logLines, log,
    env(overrides = {}) {
      return {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        B24X_ENV_FILE: '/dev/null',
        BITRIX_DB_URL: t.url,
        B24X_INSTANCE: instance,
        XERO_CLIENT_ID: sim.clientId,
        XERO_CLIENT_SECRET: sim.clientSecret,
        XERO_API_URL: `${sim.url}/api.xro/2.0`,
        XERO_IDENTITY_URL: sim.url,
        XERO_CONNECTIONS_URL: `${sim.url}/connections`,
        BITRIX_TIMEZONE: 'UTC',
        LOG_LEVEL: 'warn',
        ...overrides,
      };
    },
    pass(options = {}) {
      // Push tests measure the push: the pull at the end of a full pass is asked for with { pull: true }.
      return runSyncPass({ db: t.db, gateway, connect: () => gateway.connect(), log }, { instance, pull: false, ...options });
    },
    async close() {
      await sim.close();
      await t.drop();
    },
  };
}

/** Every invoice in Xero whose Reference carries a Bitrix key (read through xero-node). */
export async function xeroInvoices(world: PushWorld): Promise<Invoice[]> {
  const res = await world.xero.accountingApi.getInvoices(world.tenantId, undefined, 'Reference.StartsWith("B24-")', undefined, undefined, undefined, undefined, undefined, undefined, true, undefined, 4);
  return res.body.invoices ?? [];
}

export async function xeroInvoiceByReferenceKey(world: PushWorld, key: string): Promise<Invoice[]> {
  const res = await world.xero.accountingApi.getInvoices(world.tenantId, undefined, `Reference.StartsWith("${key}")`, undefined, undefined, undefined, undefined, undefined, undefined, true, undefined, 4);
  return (res.body.invoices ?? []).filter((i) => i.reference === key || i.reference?.startsWith(`${key} `));
}

export async function xeroContacts(world: PushWorld, where?: string): Promise<Contact[]> {
  const res = await world.xero.accountingApi.getContacts(world.tenantId, undefined, where, undefined, undefined, undefined, true);
  return res.body.contacts ?? [];
}

export async function linkOf(world: PushWorld, entityType: string, entityId: number): Promise<any> {
  return world.db.selectFrom('b_b24xero_link').selectAll().where('ENTITY_TYPE', '=', entityType).where('ENTITY_ID', '=', entityId).executeTakeFirst();
}

export async function errorsOf(world: PushWorld, entityType: string, entityId: number): Promise<any[]> {
  return world.db.selectFrom('b_b24xero_record_error').selectAll().where('ENTITY_TYPE', '=', entityType).where('ENTITY_ID', '=', entityId).where('RESOLVED_AT', 'is', null).execute();
}

export async function inboxOf(world: PushWorld, entityType: string, entityId: number): Promise<any[]> {
  return world.db.selectFrom('b_b24xero_inbox').selectAll().where('ENTITY_TYPE', '=', entityType).where('ENTITY_ID', '=', entityId).where('STATE', '=', 'pending').execute();
}

/** Write requests the simulator received on the Accounting API (PUT/POST), optionally for one path. */
export function apiWrites(world: PushWorld, path?: string, since?: number): Array<{ method: string; path: string; body: unknown; status?: number }> {
  return world.sim.requests({ ...(since !== undefined && { since }) })
    .filter((e) => e.path.startsWith('/api.xro/2.0') && (e.method === 'PUT' || e.method === 'POST'))
    .filter((e) => path === undefined || e.path.toLowerCase() === `/api.xro/2.0${path}`.toLowerCase());
}

export function lastSeq(world: PushWorld): number {
  const all = world.sim.requests();
  return all.length > 0 ? all[all.length - 1]!.seq : 0;
}

/** What the simulator's books hold (admin API: not rate limited, so reading back never disturbs the daemon's budget). */
export interface SimLine { Description?: string; Quantity?: number; UnitAmount?: number; TaxType?: string; AccountCode?: string; ItemCode?: string }
export interface SimInvoice {
  ID: string; Kind: string; Number: string; Reference?: string; ContactID: string; Status: string; CurrencyCode: string;
  LineAmountTypes: string; LineItems: SimLine[]; Total: number; DueDate?: string;
}
export interface SimContact {
  ContactID: string; Name: string; ContactNumber?: string; FirstName?: string; LastName?: string; ContactStatus: string;
  EmailAddress?: string; ContactPersons: Array<{ FirstName?: string; LastName?: string; EmailAddress?: string }>;
}

export function simState(world: PushWorld): { invoices: SimInvoice[]; contacts: SimContact[]; items: Array<{ Code: string; ItemID: string; Name?: string; SalesDetails: { UnitPrice?: number; AccountCode?: string; TaxType?: string } }> } {
  return world.sim.tenantAdmin(world.tenantId, 'state', 'GET', undefined).body as never;
}

/** Xero invoices carrying this Bitrix key in their Reference ('B24-SI-12' or 'B24-SI-12 (…)'). */
export function simInvoicesByKey(world: PushWorld, key: string): SimInvoice[] {
  return simState(world).invoices.filter((i) => i.Kind === 'INVOICE' && (i.Reference === key || i.Reference?.startsWith(`${key} `)));
}

export function simContact(world: PushWorld, contactId: string): SimContact | undefined {
  return simState(world).contacts.find((c) => c.ContactID.toLowerCase() === contactId.toLowerCase());
}

export function simContactsNamed(world: PushWorld, name: string): SimContact[] {
  return simState(world).contacts.filter((c) => c.Name.toLowerCase() === name.toLowerCase());
}
