import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenStoreFor } from '../../daemon/src/runtime/compose.ts';
import { pkcePair } from '../../daemon/src/runtime/connect-flow.ts';
import { createPushWorld, type PushWorld } from '../integration/support/push-harness.ts';
import { runCli, startCli, until } from '../integration/support/cli-process.ts';

let world: PushWorld;
let tenants: string[];

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

beforeAll(async () => {
  world = await createPushWorld('connect', { organisations: [{ country: 'NZ', name: 'Kiwi Ltd' }, { country: 'AU', name: 'Aussie Pty' }] });
  tenants = (await (await fetch(`${world.sim.url}/connections`, { headers: { authorization: `Bearer ${(await world.sim.fetchToken()).access_token}` } })).json() as Array<{ tenantId: string }>).map((c) => c.tenantId);
});
afterAll(async () => { await world?.close(); });

const authEnv = (extra: Record<string, string> = {}) => world.env({
  XERO_AUTH: 'authorization_code', XERO_AUTHORIZE_URL: `${world.sim.url}/identity/connect/authorize`, LOG_LEVEL: 'warn', ...extra,
});

describe('b24xero connect', () => {
  it('runs authorization code + PKCE through a loopback redirect, stores the chosen tenant’s token encrypted, and sync uses it', async () => {
    const redirect = `http://127.0.0.1:${await freePort()}/callback`;
    const chosen = tenants[1]!;
    const run = startCli(['connect', '--redirect-uri', redirect, '--tenant', chosen, '--timeout', '60'], authEnv());
    const url = await until(() => /^\s+(http\S+)$/m.exec(run.stdout())?.[1], 'the authorize URL');
    const asked = new URL(url);
    expect(asked.searchParams.get('code_challenge_method')).toBe('S256');
    expect(asked.searchParams.get('redirect_uri')).toBe(redirect);
    expect(asked.searchParams.get('scope')).toContain('offline_access');
    // The browser: Xero's consent page redirects back to the loopback address with the code.
    const consent = await fetch(url, { redirect: 'manual' });
    expect(consent.status).toBe(302);
    const back = await fetch(consent.headers.get('location')!);
    expect(back.status).toBe(200);
    expect(await back.text()).toContain('connected');
    const { code } = await run.exited;
    expect(run.stderr()).toBe('');
    expect(code).toBe(0);
    expect(run.stdout()).toContain(`connected to "Aussie Pty" (tenant ${chosen})`);
    expect(run.stdout()).toContain(`XERO_TENANT_ID=${chosen}`);

    const row = await world.db.selectFrom('b_b24xero_token').selectAll().where('INSTANCE', '=', world.instance).executeTakeFirstOrThrow();
    const stored = await tokenStoreFor({ instance: world.instance, clientSecret: world.sim.clientSecret }, world.db).read();
    expect(stored!.tenantId).toBe(chosen);
    expect(row.TOKEN_SET).not.toContain(stored!.tokenSet.refresh_token);

    const sync = await runCli(['sync', '--once'], authEnv({ XERO_TENANT_ID: chosen }));
    expect(sync.stderr).toBe('');
    expect(sync.code).toBe(0);
  });

  it('refuses with several organisations and no --tenant when it cannot ask, listing them', async () => {
    const redirect = `http://127.0.0.1:${await freePort()}/callback`;
    const run = startCli(['connect', '--redirect-uri', redirect, '--timeout', '60'], authEnv());
    const url = await until(() => /^\s+(http\S+)$/m.exec(run.stdout())?.[1], 'the authorize URL');
    const consent = await fetch(url, { redirect: 'manual' });
    await fetch(consent.headers.get('location')!);
    expect((await run.exited).code).toBe(1);
    expect(run.stderr()).toContain('choose one with --tenant ID');
    for (const tenant of tenants) expect(run.stderr()).toContain(tenant);
  });

  it('says a Custom Connection needs no connect, and refuses a non-loopback redirect', async () => {
    const custom = await runCli(['connect'], world.env());
    expect(custom.code).toBe(1);
    expect(custom.stderr).toContain('needs no connect');
    const remote = await runCli(['connect', '--redirect-uri', 'http://example.test:5555/callback'], authEnv());
    expect(remote.code).toBe(1);
    expect(remote.stderr).toContain('loopback');
  });

  it('the simulator refuses a code exchanged without its PKCE verifier, like Xero', async () => {
    const { challenge } = pkcePair();
    const redirect = 'http://127.0.0.1:1/callback';
    const authorize = new URL(`${world.sim.url}/identity/connect/authorize`);
    authorize.search = new URLSearchParams({ response_type: 'code', client_id: world.sim.clientId, redirect_uri: redirect, scope: 'offline_access', state: 's', code_challenge: challenge, code_challenge_method: 'S256' }).toString();
    const code = new URL((await fetch(authorize, { redirect: 'manual' })).headers.get('location')!).searchParams.get('code')!;
    const res = await fetch(`${world.sim.url}/connect/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${world.sim.clientId}:${world.sim.clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirect, code_verifier: 'not-the-verifier' }).toString(),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_grant' });
  });
});
