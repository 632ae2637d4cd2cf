import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../sim/platform/cli-args.ts';

const BIN = fileURLToPath(new URL('../sim/bin/b24xero-sim.js', import.meta.url));

describe('b24xero-sim command line', () => {
  it('prints "listening http://127.0.0.1:PORT" as its first line, serves the API there, and exits cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [BIN, '--port', '0', '--seed', '42', '--time-scale', '2', '--org', 'NZ,AU'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
      const first = (await lines.next()).value as string;
      expect(first).toMatch(/^listening http:\/\/127\.0\.0\.1:\d+$/);
      const url = first.slice('listening '.length);
      const info = (await (await fetch(`${url}/_sim`)).json()) as { tenants: { country: string }[] };
      expect(info.tenants.map((t) => t.country)).toEqual(['NZ', 'AU']);
      const token = await fetch(`${url}/connect/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from('sim-client:sim-secret').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      });
      expect(token.status).toBe(200);
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      expect(code).toBe(0);
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

async function firstLine(child: ChildProcess): Promise<string> {
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  return (await lines.next()).value as string;
}

describe('b24xero-sim --config', () => {
  it('takes clients and limits from a JSON file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'b24xero-sim-cli-'));
    const config = join(dir, 'sim.json');
    writeFileSync(config, JSON.stringify({ clients: [{ clientId: 'cfg-client', clientSecret: 'cfg-secret' }], limits: { perMinute: 7 } }));
    const child = spawn(process.execPath, [BIN, '--port', '0', '--config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = (await firstLine(child)).slice('listening '.length);
      const token = (await (
        await fetch(`${url}/connect/token`, {
          method: 'POST',
          headers: { authorization: `Basic ${Buffer.from('cfg-client:cfg-secret').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
          body: 'grant_type=client_credentials',
        })
      ).json()) as { access_token: string };
      const org = await fetch(`${url}/api.xro/2.0/Organisation`, { headers: { authorization: `Bearer ${token.access_token}`, 'xero-tenant-id': '' } });
      expect(org.status).toBe(200);
      expect(org.headers.get('x-minlimit-remaining')).toBe('6');
      child.kill('SIGINT');
      expect((await once(child, 'exit'))[0]).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('argument parsing', () => {
  it('defaults to port 5055 and one NZ organisation (no --org)', () => {
    expect(parseCliArgs([])).toMatchObject({ port: 5055, countries: [], host: '127.0.0.1' });
  });

  it('accepts repeated and comma-separated --org, --flag=value, and validates numbers', () => {
    expect(parseCliArgs(['--org', 'nz,AU', '--org=UK', '--time-scale=60', '--seed', '7']).countries).toEqual(['NZ', 'AU', 'UK']);
    expect(() => parseCliArgs(['--org', 'FR'])).toThrow(/unknown country/);
    expect(() => parseCliArgs(['--port', 'x'])).toThrow(/--port must be an integer/);
    expect(() => parseCliArgs(['--time-scale', '0'])).toThrow(/positive/);
  });
});
