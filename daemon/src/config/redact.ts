import type { Config } from './config.ts';

const MASK = '***';

/** The secret strings in a Config, for the logger to mask wherever they turn up (error messages, URLs, payloads). */
export function secretValues(config: Config): string[] {
  const values = [config.xero.clientSecret, config.xero.webhookKey, dbPassword(config.bitrixDbUrl)];
  // Very short values would mask innocent text everywhere ('1', 'a'); they are not worth hiding that way.
  return values.filter((v): v is string => typeof v === 'string' && v.length >= 4);
}

/** A copy of the config that is safe to print or log: secrets masked, the DB URL without its password. */
export function redact(config: Config): Config {
  return {
    ...config,
    bitrixDbUrl: redactUrl(config.bitrixDbUrl),
    xero: {
      ...config.xero,
      clientSecret: config.xero.clientSecret === null ? null : MASK,
      webhookKey: config.xero.webhookKey === null ? null : MASK,
    },
  };
}

/** mysql://user:secret@host/db -> mysql://user:***@host/db; anything unparsable is masked whole. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password === '') return url;
    u.password = MASK;
    return u.toString();
  } catch {
    return MASK;
  }
}

function dbPassword(url: string): string | null {
  try {
    const password = decodeURIComponent(new URL(url).password);
    return password === '' ? null : password;
  } catch {
    return null;
  }
}
