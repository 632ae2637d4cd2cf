import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildContact } from '../fixture/builders/contact.ts';
import { buildProduct } from '../fixture/builders/product.ts';
import { asStateDb } from '../../daemon/src/state/state-db.ts';
import type { OrgCacheRow } from '../../daemon/src/state/tables.ts';
import { decodeOrgContext, encodeOrgContext } from '../../daemon/src/sync/push/org-context-json.ts';
import { runCli } from './support/cli-process.ts';
import { SMART } from './support/invoice-kinds.ts';
import { createPushWorld, errorsOf, lastSeq, linkOf, simInvoicesByKey, type PushWorld } from './support/push-harness.ts';

/**
 * The organisation context (organisation, currencies, tax rates, accounts, items) is stored per tenant in
 * b_b24xero_org_cache, so passes — each a new process under systemd — stop spending five reads on it every time.
 * Calls are counted on the simulator's request log.
 */
let world: PushWorld;
let contactId: number;
const ORG_PATHS = ['Organisation', 'Currencies', 'TaxRates', 'Accounts', 'Items'] as const;

/** GETs of each organisation endpoint the simulator received since `seq`. */
function orgReads(since: number): Record<(typeof ORG_PATHS)[number], number> {
  const counts = { Organisation: 0, Currencies: 0, TaxRates: 0, Accounts: 0, Items: 0 };
  for (const e of world.sim.requests({ since })) {
    // Only reads made for the tenant: the per-pass access check's unauthenticated GET /Organisation reads nothing.
    if (e.method !== 'GET' || !e.tenantId) continue;
    const name = ORG_PATHS.find((p) => e.path.toLowerCase() === `/api.xro/2.0/${p}`.toLowerCase());
    if (name) counts[name]++;
  }
  return counts;
}

async function cacheRow(): Promise<OrgCacheRow | undefined> {
  return asStateDb(world.db).selectFrom('b_b24xero_org_cache').selectAll().where('TENANT_ID', '=', world.tenantId).executeTakeFirst();
}

async function ageCache(hours: number): Promise<void> {
  await sql`UPDATE b_b24xero_org_cache SET FETCHED_AT = UTC_TIMESTAMP(3) - INTERVAL ${hours * 3600} SECOND`.execute(world.db);
}

const NONE = { Organisation: 0, Currencies: 0, TaxRates: 0, Accounts: 0, Items: 0 };
const ONCE = { Organisation: 1, Currencies: 1, TaxRates: 1, Accounts: 1, Items: 1 };
let dueDay = 10;
const nextDue = () => `2031-03-${String(dueDay++).padStart(2, '0')}`;

beforeAll(async () => {
  world = await createPushWorld('org_cache');
  contactId = (await buildContact(world.db, { name: 'Ada', lastName: 'Cache' })).contactId;
});
afterAll(async () => {
  await world?.close();
});

describe('the stored organisation context', () => {
  it('is read from Xero once for two passes with work, the second planning from the stored copy', async () => {
    const since = lastSeq(world);
    const id = await SMART.create(world, { contactId, lines: [{ name: 'Consulting', price: 100 }] });
    const first = await world.pass();
    expect(first.stats.created).toBe(1);
    const row = await cacheRow();
    expect(row, 'the first pass stores the context').toBeDefined();

    await SMART.edit(world, id, { lineName: 'Consulting, edited', dueDate: nextDue() });
    const second = await world.pass();
    expect(second.stats.updated).toBe(1);
    expect(simInvoicesByKey(world, SMART.key(id))[0]!.LineItems[0]!.Description).toBe('Consulting, edited');
    expect(orgReads(since)).toEqual(ONCE);
  });

  it('stores the context exactly as it was built from Xero, Items map included', async () => {
    const row = (await cacheRow())!;
    const org = decodeOrgContext(row.CONTEXT);
    expect(org).not.toBeNull();
    expect(org!.baseCurrency).toMatch(/^[A-Z]{3}$/);
    expect(org!.accounts.find((a) => a.code === '200')).toMatchObject({ status: 'ACTIVE', class: 'REVENUE' });
    expect(org!.itemsByCode).toBeInstanceOf(Map);
    expect(encodeOrgContext(org!)).toBe(row.CONTEXT);
  });

  it('is read again from Xero once older than the TTL (6 hours)', async () => {
    const id = await SMART.create(world, { contactId, lines: [{ name: 'Audit', price: 250 }] });
    await ageCache(5);
    let since = lastSeq(world);
    expect((await world.pass()).stats.created).toBe(1);
    expect(orgReads(since), 'five hours old is still fresh').toEqual(NONE);

    await ageCache(7);
    const before = (await cacheRow())!.FETCHED_AT;
    await SMART.edit(world, id, { lineName: 'Audit, edited', dueDate: nextDue() });
    since = lastSeq(world);
    expect((await world.pass()).stats.updated).toBe(1);
    expect(orgReads(since)).toEqual(ONCE);
    expect((await cacheRow())!.FETCHED_AT > before).toBe(true);
  });

  it('is not used when stored in another JSON version: the pass reads Xero and rewrites it', async () => {
    await world.db.updateTable('b_b24xero_org_cache').set({ CONTEXT: '{"v":0}' }).execute();
    const id = await SMART.create(world, { contactId, lines: [{ name: 'Versioned', price: 30 }] });
    const since = lastSeq(world);
    expect((await world.pass()).stats.created).toBe(1);
    expect(orgReads(since)).toEqual(ONCE);
    expect(decodeOrgContext((await cacheRow())!.CONTEXT)).not.toBeNull();
    expect(await linkOf(world, SMART.entityType, id)).toMatchObject({ STATE: 'synced' });
  });

  it('is used by a new `b24xero sync --once` process, which makes no organisation read', async () => {
    const id = await SMART.create(world, { contactId, lines: [{ name: 'From a child process', price: 75 }] });
    const since = lastSeq(world);
    const run = await runCli(['sync', '--once', '--json'], world.env());
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).stats.created).toBe(1);
    expect(orgReads(since)).toEqual(NONE);
    expect(simInvoicesByKey(world, SMART.key(id))).toHaveLength(1);
  });

  it('learns the Items a pass creates, so the next process still sends their ItemCode', async () => {
    const product = (await buildProduct(world.db, { name: 'Cache widget', price: 40, code: 'CACHE-W', vatId: world.info.vat.gst15, vatIncluded: false })).productId;
    const first = await SMART.create(world, { contactId, lines: [{ name: 'Cache widget', price: 40, productId: product }] });
    expect((await world.pass()).stats.created).toBe(1);
    expect(decodeOrgContext((await cacheRow())!.CONTEXT)!.itemsByCode.get('CACHE-W')).toMatchObject({ code: 'CACHE-W' });

    const second = await SMART.create(world, { contactId, lines: [{ name: 'Cache widget', price: 40, productId: product }] });
    const since = lastSeq(world);
    const run = await runCli(['sync', '--once', '--json'], world.env());
    expect(run.code, run.stderr).toBe(0);
    expect(orgReads(since)).toEqual(NONE);
    for (const id of [first, second]) {
      expect(simInvoicesByKey(world, SMART.key(id))[0]!.LineItems[0]!.ItemCode).toBe('CACHE-W');
    }
  });

  it('is filled by a dry run, which only reads Xero, and used by the real pass after it', async () => {
    await world.db.deleteFrom('b_b24xero_org_cache').execute();
    const id = await SMART.create(world, { contactId, lines: [{ name: 'Dry first', price: 60 }] });
    const since = lastSeq(world);
    const dry = await world.pass({ dryRun: true });
    expect(dry.plan).toContainEqual(expect.objectContaining({ id, action: 'create' }));
    expect(await cacheRow()).toBeDefined();
    expect((await world.pass()).stats.created).toBe(1);
    expect(orgReads(since)).toEqual(ONCE);
  });
});

describe('a stored context that Xero shows to be stale', () => {
  // Bitrix's zone known: invoices untouched since their push are settled without planning, so each pass below plans
  // only the invoice the test is about.
  const quiet = { timeZone: 'UTC' } as const;

  it('is read again in the same pass when Xero refuses an archived account, and the real refusal is recorded', async () => {
    const id = await SMART.create(world, { contactId, lines: [{ name: 'Archived soon', price: 90 }] });
    expect((await world.pass(quiet)).stats.created).toBe(1);
    const archived = world.sim.tenantAdmin(world.tenantId, 'accounts/200/archive', 'POST', undefined);
    expect(archived.status).toBe(200);

    await SMART.edit(world, id, { lineName: 'Archived soon, edited', dueDate: nextDue() });
    const since = lastSeq(world);
    const result = await world.pass(quiet);
    expect(result.stats.failed).toBe(1);
    const [error] = await errorsOf(world, SMART.entityType, id);
    expect(error).toMatchObject({ CODE: 'invalid_account', CLASS: 'needs_person' });
    expect(error.MESSAGE).toMatch(/Account code '200' has been archived/);
    expect(orgReads(since), 'one refetch in the pass').toEqual(ONCE);
    const stored = decodeOrgContext((await cacheRow())!.CONTEXT)!;
    expect(stored.accounts.find((a) => a.code === '200')?.status).toBe('ARCHIVED');

    // From the refreshed copy the planner sees the problem itself: no write is sent and no read repeated.
    const next = await SMART.create(world, { contactId, lines: [{ name: 'After the archive', price: 15 }] });
    const later = lastSeq(world);
    await world.pass(quiet);
    expect((await errorsOf(world, SMART.entityType, next))[0]).toMatchObject({ CODE: 'account_missing' });
    expect(orgReads(later)).toEqual(NONE);
    expect(world.sim.requests({ since: later }).filter((e) => e.method !== 'GET' && e.path.startsWith('/api.xro/2.0'))).toEqual([]);

    // Put back for the test that follows: account restored, the copy that says archived forgotten.
    expect(world.sim.tenantAdmin(world.tenantId, 'accounts/200/restore', 'POST', undefined).status).toBe(200);
    await world.db.deleteFrom('b_b24xero_org_cache').execute();
  });

  it('is read again when it lacks a currency the organisation has, once it is older than ten minutes', async () => {
    // Stands for "a person enabled USD in Xero after the context was stored" (the simulator cannot toggle currencies).
    await SMART.create(world, { contactId, lines: [{ name: 'Fills the cache', price: 5 }] });
    expect((await world.pass(quiet)).stats.created).toBe(1);
    const org = decodeOrgContext((await cacheRow())!.CONTEXT)!;
    expect(org.currencies).toContain('USD');
    const withoutUsd = encodeOrgContext({ ...org, currencies: org.currencies.filter((c) => c !== 'USD') });
    await world.db.updateTable('b_b24xero_org_cache').set({ CONTEXT: withoutUsd }).execute();
    await ageCache(0.05); // three minutes: a planner refusal does not refetch so young a copy
    const id = await SMART.create(world, { contactId, currency: 'USD', lines: [{ name: 'In dollars', price: 20 }] });
    let since = lastSeq(world);
    expect((await world.pass(quiet)).stats.failed).toBe(1);
    expect((await errorsOf(world, SMART.entityType, id))[0]).toMatchObject({ CODE: 'currency_not_enabled' });
    expect(orgReads(since)).toEqual(NONE);

    // Invoices not yet tried each time: a failed one waits for its retry back-off unless edited a second later.
    await ageCache(1);
    const retried = await SMART.create(world, { contactId, currency: 'USD', lines: [{ name: 'In dollars, later', price: 21 }] });
    since = lastSeq(world);
    expect((await world.pass(quiet)).stats.failed).toBe(1);
    expect((await errorsOf(world, SMART.entityType, retried))[0]).toMatchObject({ CODE: 'currency_not_enabled' });
    expect(orgReads(since), 'the planner refusal of an hour-old copy refetches it').toEqual(ONCE);
    expect(decodeOrgContext((await cacheRow())!.CONTEXT)!.currencies).toContain('USD');

    const after = await SMART.create(world, { contactId, currency: 'USD', lines: [{ name: 'In dollars, after', price: 22 }] });
    since = lastSeq(world);
    expect((await world.pass(quiet)).stats.created).toBe(1);
    expect(orgReads(since)).toEqual(NONE);
    expect(simInvoicesByKey(world, SMART.key(after))[0]).toMatchObject({ CurrencyCode: 'USD' });
  });

  it('is forgotten when the refetch itself fails: the pass still records the refusal, and the next pass reads Xero', async () => {
    expect(decodeOrgContext((await cacheRow())!.CONTEXT)!.accounts.find((a) => a.code === '200')?.status).toBe('ACTIVE');
    expect(world.sim.tenantAdmin(world.tenantId, 'accounts/200/archive', 'POST', undefined).status).toBe(200);
    const fault = world.sim.addFault({ kind: '404', method: 'GET', path: '/api.xro/2.0/Accounts', times: 1 });
    const id = await SMART.create(world, { contactId, lines: [{ name: 'Refetch fails', price: 33 }] });
    const result = await world.pass(quiet);
    expect(result.stats.failed).toBe(1);
    expect((await errorsOf(world, SMART.entityType, id))[0]).toMatchObject({ CODE: 'invalid_account' });
    expect(await cacheRow()).toBeUndefined();
    world.sim.removeFault(fault.id);

    expect(world.sim.tenantAdmin(world.tenantId, 'accounts/200/restore', 'POST', undefined).status).toBe(200);
    const next = await SMART.create(world, { contactId, lines: [{ name: 'After the failed refetch', price: 34 }] });
    const since = lastSeq(world);
    expect((await world.pass(quiet)).stats.created).toBe(1);
    expect(orgReads(since)).toEqual(ONCE);
    expect(await linkOf(world, SMART.entityType, next)).toMatchObject({ STATE: 'synced' });
  });
});
