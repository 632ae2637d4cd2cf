import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPushWorld, lastSeq, type PushWorld } from './support/push-harness.ts';
import { runCli } from './support/cli-process.ts';

/**
 * Wrong credentials, tenant or URLs stop `sync --once` with exit 1 and a message naming the variable to fix — also
 * when there is no work at all (the portal below is empty), and without an Accounting API call counted for a tenant.
 */
let world: PushWorld;
let closedPort: number;
let notXero: Server;
let notXeroUrl: string;

beforeAll(async () => {
  world = await createPushWorld('xero_access');
  // A port nothing listens on: bind one, note it, close it.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  // An HTTP server that is not Xero: 404 for everything.
  notXero = createServer((_req, res) => { res.statusCode = 404; res.end('not here'); });
  await new Promise<void>((resolve) => notXero.listen(0, '127.0.0.1', resolve));
  notXeroUrl = `http://127.0.0.1:${(notXero.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => notXero.close(() => resolve()));
  await world?.close();
});

/** Accounting API requests made with a token for a tenant: what Xero counts against the limits. */
const countedSince = (seq: number) => world.sim.requests({ since: seq }).filter((e) => e.path.startsWith('/api.xro/2.0') && e.tenantId);

async function syncWith(overrides: Record<string, string>) {
  const since = lastSeq(world);
  const run = await runCli(['sync', '--once'], world.env(overrides));
  return { ...run, counted: countedSince(since) };
}

describe('sync --once with a bad Xero setting and no work pending', () => {
  it('passes (exit 0) with the right settings, spending no counted call but the first contact import', async () => {
    const run = await syncWith({});
    expect(run.code, run.stderr).toBe(0);
    // The portal's first pass reads Xero's contact book once (contact_import 'all'); nothing else is counted.
    expect(run.counted.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /api.xro/2.0/Contacts']);
    const again = await syncWith({});
    expect(again.code, again.stderr).toBe(0);
    expect(again.counted).toEqual([]);
  });

  it.each([
    ['a wrong client secret', { XERO_CLIENT_SECRET: 'not-the-secret' }, /XERO_CLIENT_SECRET/],
    ['a wrong client id', { XERO_CLIENT_ID: 'no-such-client' }, /XERO_CLIENT_ID/],
    ['a tenant the app is not connected to', { XERO_TENANT_ID: '00000000-0000-4000-8000-000000000000' }, /XERO_TENANT_ID=00000000-0000-4000-8000-000000000000 is not an organisation this app is connected to \(connected: /],
  ])('exits 1 naming the variable for %s', async (_what, overrides, message) => {
    const run = await syncWith(overrides);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(run.counted).toEqual([]);
  });

  it('exits 1 naming XERO_API_URL when the token endpoint answers but the API is unreachable', async () => {
    const run = await syncWith({ XERO_API_URL: `http://127.0.0.1:${closedPort}/api.xro/2.0` });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/cannot reach the Accounting API at XERO_API_URL=.*check XERO_API_URL/);
  });

  it('exits 1 naming XERO_API_URL when it points at something that is not the Accounting API', async () => {
    const run = await syncWith({ XERO_API_URL: `${world.sim.url}/api.xro/9.0` });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/XERO_API_URL=.* does not look like Xero's Accounting API .*HTTP 404/);
  });

  it('exits 1 naming XERO_IDENTITY_URL when the token endpoint is unreachable or not Xero', async () => {
    const closed = await syncWith({ XERO_IDENTITY_URL: `http://127.0.0.1:${closedPort}` });
    expect(closed.code).toBe(1);
    expect(closed.stderr).toMatch(/cannot reach http:\/\/127\.0\.0\.1:\d+\/connect\/token .*check XERO_IDENTITY_URL/);
    const wrong = await syncWith({ XERO_IDENTITY_URL: notXeroUrl });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/check XERO_IDENTITY_URL/);
  });

  it('exits 1 naming XERO_CONNECTIONS_URL when the connections endpoint is unreachable', async () => {
    const run = await syncWith({ XERO_CONNECTIONS_URL: `http://127.0.0.1:${closedPort}/connections` });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/check XERO_CONNECTIONS_URL/);
  });

  it('never prints the secret it was given', async () => {
    const run = await syncWith({ XERO_CLIENT_SECRET: 'Wr0ng-S3cret-Value' });
    expect(`${run.stdout}${run.stderr}`).not.toContain('Wr0ng-S3cret-Value');
  });
});
