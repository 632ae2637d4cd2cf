import { describe, expect, it } from 'vitest';
import { DEFAULT_DEMO_DB_URL, DemoArgsError, demoDatabaseName, parseDemoArgs } from '../../daemon/src/demo/demo-args.ts';
import { demoEnvironment } from '../../daemon/src/demo/demo-xero.ts';
import { loadConfig } from '../../daemon/src/config/config.ts';

describe('demo arguments', () => {
  it('defaults to the local b24xero_demo database, an ephemeral simulator port and no --keep', () => {
    expect(parseDemoArgs([])).toEqual({ dbUrl: DEFAULT_DEMO_DB_URL, database: 'b24xero_demo', keep: false, port: 0 });
  });

  it('takes --db, --keep and --port', () => {
    expect(parseDemoArgs(['--db', 'mysql://u:p@db.local:3307/b24xero_demo_2', '--keep', '--port', '8787']))
      .toEqual({ dbUrl: 'mysql://u:p@db.local:3307/b24xero_demo_2', database: 'b24xero_demo_2', keep: true, port: 8787 });
  });

  it.each(['bitrix', 'b24xero', 'sitemanager', 'b24xero_dem', 'xb24xero_demo'])('refuses to re-create database %s, which is not a demo one', (name) => {
    expect(() => parseDemoArgs(['--db', `mysql://root@127.0.0.1:3306/${name}`])).toThrow(new RegExp(`refusing to use database '${name}'.*must start with 'b24xero_demo'`));
  });

  it('refuses names that would need quoting in DROP DATABASE, and ones too long to name the instance', () => {
    expect(() => demoDatabaseName('mysql://root@h/b24xero_demo`; DROP DATABASE bitrix; --')).toThrow(DemoArgsError);
    expect(() => demoDatabaseName('mysql://root@h/b24xero_demo-2')).toThrow(DemoArgsError);
    expect(() => demoDatabaseName(`mysql://root@h/b24xero_demo_${'x'.repeat(36)}`)).toThrow(DemoArgsError);
    expect(demoDatabaseName(`mysql://root@h/b24xero_demo_${'x'.repeat(35)}`)).toHaveLength(48);
  });

  it('explains a URL it cannot use without echoing it (it may hold a password)', () => {
    const attempt = () => parseDemoArgs(['--db', 'postgres://root:hunter22@h/b24xero_demo']);
    expect(attempt).toThrow(/--db is not a usable database URL: .*mysql:\/\//);
    expect(attempt).not.toThrow(/hunter22/);
    expect(() => parseDemoArgs(['--db', 'mysql://root@h/'])).toThrow(/names no database/);
  });

  it.each(['-1', '65536', 'http', '80.5'])('refuses --port %s', (port) => {
    expect(() => parseDemoArgs([`--port=${port}`])).toThrow(/--port must be a TCP port number/);
  });

  it('refuses unknown options and positional arguments', () => {
    expect(() => parseDemoArgs(['--dry-run'])).toThrow(DemoArgsError);
    expect(() => parseDemoArgs(['now'])).toThrow(DemoArgsError);
  });
});

describe('demo daemon configuration', () => {
  const sim = { clientId: 'sim-client', clientSecret: 'sim-secret' };

  it('is a Custom Connection against the simulator, set through the same variables a real env file uses', () => {
    const config = loadConfig(demoEnvironment('http://127.0.0.1:4000', sim, 'mysql://root@127.0.0.1:3306/b24xero_demo', {}), { requireXero: true });
    expect(config.xero).toMatchObject({
      auth: 'client_credentials', clientId: 'sim-client', clientSecret: 'sim-secret',
      apiUrl: 'http://127.0.0.1:4000/api.xro/2.0', identityUrl: 'http://127.0.0.1:4000', connectionsUrl: 'http://127.0.0.1:4000/connections',
    });
    expect(config.instance).toBe('b24xero_demo');
    expect(config.logLevel).toBe('error');
  });

  it('never picks up a real Xero configuration from the caller environment', () => {
    const env = { XERO_CLIENT_ID: 'real', XERO_CLIENT_SECRET: 'real-secret', XERO_API_URL: 'https://api.xero.com/api.xro/2.0', XERO_TENANT_ID: 't', LOG_LEVEL: 'debug', BITRIX_TIMEZONE: 'Pacific/Auckland' };
    const config = loadConfig(demoEnvironment('http://127.0.0.1:4000', sim, 'mysql://root@127.0.0.1:3306/b24xero_demo', env), { requireXero: true });
    expect(config.xero.clientId).toBe('sim-client');
    expect(config.xero.apiUrl).toBe('http://127.0.0.1:4000/api.xro/2.0');
    expect(config.xero.tenantId).toBeNull();
    expect(config.logLevel).toBe('debug');
    expect(config.bitrixTimezone).toBe('Pacific/Auckland');
  });
});
