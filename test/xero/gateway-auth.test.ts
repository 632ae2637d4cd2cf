import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../sim/index.ts';
import { XeroApiError } from '../../daemon/src/xero/errors.ts';
import { XeroGateway } from '../../daemon/src/xero/xero-gateway.ts';
import { gatewayOptionsFor, OffsetClock, rejection, startSim } from './support/sim-gateway.ts';

/** Custom Connection (client_credentials) against the simulator, through the real xero-node client. */
let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSim();
});
afterAll(async () => {
  await sim.close();
});

function tokenGrants(since: number): string[] {
  return sim.requests({ path: '/connect/token', since }).map((e) => String((e.body as Record<string, unknown>)?.grant_type));
}

function lastSeq(): number {
  return sim.requests().at(-1)?.seq ?? 0;
}

describe('Custom Connection token', () => {
  it('is fetched once with a plain client_credentials POST and reused while valid', async () => {
    const since = lastSeq();
    const gw = new XeroGateway(gatewayOptionsFor(sim));
    await gw.getOrganisation();
    await gw.getTaxRates();
    await gw.getCurrencies();
    expect(tokenGrants(since)).toEqual(['client_credentials']);
    const tokenRequest = sim.requests({ path: '/connect/token', since })[0]!;
    expect(tokenRequest.body).toEqual({ grant_type: 'client_credentials' });
  });

  it('is refreshed before a call when it is within a minute of expiry, without a 401', async () => {
    const clock = new OffsetClock();
    const gw = new XeroGateway(gatewayOptionsFor(sim), { clock });
    await gw.getOrganisation();
    const since = lastSeq();
    clock.offsetMs = 30 * 60_000 - 30_000; // 30 s before the 30-minute token dies, on our clock
    await gw.getOrganisation();
    expect(tokenGrants(since)).toEqual(['client_credentials']);
    expect(sim.requests({ path: '/api.xro', since }).map((e) => e.status)).toEqual([200]);
  });

  it('after a 401 TokenExpired fetches one new token and repeats the call once', async () => {
    const gw = new XeroGateway(gatewayOptionsFor(sim));
    await gw.getOrganisation();
    sim.advanceClock(31 * 60_000); // the simulator's token dies; our clock still thinks it is fresh
    const since = lastSeq();
    const org = await gw.getOrganisation();
    expect(org.organisationID).toBe(sim.defaultTenantId);
    expect(tokenGrants(since)).toEqual(['client_credentials']);
    expect(sim.requests({ path: '/api.xro', since }).map((e) => e.status)).toEqual([401, 200]);
  });

  it('fetches one token for a burst of concurrent calls that all meet an expired token', async () => {
    const gw = new XeroGateway(gatewayOptionsFor(sim));
    await gw.getOrganisation();
    sim.advanceClock(31 * 60_000);
    const since = lastSeq();
    await Promise.all([gw.getOrganisation(), gw.getTaxRates(), gw.getCurrencies(), gw.getAccounts()]);
    expect(tokenGrants(since)).toEqual(['client_credentials']);
  });

  it('fails with a typed auth error needing a person when the client secret is wrong, without leaking it', async () => {
    const wrong = 'definitely-not-the-secret-123';
    const err = await rejection(new XeroGateway(gatewayOptionsFor(sim, { clientSecret: wrong })).getOrganisation());
    expect(err).toBeInstanceOf(XeroApiError);
    expect(err).toMatchObject({ type: 'auth', status: 400, classification: 'needs_person' });
    expect(JSON.stringify(err) + (err as Error).message + (err as Error).stack).not.toContain(wrong);
  });
});

describe('tenant', () => {
  it('is the first organisation of GET connections when none is configured', async () => {
    const gw = new XeroGateway(gatewayOptionsFor(sim));
    expect(await gw.connect()).toBe(sim.defaultTenantId);
  });

  it('falls back to no tenant id for a Custom Connection whose connections endpoint is unavailable', async () => {
    const fault = sim.addFault({ kind: '503', path: '/connections', times: 1 });
    try {
      const gw = new XeroGateway(gatewayOptionsFor(sim));
      expect(await gw.connect()).toBe('');
      const org = await gw.getOrganisation(); // Xero binds a Custom Connection to its one organisation
      expect(org.organisationID).toBe(sim.defaultTenantId);
    } finally {
      sim.removeFault(fault.id);
    }
  });

  it('answers a tenant the app is not connected to with a typed forbidden error', async () => {
    const gw = new XeroGateway(gatewayOptionsFor(sim, { tenantId: '00000000-0000-4000-8000-000000000000' }));
    const err = await rejection(gw.getInvoices());
    expect(err).toMatchObject({ type: 'forbidden', status: 403, classification: 'needs_person', operation: 'getInvoices' });
  });
});

describe('logging', () => {
  it('never writes a token or the client secret to the log, through refreshes, 429s and failures', async () => {
    const lines: string[] = [];
    const capture = (level: string) => (message: string, meta?: Record<string, unknown>) => { lines.push(JSON.stringify({ level, message, meta })); };
    const logger = { debug: capture('debug'), info: capture('info'), warn: capture('warn'), error: capture('error') };
    const logged = new XeroGateway(gatewayOptionsFor(sim, { logger }), { maxRateLimitRetries: 1 });
    await logged.getOrganisation();
    sim.advanceClock(31 * 60_000);
    await logged.getTaxRates(); // 401 → refresh
    const fault = sim.addFault({ kind: '429', path: '/api.xro/2.0/Currencies*', times: 2 });
    await rejection(logged.getCurrencies()); // 429, wait, 429 again → gives up
    sim.removeFault(fault.id);
    const text = lines.join('\n');
    expect(lines.length).toBeGreaterThan(3);
    expect(text).toContain('refreshing the token once');
    expect(text).not.toContain(sim.clientSecret);
    expect(text).not.toMatch(/eyJ[\w-]+\.[\w-]+/); // no JWT (the simulator's access tokens are JWTs)
  });
});

