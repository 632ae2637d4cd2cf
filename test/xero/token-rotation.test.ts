import { gatewayForDatabase } from '../../daemon/src/runtime/compose.ts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { RunningSimulator } from '../sim/index.ts';
import { createTestDb, type TestDb } from '../helpers/test-db.ts';
import { connect } from '../../daemon/src/db/connect.ts';
import { TokenStore, TokenStoreError, type StoredTokenSet } from '../../daemon/src/state/token-store.ts';
import { XeroApiError } from '../../daemon/src/xero/errors.ts';
import { IdentityClient } from '../../daemon/src/xero/identity-client.ts';
import { SecretRedactor } from '../../daemon/src/util/redact.ts';
import { XeroGateway } from '../../daemon/src/xero/xero-gateway.ts';
import { applyModuleSchema, gatewayOptionsFor, rejection, startSim } from './support/sim-gateway.ts';

/** authorization_code flow: refresh-token rotation stored encrypted in b_b24xero_token, one refresher at a time. */
let sim: RunningSimulator;
let testDb: TestDb;
const INSTANCE = 'rotation';

beforeAll(async () => {
  sim = await startSim();
  testDb = await createTestDb('xero_token');
  await applyModuleSchema(testDb.db);
});
afterAll(async () => {
  await sim.close();
  await testDb.drop();
});

let identity: IdentityClient;
beforeAll(() => {
  identity = new IdentityClient({
    identityUrl: sim.url, connectionsUrl: `${sim.url}/connections`, clientId: sim.clientId, clientSecret: sim.clientSecret,
    timeoutMs: 5_000, redactor: new SecretRedactor([sim.clientSecret]),
  });
});

/** What `b24xero connect` obtains: the user consents, the code is exchanged for a token set with a refresh token. */
async function consentedTokenSet(): Promise<StoredTokenSet> {
  const authorize = new URL(`${sim.url}/identity/connect/authorize`);
  authorize.search = new URLSearchParams({
    response_type: 'code', client_id: sim.clientId, redirect_uri: 'http://localhost/cb', state: 's',
    scope: 'offline_access accounting.transactions accounting.contacts accounting.settings',
  }).toString();
  const redirect = await fetch(authorize, { redirect: 'manual' });
  const code = new URL(redirect.headers.get('location')!).searchParams.get('code')!;
  const t = await identity.authorizationCode(code, 'http://localhost/cb');
  return { access_token: t.access_token, refresh_token: t.refresh_token!, expires_at: Math.floor(Date.now() / 1000) + t.expires_in, expires_in: t.expires_in };
}

function store(db: Kysely<any> = testDb.db, clientSecret = sim.clientSecret): TokenStore {
  return new TokenStore(db, { instance: INSTANCE, clientSecret });
}

function gateway(db: Kysely<any> = testDb.db): XeroGateway {
  return gatewayForDatabase(gatewayOptionsFor(sim, { auth: 'authorization_code', instance: INSTANCE }), db);
}

function refreshGrants(since: number) {
  return sim.requests({ path: '/connect/token', since }).filter((e) => (e.body as Record<string, unknown>)?.grant_type === 'refresh_token');
}

const lastSeq = () => sim.requests().at(-1)?.seq ?? 0;

let consented: StoredTokenSet;
beforeEach(async () => {
  consented = await consentedTokenSet();
});

describe('refresh-token rotation', () => {
  it('refreshes an expired stored token, stores the rotated set encrypted, and bumps its version', async () => {
    const version = await store().replace({ ...consented, expires_at: Math.floor(Date.now() / 1000) - 5 });
    const since = lastSeq();

    const org = await gateway().getOrganisation();
    expect(org.organisationID).toBe(sim.defaultTenantId);
    expect(refreshGrants(since)).toHaveLength(1);

    const row = await testDb.db.selectFrom('b_b24xero_token').selectAll().where('INSTANCE', '=', INSTANCE).executeTakeFirstOrThrow();
    expect(Number(row.VERSION)).toBe(version + 1);
    const stored = await store().read();
    expect(stored!.tokenSet.refresh_token).not.toBe(consented.refresh_token); // rotated
    expect(stored!.tokenSet.expires_at * 1000).toBeGreaterThan(Date.now());
    // Encrypted at rest: neither token appears in the column.
    expect(row.TOKEN_SET).not.toContain(stored!.tokenSet.access_token);
    expect(row.TOKEN_SET).not.toContain(stored!.tokenSet.refresh_token);
    expect(row.TOKEN_SET).not.toContain('refresh_token');
  });

  it('lets exactly one of two concurrent refreshers (separate pools, as two processes) call the token endpoint', async () => {
    await store().replace({ ...consented, expires_at: Math.floor(Date.now() / 1000) - 5 });
    const otherPool = connect<any>(testDb.url, { connectionLimit: 3 });
    try {
      const since = lastSeq();
      const [a, b] = await Promise.all([gateway().getOrganisation(), gateway(otherPool).getOrganisation()]);
      expect(a.organisationID).toBe(sim.defaultTenantId);
      expect(b.organisationID).toBe(sim.defaultTenantId);
      expect(refreshGrants(since)).toHaveLength(1);
      expect(sim.requests({ path: '/api.xro', since }).map((e) => e.status)).toEqual([200, 200]);
    } finally {
      await otherPool.destroy();
    }
  });

  it('after a 401 TokenExpired refreshes with the stored refresh token and repeats the call', async () => {
    await store().replace(consented);
    const gw = gateway();
    await gw.getOrganisation();
    sim.advanceClock(31 * 60_000); // the simulator's access token dies while our stored expiry still says fresh
    const since = lastSeq();
    await gw.getTaxRates();
    expect(refreshGrants(since)).toHaveLength(1);
    expect(sim.requests({ path: '/api.xro', since }).map((e) => e.status)).toEqual([401, 200]);
  });

  it('reports a refused refresh token as an auth error that needs a person (reconnect)', async () => {
    await store().replace({ ...consented, refresh_token: 'not-a-refresh-token-of-this-app', expires_at: Math.floor(Date.now() / 1000) - 5 });
    const err = await rejection(gateway().getOrganisation());
    expect(err).toBeInstanceOf(XeroApiError);
    expect(err).toMatchObject({ type: 'auth', code: 'xero_invalid_grant', classification: 'needs_person' });
    expect(JSON.stringify(err) + (err as Error).message).not.toContain('not-a-refresh-token-of-this-app');
  });

  it('says to run `b24xero connect` when no token is stored', async () => {
    const gw = gatewayForDatabase(gatewayOptionsFor(sim, { auth: 'authorization_code', instance: 'never-connected' }), testDb.db);
    expect(await rejection(gw.getOrganisation())).toMatchObject({ type: 'auth', code: 'xero_not_connected', message: expect.stringContaining('b24xero connect') });
  });
});

describe('token store encryption', () => {
  it('cannot be read with another client secret, and says what to do', async () => {
    await store().replace(consented);
    const err = await rejection(store(testDb.db, 'some-other-client-secret').read());
    expect(err).toBeInstanceOf(TokenStoreError);
    expect((err as Error).message).toMatch(/XERO_CLIENT_SECRET.*b24xero connect/);
  });

  it('binds the ciphertext to its instance: a row copied to another instance does not decrypt', async () => {
    const a = store();
    const b = new TokenStore(testDb.db, { instance: 'other', clientSecret: sim.clientSecret });
    const ciphertext = a.encrypt(consented);
    expect(a.decrypt(ciphertext)).toEqual(consented);
    expect(() => b.decrypt(ciphertext)).toThrow(TokenStoreError);
  });

  it('refuses a save whose version is stale instead of overwriting a newer token', async () => {
    const version = await store().replace(consented);
    expect(await store().save(consented, version)).toBe(version + 1);
    expect(await store().save(consented, version)).toBeNull();
  });
});
