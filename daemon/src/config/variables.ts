/**
 * Every environment variable the daemon reads (issue 10 item 6): the source of the "did you mean" warning for a
 * typo'd BITRIX_* / B24X_* / XERO_* name and of `b24xero config`. Keep in step with config.ts and
 * systemd/b24xero.env.example (a test compares them).
 */
export interface KnownVariable {
  name: string;
  /** Printed masked by `b24xero config`, never logged. */
  secret?: 'whole' | 'url-password';
  /** What applies when it is unset ('' when there is no default or it depends on the machine). */
  fallback: string;
}

export const KNOWN_VARIABLES: readonly KnownVariable[] = [
  { name: 'BITRIX_DB_URL', secret: 'url-password', fallback: '' },
  { name: 'BITRIX_TIMEZONE', fallback: "this machine's zone" },
  { name: 'B24X_INSTANCE', fallback: 'default' },
  { name: 'B24X_ENV_FILE', fallback: './.env' },
  { name: 'XERO_CLIENT_ID', fallback: '' },
  { name: 'XERO_CLIENT_SECRET', secret: 'whole', fallback: '' },
  { name: 'XERO_AUTH', fallback: 'client_credentials' },
  { name: 'XERO_TENANT_ID', fallback: 'the first connection of the app' },
  { name: 'XERO_API_URL', fallback: 'https://api.xero.com/api.xro/2.0' },
  { name: 'XERO_IDENTITY_URL', fallback: 'https://identity.xero.com' },
  { name: 'XERO_CONNECTIONS_URL', fallback: 'https://api.xero.com/connections' },
  { name: 'XERO_AUTHORIZE_URL', fallback: 'https://login.xero.com/identity/connect/authorize' },
  { name: 'XERO_MINUTE_LIMIT', fallback: '60' },
  { name: 'XERO_DAILY_BUDGET', fallback: '5000' },
  { name: 'XERO_HTTP_TIMEOUT_MS', fallback: '30000' },
  { name: 'XERO_WEBHOOK_KEY', secret: 'whole', fallback: 'off' },
  { name: 'SYNC_SCHEDULE', fallback: '* * * * *' },
  { name: 'HTTP_LISTEN', fallback: 'off' },
  { name: 'HTTP_ALLOW_REMOTE', fallback: 'false' },
  { name: 'LOG_LEVEL', fallback: 'info' },
];

const OURS = /^(BITRIX|B24X|XERO)_[A-Z0-9_]*$/;
const KNOWN = new Set(KNOWN_VARIABLES.map((v) => v.name));

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const keep = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = keep;
    }
  }
  return row[b.length]!;
}

export interface UnknownVariable {
  name: string;
  /** The known name it is most likely a typo of, or null. */
  didYouMean: string | null;
}

/** BITRIX_* / B24X_* / XERO_* names the daemon does not read: each a warning with the closest known name. */
export function unknownVariables(names: Iterable<string>): UnknownVariable[] {
  const out: UnknownVariable[] = [];
  for (const name of names) {
    if (!OURS.test(name) || KNOWN.has(name)) continue;
    let best: string | null = null;
    let bestDistance = Infinity;
    for (const known of KNOWN) {
      const d = distance(name, known);
      if (d < bestDistance) [best, bestDistance] = [known, d];
    }
    out.push({ name, didYouMean: bestDistance <= Math.max(3, Math.floor(name.length / 4)) ? best : null });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

export function describeUnknown(u: UnknownVariable): string {
  return `${u.name} is not a variable b24xero reads${u.didYouMean ? ` — did you mean ${u.didYouMean}?` : ''}`;
}

/** How `b24xero config` shows a value: secrets masked (a URL keeps everything but its password). */
export function maskValue(variable: KnownVariable | undefined, value: string): string {
  if (!variable?.secret) return value;
  if (variable.secret === 'whole') return value === '' ? '' : '**** (set)';
  try {
    const u = new URL(value);
    if (u.password !== '') u.password = '****';
    return u.toString();
  } catch {
    return '**** (not a URL)';
  }
}
