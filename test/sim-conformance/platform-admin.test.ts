import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../sim/index.ts';
import { startSimForTest, type SimForTest } from './harness.ts';

/** The /_sim admin infrastructure: request log, counters, clock, tenants, snapshots. */
let h: SimForTest;
const dir = mkdtempSync(join(tmpdir(), 'b24xero-sim-'));
beforeAll(async () => {
  h = await startSimForTest();
});
afterAll(async () => {
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('request log', () => {
  it('records method, path, query, headers and body of every product-facing request, with status and tenant', async () => {
    await h.admin('/requests', undefined, 'DELETE');
    await h.xero.accountingApi.getContacts(h.tenantId, undefined, 'ContactStatus=="ACTIVE"', 'Name ASC', undefined, 1);
    await h.xero.accountingApi.createContacts(h.tenantId, { contacts: [{ name: `Logged ${Date.now()}` }] }, undefined, 'idem-log-1');
    const log = await h.admin('/requests');
    expect(log).toHaveLength(2);
    expect(log[0]).toMatchObject({
      method: 'GET',
      path: '/api.xro/2.0/Contacts',
      query: { where: 'ContactStatus=="ACTIVE"', order: 'Name ASC', page: '1' },
      status: 200,
      tenantId: h.tenantId,
      clientId: 'sim-client',
    });
    expect(log[0].headers['xero-tenant-id']).toBe(h.tenantId);
    expect(log[0].headers.authorization).toBe('Bearer [redacted]');
    expect(log[1]).toMatchObject({ method: 'PUT', headers: { 'idempotency-key': 'idem-log-1' }, body: { Contacts: [{ Name: expect.stringMatching(/^Logged/) }] } });
  });

  it('filters by since (sequence number) and path, and leaves its own admin calls out', async () => {
    const all = await h.admin('/requests');
    const last = all.at(-1).seq;
    await h.xero.accountingApi.getOrganisations(h.tenantId);
    await h.xero.accountingApi.getContacts(h.tenantId);
    expect((await h.admin(`/requests?since=${last}`)).map((r: { path: string }) => r.path)).toEqual(['/api.xro/2.0/Organisation', '/api.xro/2.0/Contacts']);
    expect((await h.admin(`/requests?since=${last}&path=organisation`)).map((r: { path: string }) => r.path)).toEqual(['/api.xro/2.0/Organisation']);
    expect((await h.admin('/requests')).some((r: { path: string }) => r.path.startsWith('/_sim'))).toBe(false);
  });
});

describe('counters', () => {
  it('counts calls per tenant and per route (ids folded), writes, 429s and token requests', async () => {
    await h.admin('/counters', undefined, 'DELETE');
    const created = await h.xero.accountingApi.createContacts(h.tenantId, { contacts: [{ name: `Counted ${Date.now()}` }] });
    const id = created.body.contacts![0]!.contactID!;
    await h.xero.accountingApi.getContact(h.tenantId, id);
    await h.xero.accountingApi.getContact(h.tenantId, id);
    await h.refreshToken();
    const counters = await h.admin('/counters');
    expect(counters).toMatchObject({ total: 3, writes: 1, rateLimited: 0, tokenRequests: 1 });
    expect(counters.byTenant[h.tenantId].byRoute).toEqual({ 'PUT /Contacts': 1, 'GET /Contacts/{id}': 2 });
  });
});

describe('limits', () => {
  it('reads and changes limits at /_sim/limits, validating numbers', async () => {
    expect(await h.admin('/limits')).toEqual({ concurrent: 5, perMinute: 60, perDay: 5000, appPerMinute: 10_000 });
    expect(await h.admin('/limits', { perMinute: 120 })).toMatchObject({ perMinute: 120 });
    await expect(h.admin('/limits', { perDay: 'lots' })).rejects.toMatchObject({ status: 400 });
    await h.admin('/limits', { perMinute: 60 });
  });
});

describe('clock', () => {
  it('moves simulated time forward on POST /_sim/clock/advance, and refuses going backwards', async () => {
    const before = new Date((await h.admin('/clock')).now).getTime();
    const after = new Date((await h.admin('/clock/advance', { ms: 3_600_000 })).now).getTime();
    expect(after - before).toBeGreaterThanOrEqual(3_600_000);
    await expect(h.admin('/clock/advance', { ms: -1 })).rejects.toMatchObject({ status: 400 });
    await h.refreshToken();
  });
});

describe('tenants', () => {
  it('creates another organisation on POST /_sim/tenants that the default client can reach at once', async () => {
    const created = await h.admin('/tenants', { country: 'UK' });
    expect(created).toMatchObject({ country: 'UK', baseCurrency: 'GBP', tenantId: expect.any(String) });
    const org = await h.xero.accountingApi.getOrganisations(created.tenantId);
    expect(org.body.organisations?.[0]?.organisationID).toBe(created.tenantId);
    await expect(h.admin('/tenants', { country: 'FR' })).rejects.toMatchObject({ status: 400 });
  });

  it('routes /_sim/tenants/{tenantId}/… to that organisation and 404s an unknown tenant', async () => {
    await expect(h.admin('/tenants/00000000-0000-0000-0000-000000000000/invoices/x/approve', {})).rejects.toMatchObject({ status: 404 });
    expect((await h.admin(`/tenants/${h.tenantId}`)).tenantId).toBe(h.tenantId);
  });
});

describe('snapshots', () => {
  it('round-trips every organisation through GET and POST /_sim/snapshot', async () => {
    const name = `Snapshot ${Date.now()}`;
    await h.xero.accountingApi.createContacts(h.tenantId, { contacts: [{ name }] });
    const snapshot = await h.admin('/snapshot');
    const other = await startSimForTest();
    try {
      await other.admin('/snapshot', snapshot);
      expect(other.sim.tenants().map((t) => t.tenantId)).toEqual(h.sim.tenants().map((t) => t.tenantId));
      // The restored books answer the daemon's client exactly as the original did.
      const restored = await other.xero.accountingApi.getContacts(h.tenantId, undefined, `Name=="${name}"`);
      expect(restored.body.contacts!.map((c) => c.name)).toEqual([name]);
    } finally {
      await other.close();
    }
  });

  it('refuses something that is not a snapshot with 400 and keeps the current state', async () => {
    const before = h.sim.tenants();
    await expect(h.admin('/snapshot', { hello: 'world' })).rejects.toMatchObject({ status: 400 });
    expect(h.sim.tenants()).toEqual(before);
  });

  it('saves to a named file on POST /_sim/snapshot/save', async () => {
    const file = join(dir, 'saved.json');
    expect(await h.admin('/snapshot/save', { file })).toEqual({ file });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ version: 1, organisations: expect.any(Array) });
  });

  it('restores from snapshotFile at start and writes it on close', async () => {
    const file = join(dir, 'sim.json');
    const first = await startSimulator({ snapshotFile: file, organisations: [{ country: 'AU' }] });
    const tenantId = first.defaultTenantId;
    await first.close();
    expect(JSON.parse(readFileSync(file, 'utf8')).organisations).toHaveLength(1);
    const second = await startSimulator({ snapshotFile: file });
    try {
      expect(second.tenants().map((t) => [t.tenantId, t.country])).toEqual([[tenantId, 'AU']]);
    } finally {
      await second.close();
    }
  });
});
