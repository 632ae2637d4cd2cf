import { validate as isValidCron } from 'node-cron';
import { isTimeZone } from '../bitrix/bitrix-time.ts';
import { poolOptionsFromUrl } from '../db/connect.ts';

export const XERO_AUTH_MODES = ['client_credentials', 'authorization_code'] as const;
export type XeroAuthMode = (typeof XERO_AUTH_MODES)[number];

/** winston's npm levels. */
export const LOG_LEVELS = ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface XeroConfig {
  /** NULL when unset; commands that talk to Xero ask for them with `requireXero: true`. */
  clientId: string | null;
  clientSecret: string | null;
  auth: XeroAuthMode;
  /** NULL = use the first connection. */
  tenantId: string | null;
  apiUrl: string;
  identityUrl: string;
  connectionsUrl: string;
  /** Where `b24xero connect` sends the browser (Xero's login and consent page). */
  authorizeUrl: string;
  minuteLimit: number;
  dailyBudget: number;
  httpTimeoutMs: number;
  /** NULL = webhooks off. */
  webhookKey: string | null;
}

export interface HttpListen {
  host: string;
  port: number;
}

export interface Config {
  bitrixDbUrl: string;
  instance: string;
  xero: XeroConfig;
  syncSchedule: string;
  /** NULL = no HTTP listener. */
  httpListen: HttpListen | null;
  /** HTTP_ALLOW_REMOTE=true: let HTTP_LISTEN name a non-loopback address (refused otherwise). */
  httpAllowRemote: boolean;
  logLevel: LogLevel;
  /** IANA zone Bitrix writes its naive DATETIMEs in. */
  bitrixTimezone: string;
}

export interface LoadConfigOptions {
  /** Fail unless XERO_CLIENT_ID and XERO_CLIENT_SECRET are set (sync, run, connect, doctor). */
  requireXero?: boolean;
  /** The zone used when BITRIX_TIMEZONE is unset; defaults to this machine's. */
  systemTimezone?: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

export type Env = Record<string, string | undefined>;

/**
 * Validates the environment into one frozen Config. Every bad variable is reported at once (not just the first),
 * and no message ever echoes a secret's value. Empty strings count as unset, as `KEY=` lines in env files mean.
 */
export function loadConfig(env: Env, options: LoadConfigOptions = {}): Config {
  const problems: string[] = [];
  const get = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };

  const bitrixDbUrl = get('BITRIX_DB_URL');
  if (bitrixDbUrl === undefined) {
    problems.push('BITRIX_DB_URL is required (mysql://user:pass@host:3306/dbname)');
  } else {
    try {
      poolOptionsFromUrl(bitrixDbUrl);
    } catch (error) {
      // The parser's message never includes the URL itself, so the password cannot leak through it.
      problems.push(`BITRIX_DB_URL is not a usable URL: ${error instanceof TypeError ? 'cannot parse it' : (error as Error).message}`);
    }
  }

  // One instance however started (issue 10 item 7): without B24X_INSTANCE the env file names it
  // (/etc/b24xero/shop.env → 'shop'), so the template unit b24xero@shop and a command run by hand with that file
  // take the same lock, and a manual pass beside the daemon refuses with exit 3.
  const instance = get('B24X_INSTANCE') ?? instanceOfEnvFile(get('B24X_ENV_FILE')) ?? 'default';
  if (!/^[A-Za-z0-9_.-]{1,48}$/.test(instance)) {
    problems.push(`B24X_INSTANCE must be 1-48 letters, digits, '.', '_' or '-' (it names the lock, logs and unit), got '${instance}'`);
  }

  const clientId = get('XERO_CLIENT_ID') ?? null;
  const clientSecret = get('XERO_CLIENT_SECRET') ?? null;
  if (options.requireXero) {
    if (clientId === null) problems.push('XERO_CLIENT_ID is required to talk to Xero');
    if (clientSecret === null) problems.push('XERO_CLIENT_SECRET is required to talk to Xero');
  }

  const auth = oneOf(get('XERO_AUTH'), XERO_AUTH_MODES, 'client_credentials', 'XERO_AUTH', problems);
  const apiUrl = httpUrl(get('XERO_API_URL'), 'https://api.xero.com/api.xro/2.0', 'XERO_API_URL', problems);
  const identityUrl = httpUrl(get('XERO_IDENTITY_URL'), 'https://identity.xero.com', 'XERO_IDENTITY_URL', problems);
  const connectionsUrl = httpUrl(get('XERO_CONNECTIONS_URL'), 'https://api.xero.com/connections', 'XERO_CONNECTIONS_URL', problems);
  const authorizeUrl = httpUrl(get('XERO_AUTHORIZE_URL'), 'https://login.xero.com/identity/connect/authorize', 'XERO_AUTHORIZE_URL', problems);
  // Xero allows 60 calls a minute and 5,000 a day per tenant; lower values leave room for other apps.
  const minuteLimit = integer(get('XERO_MINUTE_LIMIT'), 60, 1, 60, 'XERO_MINUTE_LIMIT', problems);
  const dailyBudget = integer(get('XERO_DAILY_BUDGET'), 5000, 1000, 5000, 'XERO_DAILY_BUDGET', problems);
  const httpTimeoutMs = integer(get('XERO_HTTP_TIMEOUT_MS'), 30_000, 1000, 600_000, 'XERO_HTTP_TIMEOUT_MS', problems);

  const syncSchedule = get('SYNC_SCHEDULE') ?? '* * * * *';
  if (!isValidCron(syncSchedule)) problems.push(`SYNC_SCHEDULE is not a cron expression: '${syncSchedule}'`);

  const httpListen = listenAddress(get('HTTP_LISTEN'), problems);
  const httpAllowRemote = oneOf(get('HTTP_ALLOW_REMOTE'), ['true', 'false'] as const, 'false', 'HTTP_ALLOW_REMOTE', problems) === 'true';
  const logLevel = oneOf(get('LOG_LEVEL'), LOG_LEVELS, 'info', 'LOG_LEVEL', problems);

  const bitrixTimezone = get('BITRIX_TIMEZONE') ?? options.systemTimezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!isTimeZone(bitrixTimezone)) problems.push(`BITRIX_TIMEZONE is not an IANA time zone: '${bitrixTimezone}'`);

  if (problems.length > 0) throw new ConfigError(problems);

  return Object.freeze({
    bitrixDbUrl: bitrixDbUrl!,
    instance,
    xero: Object.freeze({
      clientId, clientSecret, auth, tenantId: get('XERO_TENANT_ID') ?? null,
      apiUrl, identityUrl, connectionsUrl, authorizeUrl, minuteLimit, dailyBudget, httpTimeoutMs,
      webhookKey: get('XERO_WEBHOOK_KEY') ?? null,
    }),
    syncSchedule,
    httpListen: httpListen ? Object.freeze(httpListen) : null,
    httpAllowRemote,
    logLevel,
    bitrixTimezone,
  });
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], fallback: T, name: string, problems: string[]): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  problems.push(`${name} must be one of ${allowed.join(', ')}, got '${value}'`);
  return fallback;
}

function integer(value: string | undefined, fallback: number, min: number, max: number, name: string, problems: string[]): number {
  if (value === undefined) return fallback;
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    problems.push(`${name} must be a whole number from ${min} to ${max}, got '${value}'`);
    return fallback;
  }
  return n;
}

function httpUrl(value: string | undefined, fallback: string, name: string, problems: string[]): string {
  if (value === undefined) return fallback;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push(`${name} is not a URL: '${value}'`);
    return fallback;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    problems.push(`${name} must be an http(s) URL, got '${value}'`);
    return fallback;
  }
  // Joined with paths later ('/connect/token'), so a trailing slash would double up.
  return value.replace(/\/+$/, '');
}

/** '8080', ':8080' and '127.0.0.1:8080' all mean loopback; '[::1]:8080' is accepted too. */
function listenAddress(value: string | undefined, problems: string[]): HttpListen | null {
  if (value === undefined || value === 'off') return null;
  const match = /^(?:(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+)?:)?(\d{1,5})$/.exec(value);
  const port = match ? Number(match[2]) : NaN;
  if (!match || port < 1 || port > 65535) {
    problems.push(`HTTP_LISTEN must be 'host:port' or a port (e.g. 127.0.0.1:8787), got '${value}'`);
    return null;
  }
  const host = (match[1] ?? '127.0.0.1').replace(/^\[|\]$/g, '');
  return { host, port };
}

/** 'shop' for '/etc/b24xero/shop.env' (a usable instance name only); null otherwise. */
export function instanceOfEnvFile(path: string | undefined): string | null {
  if (!path) return null;
  const base = path.replace(/\\/g, '/').split('/').pop() ?? '';
  const name = base.replace(/\.env$/, '');
  return name !== base && /^[A-Za-z0-9_.-]{1,48}$/.test(name) ? name : null;
}
