import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../daemon/src/config/config.ts';
import { readEnvironment } from '../../daemon/src/config/env-file.ts';
import { redact, secretValues } from '../../daemon/src/config/redact.ts';

const URL_WITH_PASSWORD = 'mysql://b24x:Sup3r%2Fsecret@db.local:3306/sitemanager';

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies the documented defaults when only BITRIX_DB_URL is set', () => {
    const config = loadConfig({ BITRIX_DB_URL: 'mysql://root@127.0.0.1/bx' }, { systemTimezone: 'Europe/Berlin' });
    expect(config).toEqual({
      bitrixDbUrl: 'mysql://root@127.0.0.1/bx',
      instance: 'default',
      xero: {
        clientId: null, clientSecret: null, auth: 'client_credentials', tenantId: null,
        apiUrl: 'https://api.xero.com/api.xro/2.0', identityUrl: 'https://identity.xero.com',
        connectionsUrl: 'https://api.xero.com/connections', authorizeUrl: 'https://login.xero.com/identity/connect/authorize', minuteLimit: 60, dailyBudget: 5000,
        httpTimeoutMs: 30000, webhookKey: null,
      },
      syncSchedule: '* * * * *',
      httpListen: null,
      httpAllowRemote: false,
      logLevel: 'info',
      bitrixTimezone: 'Europe/Berlin',
    });
  });

  it('returns a frozen object, nested parts included', () => {
    const config = loadConfig({ BITRIX_DB_URL: 'mysql://root@127.0.0.1/bx', HTTP_LISTEN: '8787' });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.xero)).toBe(true);
    expect(Object.isFrozen(config.httpListen)).toBe(true);
  });

  it('reads every variable of the ARCHITECTURE table', () => {
    const config = loadConfig({
      BITRIX_DB_URL: URL_WITH_PASSWORD, B24X_INSTANCE: 'portal-2', XERO_CLIENT_ID: 'cid', XERO_CLIENT_SECRET: 'csecret',
      XERO_AUTH: 'authorization_code', XERO_TENANT_ID: 'tenant-1', XERO_API_URL: 'http://127.0.0.1:4000/api.xro/2.0/',
      XERO_IDENTITY_URL: 'http://127.0.0.1:4000', XERO_CONNECTIONS_URL: 'http://127.0.0.1:4000/connections',
      XERO_MINUTE_LIMIT: '30', XERO_DAILY_BUDGET: '1000', XERO_HTTP_TIMEOUT_MS: '5000', SYNC_SCHEDULE: '*/5 * * * *',
      HTTP_LISTEN: '127.0.0.1:8787', XERO_WEBHOOK_KEY: 'whk', LOG_LEVEL: 'debug', BITRIX_TIMEZONE: 'Asia/Almaty',
    }, { requireXero: true });
    expect(config.instance).toBe('portal-2');
    expect(config.xero).toMatchObject({
      clientId: 'cid', clientSecret: 'csecret', auth: 'authorization_code', tenantId: 'tenant-1',
      apiUrl: 'http://127.0.0.1:4000/api.xro/2.0', minuteLimit: 30, dailyBudget: 1000, httpTimeoutMs: 5000, webhookKey: 'whk',
    });
    expect(config.httpListen).toEqual({ host: '127.0.0.1', port: 8787 });
    expect(config.syncSchedule).toBe('*/5 * * * *');
    expect(config.logLevel).toBe('debug');
    expect(config.bitrixTimezone).toBe('Asia/Almaty');
  });

  it('lists every invalid variable at once', () => {
    const problems = problemsOf(() => loadConfig({
      XERO_DAILY_BUDGET: '900', XERO_MINUTE_LIMIT: 'sixty', XERO_AUTH: 'password', SYNC_SCHEDULE: 'every minute',
      LOG_LEVEL: 'loud', BITRIX_TIMEZONE: 'Mars/Olympus', HTTP_LISTEN: 'localhost:99999', XERO_API_URL: 'ftp://x',
      B24X_INSTANCE: 'bad name',
    }));
    expect(problems).toHaveLength(10);
    expect(problems.join('\n')).toMatch(/BITRIX_DB_URL is required/);
    expect(problems.join('\n')).toMatch(/XERO_DAILY_BUDGET must be a whole number from 1000 to 5000, got '900'/);
    for (const name of ['XERO_MINUTE_LIMIT', 'XERO_AUTH', 'SYNC_SCHEDULE', 'LOG_LEVEL', 'BITRIX_TIMEZONE', 'HTTP_LISTEN', 'XERO_API_URL', 'B24X_INSTANCE']) {
      expect(problems.some((p) => p.startsWith(name))).toBe(true);
    }
  });

  it('asks for Xero credentials only when the command talks to Xero', () => {
    expect(() => loadConfig({ BITRIX_DB_URL: 'mysql://root@h/bx' })).not.toThrow();
    expect(problemsOf(() => loadConfig({ BITRIX_DB_URL: 'mysql://root@h/bx' }, { requireXero: true }))).toEqual([
      'XERO_CLIENT_ID is required to talk to Xero', 'XERO_CLIENT_SECRET is required to talk to Xero',
    ]);
  });

  it('treats empty values as unset', () => {
    const config = loadConfig({ BITRIX_DB_URL: 'mysql://root@h/bx', XERO_TENANT_ID: '', LOG_LEVEL: ' ' });
    expect(config.xero.tenantId).toBeNull();
    expect(config.logLevel).toBe('info');
  });

  it('never echoes the database password in its errors', () => {
    const problems = problemsOf(() => loadConfig({ BITRIX_DB_URL: 'postgres://u:hunter22@h/db' }));
    expect(problems.join('\n')).not.toContain('hunter22');
    const noDb = problemsOf(() => loadConfig({ BITRIX_DB_URL: 'mysql://u:hunter22@h/' }));
    expect(noDb.join('\n')).toMatch(/names no database/);
    expect(noDb.join('\n')).not.toContain('hunter22');
  });
});

describe('redact', () => {
  const config = loadConfig({
    BITRIX_DB_URL: URL_WITH_PASSWORD, XERO_CLIENT_ID: 'cid', XERO_CLIENT_SECRET: 'client-secret-value',
    XERO_WEBHOOK_KEY: 'webhook-key-value',
  });

  it('masks the client secret, webhook key and DB password and keeps the rest readable', () => {
    const printed = JSON.stringify(redact(config));
    for (const secret of ['client-secret-value', 'webhook-key-value', 'Sup3r', 'secret@']) expect(printed).not.toContain(secret);
    expect(redact(config).bitrixDbUrl).toBe('mysql://b24x:***@db.local:3306/sitemanager');
    expect(redact(config).xero.clientId).toBe('cid');
  });

  it('lists the secret values for the logger, decoded', () => {
    expect(secretValues(config).sort()).toEqual(['Sup3r/secret', 'client-secret-value', 'webhook-key-value']);
  });
});

describe('readEnvironment', () => {
  let dir: string;
  beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'b24x-env-')); });
  afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

  it('reads ./.env under the process environment, which wins', async () => {
    await writeFile(join(dir, '.env'), 'BITRIX_DB_URL=mysql://file@h/bx\nLOG_LEVEL=debug\n');
    const env = readEnvironment({ LOG_LEVEL: 'warn' }, dir);
    expect(env.BITRIX_DB_URL).toBe('mysql://file@h/bx');
    expect(env.LOG_LEVEL).toBe('warn');
  });

  it('reads the file named by B24X_ENV_FILE and fails clearly when it is missing', async () => {
    await writeFile(join(dir, 'portal.env'), 'B24X_INSTANCE=portal\n');
    expect(readEnvironment({ B24X_ENV_FILE: 'portal.env' }, dir).B24X_INSTANCE).toBe('portal');
    expect(() => readEnvironment({ B24X_ENV_FILE: 'nope.env' }, dir)).toThrow(/B24X_ENV_FILE names .*nope\.env, which does not exist/);
  });

  it('does without a ./.env when none is named', () => {
    expect(readEnvironment({ A: '1' }, join(dir, 'missing-subdir'))).toEqual({ A: '1' });
  });
});
