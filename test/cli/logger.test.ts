import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../daemon/src/config/config.ts';
import { closeLogger, createLogger, loggerFor, scopedLogger } from '../../daemon/src/runtime/logger.ts';

async function capture(secrets: string[], write: (log: ReturnType<typeof createLogger>) => void): Promise<Array<Record<string, unknown>>> {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
  const logger = createLogger({ level: 'debug', secrets, stream });
  write(logger);
  await closeLogger(logger);
  return chunks.join('').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('logger', () => {
  it('writes one JSON object per line with level, message and timestamp', async () => {
    const lines = await capture([], (log) => { log.info('pass finished', { created: 2 }); log.debug('detail'); });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ level: 'info', message: 'pass finished', created: 2 });
    expect(typeof lines[0]!.timestamp).toBe('string');
  });

  it('scopes child loggers by run, entity and id', async () => {
    const lines = await capture([], (log) => scopedLogger(scopedLogger(log, { run: 12 }), { entity: 'smart_invoice', id: 7 }).warn('skipped'));
    expect(lines[0]).toMatchObject({ run: 12, entity: 'smart_invoice', id: 7, message: 'skipped' });
  });

  it('masks fields whose names say secret, password, token, authorization or key, however deep', async () => {
    const lines = await capture([], (log) => log.info('request', {
      headers: { Authorization: 'Bearer abc.def', 'xero-tenant-id': 't1' },
      body: { client_secret: 's3', refresh_token: 'rt', password: 'pw', webhookKey: 'wk', apiKey: 'k' },
      idempotencyKey: 'b24x-inv-7', list: [{ accessToken: 'at' }],
    }));
    const text = JSON.stringify(lines[0]);
    for (const secret of ['abc.def', '"s3"', '"rt"', '"pw"', '"wk"', '"k"', '"at"']) expect(text).not.toContain(secret);
    expect(lines[0]).toMatchObject({ headers: { Authorization: '[REDACTED]', 'xero-tenant-id': 't1' }, idempotencyKey: 'b24x-inv-7' });
  });

  it('masks configured secret values anywhere, in messages, error stacks and percent-encoded URLs', async () => {
    const secret = 'p@ss/w0rd!';
    const lines = await capture([secret], (log) => {
      log.error(`connect failed for mysql://u:${encodeURIComponent(secret)}@h/db`);
      log.error('boom', { error: new Error(`bad credentials ${secret}`) });
      log.info(`plain ${secret} text`);
    });
    const text = lines.map((l) => JSON.stringify(l)).join('\n');
    expect(text).not.toContain(secret);
    expect(text).not.toContain(encodeURIComponent(secret));
    expect(lines[0]!.message).toBe('connect failed for mysql://u:[REDACTED]@h/db');
    expect(lines[1]!.error).toMatchObject({ message: 'bad credentials [REDACTED]' });
    expect(lines[2]!.message).toBe('plain [REDACTED] text');
  });

  it('does not change the objects it is given', async () => {
    const meta = { password: 'pw', nested: { token: 't' } };
    await capture(['pw'], (log) => log.info('x', meta));
    expect(meta).toEqual({ password: 'pw', nested: { token: 't' } });
  });

  it('builds the daemon logger from the config: its level, its instance, and its secrets masked', async () => {
    const config = loadConfig({
      BITRIX_DB_URL: 'mysql://b24x:db-pass-123@h/bx', XERO_CLIENT_SECRET: 'xero-secret-456', LOG_LEVEL: 'warn', B24X_INSTANCE: 'shop',
    });
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (c: Buffer) => { text += c.toString(); });
    const logger = loggerFor(config, stream);
    logger.info('not at warn level');
    logger.warn('token refresh failed: invalid_client for xero-secret-456 via mysql://b24x:db-pass-123@h/bx');
    await closeLogger(logger);
    const lines = text.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'warn', instance: 'shop', message: 'token refresh failed: invalid_client for [REDACTED] via mysql://b24x:[REDACTED]@h/bx' });
  });
});
