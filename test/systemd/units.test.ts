import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SYSTEMD = fileURLToPath(new URL('../../systemd/', import.meta.url));
const CONFIG = fileURLToPath(new URL('../../daemon/src/config/config.ts', import.meta.url));
const SERVICES = ['b24xero.service', 'b24xero@.service', 'b24xero-pass.service'];

function analyze(args: string[]): { status: number | null; out: string } {
  const r = spawnSync('systemd-analyze', args, { encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** The units as systemd/install.sh writes them for this checkout and this machine's node. */
let rendered: string;
beforeAll(() => {
  rendered = mkdtempSync(join(tmpdir(), 'b24x-units-'));
  const r = spawnSync('bash', [join(SYSTEMD, 'install.sh'), '--render-only', rendered, '--node', process.execPath], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
});
afterAll(() => rmSync(rendered, { recursive: true, force: true }));

/** A template is analysed as one of its instances, which is how systemd loads it. */
const loadable = (unit: string) => (unit.includes('@.') ? unit.replace('@.', '@shop.') : unit);

describe('systemd units', () => {
  it('pass systemd-analyze verify', () => {
    for (const unit of [...SERVICES, 'b24xero-pass.timer']) {
      const path = join(rendered, loadable(unit));
      if (path !== join(rendered, unit)) spawnSync('cp', [join(rendered, unit), path]);
      const r = analyze(['verify', path]);
      expect(r.out.trim(), unit).toBe('');
      expect(r.status, unit).toBe(0);
    }
  });

  it('have an exposure of at most 2.0 in systemd-analyze security --offline=true', () => {
    for (const unit of SERVICES) {
      const path = join(rendered, loadable(unit));
      if (path !== join(rendered, unit)) spawnSync('cp', [join(rendered, unit), path]);
      const r = analyze(['security', '--offline=true', path]);
      const level = Number(/Overall exposure level for \S+: ([\d.]+)/.exec(r.out)?.[1]);
      console.log(`systemd-analyze security --offline=true ${unit}: exposure ${level}`);
      expect(level, r.out).toBeLessThanOrEqual(2.0);
    }
  });

  it('run the daemon as Type=notify with a watchdog, restart on failure but never on a configuration error', () => {
    for (const unit of ['b24xero.service', 'b24xero@.service']) {
      const text = readFileSync(join(SYSTEMD, unit), 'utf8');
      for (const line of ['Type=notify', 'Restart=on-failure', 'RestartPreventExitStatus=78', 'User=b24xero', 'TimeoutStopSec=30s']) {
        expect(text, `${unit}: ${line}`).toContain(`\n${line}\n`);
      }
      expect(text).toMatch(/\nWatchdogSec=\S+\n/);
      expect(text).toMatch(/\nExecStart=\S+ \S+b24xero\.js run\n/);
    }
    expect(readFileSync(join(SYSTEMD, 'b24xero-pass.service'), 'utf8')).toContain('\nSuccessExitStatus=3\n');
  });

  it('name every directive they leave out, with the reason', () => {
    const text = readFileSync(join(SYSTEMD, 'b24xero.service'), 'utf8');
    for (const directive of ['MemoryDenyWriteExecute', 'PrivateNetwork', 'IPAddressDeny', 'DynamicUser', 'RootDirectory', 'ProcSubset']) {
      expect(text, directive).toMatch(new RegExp(`# .*${directive}[^\\n]*:`));
    }
  });

  it('the env example documents every variable the configuration reads', () => {
    const example = readFileSync(join(SYSTEMD, 'b24xero.env.example'), 'utf8');
    const read = [...readFileSync(CONFIG, 'utf8').matchAll(/get\('([A-Z0-9_]+)'\)/g)].map((m) => m[1]!);
    expect(read.length).toBeGreaterThan(10);
    for (const name of new Set(read)) expect(example, name).toMatch(new RegExp(`^#? ?${name}=`, 'm'));
  });
});
