import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KNOWN_VARIABLES, unknownVariables } from '../../daemon/src/config/variables.ts';
import { TEST_SERVER_URL } from '../helpers/test-db.ts';
import { runInProcess } from './run-in-process.ts';

/** Configuration typos and `b24xero config` (issue 10 item 6). */
describe('unknown configuration variables', () => {
  it('names the variable a typo most likely meant, and leaves other programs\' variables alone', () => {
    expect(unknownVariables(['XERO_CLIENT_SECERT', 'BITRIX_DB_URI', 'B24X_INSTANSE', 'XERO_FOO_BAR_BAZ_QUX', 'PATH', 'XERO_API_URL', 'HOME'])).toEqual([
      { name: 'B24X_INSTANSE', didYouMean: 'B24X_INSTANCE' },
      { name: 'BITRIX_DB_URI', didYouMean: 'BITRIX_DB_URL' },
      { name: 'XERO_CLIENT_SECERT', didYouMean: 'XERO_CLIENT_SECRET' },
      { name: 'XERO_FOO_BAR_BAZ_QUX', didYouMean: null },
    ]);
  });

  it('knows every variable the example env file documents', () => {
    const example = readFileSync(new URL('../../systemd/b24xero.env.example', import.meta.url), 'utf8');
    const documented = [...example.matchAll(/^#?\s?((?:BITRIX|B24X|XERO)_[A-Z0-9_]+)=/gm)].map((m) => m[1]!);
    expect(documented.length).toBeGreaterThan(10);
    expect(unknownVariables(documented)).toEqual([]);
  });
});

describe('b24xero config', () => {
  const dir = mkdtempSync(join(tmpdir(), 'b24x-config-'));
  const file = join(dir, 'portal.env');
  writeFileSync(file, `BITRIX_DB_URL=mysql://b24xero:pa%23ss@db.example:3306/sitemanager\nXERO_CLIENT_SECRET=top-secret-value\nXERO_CLIENT_SECERT=typo\n`);

  it('prints each value with its source, secrets masked, and the typo with "did you mean"', async () => {
    const run = await runInProcess(['config'], { B24X_ENV_FILE: file, XERO_CLIENT_ID: 'the-client', LOG_LEVEL: 'warn' });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/BITRIX_DB_URL\s+mysql:\/\/b24xero:\*\*\*\*@db\.example:3306\/sitemanager\s+\[env file .*portal\.env\]/);
    expect(run.stdout).toMatch(/XERO_CLIENT_SECRET\s+\*\*\*\* \(set\)\s+\[env file/);
    expect(run.stdout).toMatch(/XERO_CLIENT_ID\s+the-client\s+\[environment\]/);
    expect(run.stdout).toMatch(/LOG_LEVEL\s+warn\s+\[environment\]/);
    expect(run.stdout).toMatch(/XERO_DAILY_BUDGET\s+5000\s+\[default\]/);
    expect(run.stdout).toContain('warning: XERO_CLIENT_SECERT is not a variable b24xero reads — did you mean XERO_CLIENT_SECRET?');
    expect(run.stdout).toContain('configuration is valid');
    expect(run.stdout + run.stderr).not.toContain('top-secret-value');
    expect(run.stdout + run.stderr).not.toContain('pa%23ss');
    const json = await runInProcess(['config', '--json'], { B24X_ENV_FILE: file });
    expect(JSON.parse(json.stdout).unknown).toEqual([{ name: 'XERO_CLIENT_SECERT', didYouMean: 'XERO_CLIENT_SECRET' }]);
    expect(KNOWN_VARIABLES.length).toBe(JSON.parse(json.stdout).variables.length);
  });

  it('takes the instance from the env file\'s name when B24X_INSTANCE is unset, as the template unit does', async () => {
    const shop = join(dir, 'shop.env');
    writeFileSync(shop, 'BITRIX_DB_URL=mysql://root@127.0.0.1:3306/shop\n');
    const run = await runInProcess(['config'], { B24X_ENV_FILE: shop });
    expect(run.stdout).toMatch(/B24X_INSTANCE\s+shop\s+\[the env file's name\]/);
    const set = await runInProcess(['config'], { B24X_ENV_FILE: shop, B24X_INSTANCE: 'other' });
    expect(set.stdout).toMatch(/B24X_INSTANCE\s+other\s+\[environment\]/);
  });

  it('exits 1 listing the problems of an invalid configuration', async () => {
    const run = await runInProcess(['config'], { B24X_ENV_FILE: file, XERO_DAILY_BUDGET: 'lots' });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/problem: XERO_DAILY_BUDGET/);
  });

  it('warns about a typo in the log of every command that composes the daemon', async () => {
    const run = await runInProcess(['status'], { BITRIX_DB_URL: `${TEST_SERVER_URL}b24xero_no_such_db`, XERO_CLIENT_SECERT: 'x' });
    expect(run.stderr).toContain('XERO_CLIENT_SECERT is not a variable b24xero reads — did you mean XERO_CLIENT_SECRET?');
  });
});

describe('instanceOfEnvFile', () => {
  it('names the instance after the env file, and only when that is a usable name', async () => {
    const { instanceOfEnvFile, loadConfig } = await import('../../daemon/src/config/config.ts');
    expect(instanceOfEnvFile('/etc/b24xero/shop.env')).toBe('shop');
    expect(instanceOfEnvFile('/etc/b24xero/default.env')).toBe('default');
    expect(instanceOfEnvFile('.env')).toBeNull();
    expect(instanceOfEnvFile('/etc/b24xero/my shop.env')).toBeNull();
    expect(instanceOfEnvFile('/etc/b24xero/shop.conf')).toBeNull();
    expect(loadConfig({ BITRIX_DB_URL: 'mysql://u@h/db', B24X_ENV_FILE: '/etc/b24xero/shop.env' }).instance).toBe('shop');
    expect(loadConfig({ BITRIX_DB_URL: 'mysql://u@h/db', B24X_ENV_FILE: '/etc/b24xero/shop.env', B24X_INSTANCE: 'x' }).instance).toBe('x');
  });
});
