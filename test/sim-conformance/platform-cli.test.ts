import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { XeroClient } from 'xero-node';
import { parseCliArgs, toSimOptions } from '../sim/platform/cli-args.ts';

/**
 * The b24xero-sim command (ARCHITECTURE: `b24xero-sim [--port N] [--seed S] [--time-scale K]`, first line
 * `listening http://127.0.0.1:PORT`), its --org / --config / --snapshot options, and what a xero-node client sees there.
 */
const BIN = fileURLToPath(new URL('../sim/bin/b24xero-sim.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'b24xero-sim-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Started {
  child: ChildProcess;
  url: string;
  /** `tenant <id> <country> <name>` lines the command prints after the first one. */
  tenants: { tenantId: string; country: string; name: string }[];
}

/** Spawns the command and reads its banner up to the `token …` line. */
async function startCli(args: string[]): Promise<Started> {
  const child = spawn(process.execPath, [BIN, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const first = (await lines.next()).value as string;
  expect(first).toMatch(/^listening http:\/\/127\.0\.0\.1:\d+$/);
  const tenants: Started['tenants'] = [];
  for (let line = (await lines.next()).value as string; !line.startsWith('token '); line = (await lines.next()).value as string) {
    const m = /^tenant (\S+) (\S+) (.+)$/.exec(line);
    if (m) tenants.push({ tenantId: m[1]!, country: m[2]!, name: m[3]! });
  }
  return { child, url: first.slice('listening '.length), tenants };
}

async function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  child.kill(signal);
  const [code] = await once(child, 'exit');
  return code as number | null;
}

/** A xero-node client for a running command: token by a plain POST to /connect/token (reference §2.2 pattern A). */
async function xeroAt(url: string, clientId = 'sim-client', clientSecret = 'sim-secret'): Promise<XeroClient> {
  const res = await fetch(`${url}/connect/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  expect(res.status).toBe(200);
  const xero = new XeroClient({ clientId, clientSecret, grantType: 'client_credentials' });
  xero.accountingApi.basePath = `${url}/api.xro/2.0`;
  xero.setTokenSet((await res.json()) as { access_token: string; token_type: string });
  return xero;
}

describe('b24xero-sim command line', () => {
  it('prints "listening http://127.0.0.1:PORT" as its first line, serves the API there, and exits cleanly on SIGTERM', async () => {
    const { child, url, tenants } = await startCli(['--seed', '42', '--time-scale', '2']);
    try {
      expect(tenants.map((t) => t.country)).toEqual(['NZ']);
      const xero = await xeroAt(url);
      const org = (await xero.accountingApi.getOrganisations(tenants[0]!.tenantId)).body.organisations![0]!;
      expect(String(org.baseCurrency)).toBe('NZD');
      expect(await stop(child)).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('rejects an unknown flag with exit code 2 and the usage text', async () => {
    const child = spawn(process.execPath, [BIN, '--bogus'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(stderr).toContain('unknown argument --bogus');
    expect(stderr).toContain('usage: b24xero-sim');
  });
});

describe('b24xero-sim --org and --config: Australian, UK or US organisations instead of or as well as the NZ one', () => {
  it('--org NZ,AU creates an Australian organisation as well as the New Zealand one', async () => {
    const { child, url, tenants } = await startCli(['--org', 'NZ,AU']);
    try {
      expect(tenants.map((t) => t.country)).toEqual(['NZ', 'AU']);
      const xero = await xeroAt(url);
      const au = (await xero.accountingApi.getOrganisations(tenants[1]!.tenantId)).body.organisations![0]!;
      expect([String(au.baseCurrency), String(au.countryCode)]).toEqual(['AUD', 'AU']);
      const gst = (await xero.accountingApi.getTaxRates(tenants[1]!.tenantId, 'TaxType=="OUTPUT"')).body.taxRates!;
      expect(gst.map((r) => r.effectiveRate)).toEqual([10]);
    } finally {
      await stop(child);
    }
  });

  it('a config file\'s organisations replace the NZ one: UK and US organisations, named as configured', async () => {
    const config = join(dir, 'orgs.json');
    writeFileSync(config, JSON.stringify({ organisations: [{ country: 'UK', name: 'Widgets UK Ltd' }, { country: 'US' }] }));
    const { child, url, tenants } = await startCli(['--config', config]);
    try {
      expect(tenants.map((t) => t.country)).toEqual(['UK', 'US']);
      const xero = await xeroAt(url);
      const [uk, us] = await Promise.all(tenants.map(async (t) => (await xero.accountingApi.getOrganisations(t.tenantId)).body.organisations![0]!));
      expect([uk!.name, String(uk!.baseCurrency), String(uk!.countryCode)]).toEqual(['Widgets UK Ltd', 'GBP', 'GB']);
      expect([String(us!.baseCurrency), String(us!.countryCode)]).toEqual(['USD', 'US']);
    } finally {
      await stop(child);
    }
  });

  it('takes clients and limits from a JSON file', async () => {
    const config = join(dir, 'clients.json');
    writeFileSync(config, JSON.stringify({ clients: [{ clientId: 'cfg-client', clientSecret: 'cfg-secret' }], limits: { perMinute: 7 } }));
    const { child, url } = await startCli(['--config', config]);
    try {
      const xero = await xeroAt(url, 'cfg-client', 'cfg-secret');
      const org = await xero.accountingApi.getOrganisations('');
      expect(org.response.status).toBe(200);
      expect(org.response.headers['x-minlimit-remaining']).toBe('6');
      expect(await stop(child, 'SIGINT')).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('refuses a config file that is not JSON with exit code 2, naming the problem', async () => {
    const config = join(dir, 'broken.json');
    writeFileSync(config, '{ organisations: ');
    const child = spawn(process.execPath, [BIN, '--port', '0', '--config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(stderr).toMatch(/^b24xero-sim: .*JSON/);
  });
});

describe('b24xero-sim --snapshot', () => {
  it('writes the books to the file on SIGTERM and restores them, same tenant and same contacts, on the next start', async () => {
    const file = join(dir, 'books.json');
    const first = await startCli(['--org', 'AU', '--snapshot', file]);
    const [au] = first.tenants;
    const name = `Kept across restarts ${Date.now()}`;
    try {
      const xero = await xeroAt(first.url);
      await xero.accountingApi.createContacts(au!.tenantId, { contacts: [{ name }] });
    } finally {
      expect(await stop(first.child)).toBe(0);
    }
    expect(existsSync(file)).toBe(true);

    const second = await startCli(['--snapshot', file]);
    try {
      expect(second.tenants).toEqual([au]);
      const xero = await xeroAt(second.url);
      const found = await xero.accountingApi.getContacts(au!.tenantId, undefined, `Name=="${name}"`);
      expect(found.body.contacts!.map((c) => c.name)).toEqual([name]);
    } finally {
      await stop(second.child);
    }
  });
});

describe('argument parsing', () => {
  it('defaults to port 5055 and one NZ organisation (no --org)', () => {
    expect(parseCliArgs([])).toMatchObject({ port: 5055, countries: [], host: '127.0.0.1' });
    expect(toSimOptions(parseCliArgs([])).organisations).toBeUndefined();
  });

  it('accepts repeated and comma-separated --org, --flag=value, and validates numbers', () => {
    expect(parseCliArgs(['--org', 'nz,AU', '--org=UK', '--time-scale=60', '--seed', '7']).countries).toEqual(['NZ', 'AU', 'UK']);
    expect(() => parseCliArgs(['--org', 'FR'])).toThrow(/unknown country/);
    expect(() => parseCliArgs(['--port', 'x'])).toThrow(/--port must be an integer/);
    expect(() => parseCliArgs(['--time-scale', '0'])).toThrow(/positive/);
  });

  it('lets --org win over the config file\'s organisations, and keeps the rest of the config', () => {
    const options = toSimOptions(parseCliArgs(['--org', 'US']), { organisations: [{ country: 'UK' }], limits: { perMinute: 7 } });
    expect(options.organisations).toEqual([{ country: 'US' }]);
    expect(options.limits).toEqual({ perMinute: 7 });
  });
});
