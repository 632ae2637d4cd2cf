import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XeroClient } from 'xero-node';
import { startSimulator, type RunningSimulator } from '../sim/index.ts';
import { parseXeroError, startSimForTest, xeroNodeAxios, type SimForTest } from './harness.ts';

/**
 * Identity as Xero serves it, driven through xero-node v20. Token calls that xero-node hard-codes to
 * https://identity.xero.com / https://api.xero.com are redirected to the simulator by a request interceptor on
 * xero-node's own axios instance (reference §2.2 pattern B); the auth-code flow also patches openid-client's
 * Issuer.discover (pattern C).
 */
const axios = xeroNodeAxios();
let sim: RunningSimulator;
let interceptor: number;
/** Where the interceptor sends xero-node's hard-coded Xero hosts; a test may point it at another simulator. */
let xeroHosts = (): string => sim.url;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, organisations: [{ country: 'NZ' }] });
  interceptor = axios.interceptors.request.use((config: { url?: string }) => {
    config.url = config.url?.replace(/^https:\/\/(identity|api)\.xero\.com/, xeroHosts());
    return config;
  });
});

afterAll(async () => {
  axios.interceptors.request.eject(interceptor);
  await sim.close();
});

function basic(id = sim.clientId, secret = sim.clientSecret): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

async function tokenPost(body: string, authorization = basic()): Promise<{ status: number; json: any }> {
  const res = await fetch(`${sim.url}/connect/token`, {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
  return { status: res.status, json: await res.json() };
}

describe('client_credentials (Custom Connection)', () => {
  it('issues a 30-minute bearer token to xero-node getClientCredentialsToken, whose body says scopes=undefined', async () => {
    const xero = new XeroClient({ clientId: sim.clientId, clientSecret: sim.clientSecret, grantType: 'client_credentials' });
    const tokenSet = await xero.getClientCredentialsToken();
    expect(tokenSet.token_type).toBe('Bearer');
    expect(tokenSet.access_token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(tokenSet.refresh_token).toBeUndefined();
    expect(tokenSet.expires_in).toBeGreaterThan(1790);
    const logged = sim.requests({ path: '/connect/token' }).at(-1)!;
    expect(logged.body).toEqual({ grant_type: 'client_credentials', scopes: 'undefined' });

    xero.accountingApi.basePath = `${sim.url}/api.xro/2.0`;
    const org = await xero.accountingApi.getOrganisations('');
    expect(org.body.organisations?.[0]?.organisationID).toBe(sim.defaultTenantId);
  });

  it('tolerates xero-node configured scopes (sent comma-joined as scopes=)', async () => {
    const xero = new XeroClient({
      clientId: sim.clientId,
      clientSecret: sim.clientSecret,
      grantType: 'client_credentials',
      scopes: ['accounting.transactions', 'accounting.contacts'],
    });
    const tokenSet = await xero.getClientCredentialsToken();
    expect(tokenSet.access_token).toBeTruthy();
    expect(sim.requests({ path: '/connect/token' }).at(-1)!.body).toMatchObject({ scopes: 'accounting.transactions,accounting.contacts' });
  });

  it('tolerates the OAuth scope= field and no scope field at all', async () => {
    const withScope = await tokenPost('grant_type=client_credentials&scope=accounting.transactions%20accounting.contacts');
    const without = await tokenPost('grant_type=client_credentials');
    expect(withScope.status).toBe(200);
    expect(without.status).toBe(200);
    expect(without.json).toMatchObject({ token_type: 'Bearer', expires_in: 1800 });
    expect(typeof without.json.scope).toBe('string');
  });

  it('refuses a wrong secret with invalid_client, which xero-node rejects as an AxiosError-like object', async () => {
    const xero = new XeroClient({ clientId: sim.clientId, clientSecret: 'wrong', grantType: 'client_credentials' });
    const error = await xero.getClientCredentialsToken().then(
      () => undefined,
      (e: unknown) => e as { response?: { status: number; data: unknown } },
    );
    expect(error?.response?.status).toBe(400);
    expect(error?.response?.data).toEqual({ error: 'invalid_client' });
  });

  it('refuses an unknown grant type with unsupported_grant_type', async () => {
    expect(await tokenPost('grant_type=password&username=a&password=b')).toEqual({ status: 400, json: { error: 'unsupported_grant_type' } });
  });

  it('never writes the client secret or tokens into the request log', async () => {
    await tokenPost(`grant_type=client_credentials&client_id=${sim.clientId}&client_secret=${sim.clientSecret}`, '');
    const entries = JSON.stringify(sim.requests({ path: '/connect/' }));
    expect(entries).not.toContain(sim.clientSecret);
    expect(entries).not.toContain(Buffer.from(`${sim.clientId}:${sim.clientSecret}`).toString('base64'));
  });
});

describe('API authentication and tenant checks', () => {
  let h: SimForTest;
  beforeAll(async () => {
    h = await startSimForTest({ organisations: [{ country: 'NZ' }, { country: 'AU' }], clients: [
      { clientId: 'two-orgs', clientSecret: 's2' },
    ] });
  });
  afterAll(() => h.close());

  it('answers an expired access token with 401 TokenExpired and a WWW-Authenticate header', async () => {
    h.sim.advanceClock(30 * 60_000 + 1000);
    const error = parseXeroError(await h.xero.accountingApi.getOrganisations(h.tenantId).catch((e: unknown) => e));
    expect(error.response.statusCode).toBe(401);
    expect(error.body).toMatchObject({ Type: null, Title: 'Unauthorized', Status: 401, Extensions: {} });
    expect(error.body.Detail).toMatch(/^TokenExpired: token expired at \d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d$/);
    expect(error.response.headers['www-authenticate']).toContain('invalid_token');
    await h.refreshToken();
    const ok = await h.xero.accountingApi.getOrganisations(h.tenantId);
    expect(ok.response.status).toBe(200);
  });

  it('answers an unknown bearer token with 401 AuthenticationUnsuccessful', async () => {
    const xero = new XeroClient();
    xero.accountingApi.basePath = `${h.sim.url}/api.xro/2.0`;
    xero.setTokenSet({ access_token: 'not-a-token', token_type: 'Bearer' });
    const error = parseXeroError(await xero.accountingApi.getOrganisations(h.tenantId).catch((e: unknown) => e));
    expect(error.response.statusCode).toBe(401);
    expect(error.body).toMatchObject({ Title: 'Unauthorized', Status: 401, Detail: 'AuthenticationUnsuccessful' });
  });

  it('answers a tenant the token is not connected to with 403 AuthenticationUnsuccessful', async () => {
    const error = parseXeroError(await h.xero.accountingApi.getOrganisations('00000000-0000-0000-0000-000000000001').catch((e: unknown) => e));
    expect(error.response.statusCode).toBe(403);
    expect(error.body).toMatchObject({ Type: null, Title: 'Forbidden', Status: 403, Detail: 'AuthenticationUnsuccessful' });
  });

  it('requires xero-tenant-id when the app is connected to more than one organisation', async () => {
    const error = parseXeroError(await h.xero.accountingApi.getOrganisations('').catch((e: unknown) => e));
    expect(error.response.statusCode).toBe(403);
    const [nz, au] = h.sim.tenants();
    const second = await h.xero.accountingApi.getOrganisations(au!.tenantId);
    expect(second.body.organisations?.[0]?.organisationID).toBe(au!.tenantId);
    expect(nz!.country).toBe('NZ');
  });

  it('lists one connection per organisation at GET /connections (xero-node updateTenants)', async () => {
    const xero = new XeroClient({ clientId: 'two-orgs', clientSecret: 's2', grantType: 'client_credentials' });
    xero.accountingApi.basePath = `${h.sim.url}/api.xro/2.0`;
    xeroHosts = () => h.sim.url;
    try {
      await xero.getClientCredentialsToken();
      const connections = (await xero.updateTenants(true)) as { tenantId: string; tenantType: string; tenantName: string; id: string; authEventId: string; orgData: { baseCurrency: string } }[];
      expect(connections.map((c) => c.tenantId).sort()).toEqual(h.sim.tenants().map((t) => t.tenantId).sort());
      expect(connections[0]).toMatchObject({ tenantType: 'ORGANISATION', tenantName: expect.any(String), id: expect.any(String), authEventId: expect.any(String) });
      expect(connections.map((c) => String(c.orgData.baseCurrency)).sort()).toEqual(['AUD', 'NZD']);
    } finally {
      xeroHosts = () => sim.url;
    }
  });
});

describe('authorization-code flow with refresh-token rotation', () => {
  async function consent(scope = 'openid profile email accounting.transactions offline_access', state = 'st-1'): Promise<URL> {
    const authorize = new URL(`${sim.url}/identity/connect/authorize`);
    authorize.search = new URLSearchParams({ response_type: 'code', client_id: sim.clientId, redirect_uri: 'http://localhost/cb', scope, state }).toString();
    const res = await fetch(authorize, { redirect: 'manual' });
    expect(res.status).toBe(302);
    return new URL(res.headers.get('location')!);
  }

  async function exchange(code: string): Promise<any> {
    const { status, json } = await tokenPost(`grant_type=authorization_code&code=${code}&redirect_uri=${encodeURIComponent('http://localhost/cb')}`);
    expect(status).toBe(200);
    return json;
  }

  it('redirects back with a one-use code and the state, and exchanges the code for tokens once', async () => {
    const callback = await consent();
    expect(callback.searchParams.get('state')).toBe('st-1');
    const code = callback.searchParams.get('code')!;
    const tokens = await exchange(code);
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 1800, refresh_token: expect.any(String), id_token: expect.any(String) });
    expect(await tokenPost(`grant_type=authorization_code&code=${code}&redirect_uri=${encodeURIComponent('http://localhost/cb')}`)).toEqual({
      status: 400,
      json: { error: 'invalid_grant' },
    });
  });

  it('rotates the refresh token through xero-node refreshWithRefreshToken; the old one works for a 30-minute grace, then invalid_grant', async () => {
    const first = await exchange((await consent()).searchParams.get('code')!);
    const xero = new XeroClient({ clientId: sim.clientId, clientSecret: sim.clientSecret });
    const second = await xero.refreshWithRefreshToken(sim.clientId, sim.clientSecret, first.refresh_token);
    expect(second.refresh_token).toBeTruthy();
    expect(second.refresh_token).not.toBe(first.refresh_token);

    sim.advanceClock(29 * 60_000);
    const withinGrace = await xero.refreshWithRefreshToken(sim.clientId, sim.clientSecret, first.refresh_token);
    expect(withinGrace.access_token).toBeTruthy();

    sim.advanceClock(2 * 60_000);
    const late = await xero.refreshWithRefreshToken(sim.clientId, sim.clientSecret, first.refresh_token).then(
      () => undefined,
      (e: unknown) => e as { response?: { status: number; data: unknown } },
    );
    expect(late?.response?.status).toBe(400);
    expect(late?.response?.data).toEqual({ error: 'invalid_grant' });

    const newest = await xero.refreshWithRefreshToken(sim.clientId, sim.clientSecret, second.refresh_token!);
    expect(newest.access_token).toBeTruthy();
  });

  it('disconnects an organisation with DELETE /connections/{id} (xero-node disconnect), after which the tenant is 403', async () => {
    const tokens = await exchange((await consent('accounting.settings offline_access')).searchParams.get('code')!);
    const xero = new XeroClient({ clientId: sim.clientId, clientSecret: sim.clientSecret });
    xero.setTokenSet(tokens);
    xero.accountingApi.basePath = `${sim.url}/api.xro/2.0`;
    const [tenant] = await xero.updateTenants(true);
    expect(tenant.orgData.organisationID).toBe(sim.defaultTenantId);
    await xero.disconnect(tenant.id);
    const error = parseXeroError(await xero.accountingApi.getOrganisations(sim.defaultTenantId).catch((e: unknown) => e));
    expect(error.response.statusCode).toBe(403);
  });

  it('runs the whole xero-node OpenID flow: initialize, buildConsentUrl, apiCallback (RS256 id_token via JWKS), updateTenants, revokeToken', async () => {
    const require = createRequire(import.meta.url);
    const { Issuer } = createRequire(require.resolve('xero-node'))('openid-client') as { Issuer: { discover: (url: string) => Promise<unknown> } };
    const discover = Issuer.discover;
    Issuer.discover = (url: string) => discover.call(Issuer, url.replace('https://identity.xero.com', sim.url));
    try {
      const xero = new XeroClient({
        clientId: sim.clientId,
        clientSecret: sim.clientSecret,
        redirectUris: ['http://localhost/cb'],
        scopes: ['openid', 'profile', 'email', 'accounting.settings', 'offline_access'],
        state: 'xyz',
      });
      await xero.initialize();
      const consentUrl = await xero.buildConsentUrl();
      expect(consentUrl.startsWith(`${sim.url}/identity/connect/authorize`)).toBe(true);
      const redirect = await fetch(consentUrl, { redirect: 'manual' });
      const tokenSet = await xero.apiCallback(redirect.headers.get('location')!);
      expect(tokenSet.claims().aud).toBe(sim.clientId);
      xero.accountingApi.basePath = `${sim.url}/api.xro/2.0`;
      const tenants = await xero.updateTenants(false);
      expect(tenants.map((t: { tenantId: string }) => t.tenantId)).toEqual([sim.defaultTenantId]);
      const refreshed = await xero.refreshToken();
      expect(refreshed.refresh_token).not.toBe(tokenSet.refresh_token);
      await xero.revokeToken();
      const { status } = await tokenPost(`grant_type=refresh_token&refresh_token=${refreshed.refresh_token}`);
      expect(status).toBe(400);
    } finally {
      Issuer.discover = discover;
    }
  });
});
