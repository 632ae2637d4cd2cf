import { PassThrough } from 'node:stream';
import { createConnection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XeroClient } from 'xero-node';
import { loadConfig } from '../../daemon/src/config/config.ts';
import { closeLogger, loggerFor, type Logger } from '../../daemon/src/runtime/logger.ts';
import { isSecretName, REDACTED, SecretRedactor } from '../../daemon/src/util/redact.ts';
import { TEST_SERVER_URL } from '../helpers/test-db.ts';
import { startSimulator, type RunningSimulator } from '../sim/index.ts';

const DB_PASSWORD = 'db-Pa55#word';
const CLIENT_SECRET = 'xero-client-secret-0123456789';
const WEBHOOK_KEY = 'webhook-key-abcdef123456';

/** The daemon's logger built from a config the way compose() builds it, writing into an array. */
function daemonLogger(redactor = new SecretRedactor()): { log: Logger; text: () => Promise<string> } {
  const config = loadConfig({
    BITRIX_DB_URL: `mysql://b24x:${encodeURIComponent(DB_PASSWORD)}@127.0.0.1:1/bx`,
    XERO_CLIENT_ID: 'id', XERO_CLIENT_SECRET: CLIENT_SECRET, XERO_WEBHOOK_KEY: WEBHOOK_KEY, LOG_LEVEL: 'debug',
  });
  const stream = new PassThrough();
  let out = '';
  stream.on('data', (c: Buffer) => { out += c.toString(); });
  const log = loggerFor(config, stream, redactor);
  return { log, text: async () => { await closeLogger(log); return out; } };
}

describe('the one redactor', () => {
  it('keeps identifiers a reader needs: option keys, idempotency keys, flags', () => {
    const r = new SecretRedactor();
    expect(r.value({ key: 'tax_map', idempotencyKey: 'b24x-inv-7', tokenExpired: true, token_type: 'Bearer' }))
      .toEqual({ key: 'tax_map', idempotencyKey: 'b24x-inv-7', tokenExpired: true, token_type: 'Bearer' });
    for (const name of ['password', 'client_secret', 'Authorization', 'refresh_token', 'Cookie', 'set-cookie', 'apiKey', 'webhookKey', 'tokenSet']) {
      expect(isSecretName(name), name).toBe(true);
    }
  });

  it('masks Bearer and Basic credentials, token fields and cookies inside message text', () => {
    const r = new SecretRedactor();
    const text = r.text('GET /x Authorization: Bearer eyJhbGciOi.abc.def\nCookie: sid=s3cr3t; other=1\n' +
      '{"refresh_token":"rt-123"} client_secret=cs-9&code_verifier=v-1 Basic dXNlcjpwYXNz');
    for (const leak of ['eyJhbGciOi', 's3cr3t', 'rt-123', 'cs-9', 'v-1', 'dXNlcjpwYXNz']) expect(text).not.toContain(leak);
    expect(text).toContain(`Bearer ${REDACTED}`);
  });

  it('masks registered values wherever they appear, percent-encoded too, and never changes its input', () => {
    const r = new SecretRedactor([DB_PASSWORD]);
    const input = { url: `mysql://u:${encodeURIComponent(DB_PASSWORD)}@h/db`, nested: [{ note: `pw ${DB_PASSWORD}` }] };
    const out = r.value(input);
    expect(JSON.stringify(out)).not.toContain('Pa55');
    expect(input.nested[0]!.note).toContain(DB_PASSWORD);
  });
});

describe('log lines never carry a token, secret, password or cookie', () => {
  let sim: RunningSimulator;
  beforeAll(async () => { sim = await startSimulator({ port: 0, seed: 3 }); });
  afterAll(async () => { await sim?.close(); });

  it('masks the configured secrets and "module option ignored" keeps the option name', async () => {
    const { log, text } = daemonLogger();
    log.warn('module option ignored', { key: 'tax_map', message: 'is not valid JSON' });
    log.error(`token refresh failed for ${CLIENT_SECRET}`, { webhook: WEBHOOK_KEY, dsn: `mysql://b24x:${DB_PASSWORD}@h/bx` });
    const out = await text();
    for (const leak of [CLIENT_SECRET, WEBHOOK_KEY, DB_PASSWORD, encodeURIComponent(DB_PASSWORD)]) expect(out).not.toContain(leak);
    expect(JSON.parse(out.split('\n')[0]!)).toMatchObject({ message: expect.stringContaining('module option ignored'), key: 'tax_map' });
  });

  it('masks what a raw xero-node error carries: the bearer token of the request and the tokens a redactor learned', async () => {
    const token = await sim.fetchToken();
    const xero = new XeroClient({ clientId: sim.clientId, clientSecret: sim.clientSecret, grantType: 'client_credentials' });
    xero.accountingApi.basePath = `${sim.url}/api.xro/2.0`;
    xero.setTokenSet(token);
    sim.addFault({ kind: '500', path: '/api.xro/2.0/Organisation', times: 1 });
    let raw: unknown;
    try { await xero.accountingApi.getOrganisations(''); } catch (error) { raw = error; }
    expect(raw).toBeDefined();
    const redactor = new SecretRedactor([token.access_token]);
    const { log, text } = daemonLogger(redactor);
    log.error('xero call failed', { error: raw, again: typeof raw === 'string' ? JSON.parse(raw) : raw, cookie: 'sid=abc123' });
    log.error(`raw: ${typeof raw === 'string' ? raw : JSON.stringify(raw)}`);
    const out = await text();
    expect(out).not.toContain(token.access_token);
    expect(out).not.toContain('abc123');
  });

  it('masks what a mysql2 error carries: the password of a refused login and secrets inside the failed SQL', async () => {
    const u = new URL(TEST_SERVER_URL);
    const errors: unknown[] = [];
    await createConnection({ host: u.hostname, port: Number(u.port || 3306), user: 'b24x_nobody', password: DB_PASSWORD })
      .catch((e: unknown) => errors.push(e));
    const conn = await createConnection({ host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username) || 'root', password: decodeURIComponent(u.password) });
    try {
      await conn.query(`SELECT * FROM no_such_db_x.t WHERE secret = '${CLIENT_SECRET}'`).catch((e: unknown) => errors.push(e));
    } finally {
      await conn.end();
    }
    expect(errors).toHaveLength(2);
    const { log, text } = daemonLogger();
    for (const error of errors) log.error('database failed', { error });
    log.error(errors[1] as Error);
    const out = await text();
    expect(out).toContain('no_such_db_x');
    for (const leak of [CLIENT_SECRET, DB_PASSWORD]) expect(out).not.toContain(leak);
  });
});
