/**
 * Secret redaction. Everything that can leave the gateway (error messages, error JSON, log metadata) passes through
 * a SecretRedactor: known secret values (client secret, access and refresh tokens seen by this gateway) are replaced
 * wherever they appear, and well-known secret shapes (Bearer/Basic credentials, token fields in JSON or forms) are
 * replaced even when the value was never registered — e.g. a token echoed back by a proxy we did not see issued.
 */

export const REDACTED = '[REDACTED]';

/** Keys whose values are secrets whatever they hold (compared lower-case, without '-' and '_'). */
const SECRET_KEYS = new Set([
  'authorization', 'proxyauthorization', 'accesstoken', 'refreshtoken', 'idtoken', 'clientsecret', 'password',
  'tokenset', 'secret', 'cookie', 'setcookie', 'xerowebhookkey', 'webhookkey',
]);

const SHAPES: ReadonlyArray<[RegExp, string]> = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]+=*/gi, `$1 ${REDACTED}`],
  // JSON fields: "access_token":"…", "client_secret": "…" (also inside a JSON string escaped once: \"access_token\":\"…\")
  [/(\\?"(?:access_token|refresh_token|id_token|client_secret|password|authorization)\\?"\s*:\s*\\?")((?:[^"\\]|\\.)*?)(\\?")/gi, `$1${REDACTED}$3`],
  // form / query fields: refresh_token=…&client_secret=…
  [/\b(access_token|refresh_token|id_token|client_secret|password)=([^&\s"']+)/gi, `$1=${REDACTED}`],
];

function normaliseKey(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, '');
}

export function isSecretKey(key: string): boolean {
  return SECRET_KEYS.has(normaliseKey(key));
}

/** Values shorter than this are not registered: replacing e.g. 'abc' everywhere would mangle ordinary text. */
const MIN_SECRET_LENGTH = 6;

export class SecretRedactor {
  readonly #secrets = new Set<string>();

  constructor(secrets: Iterable<string | null | undefined> = []) {
    for (const s of secrets) this.add(s);
  }

  /** Registers a value that must never appear in output (a token just issued, the client secret…). */
  add(secret: string | null | undefined): void {
    if (typeof secret === 'string' && secret.length >= MIN_SECRET_LENGTH) this.#secrets.add(secret);
  }

  text(input: string): string {
    let out = input;
    // Longest first, so a secret containing another is replaced whole.
    for (const s of [...this.#secrets].sort((a, b) => b.length - a.length)) out = out.split(s).join(REDACTED);
    for (const [re, replacement] of SHAPES) out = out.replace(re, replacement);
    return out;
  }

  /** A deep copy of `value` safe to log or store: secret keys blanked, every string scrubbed. Cycles are cut. */
  value<T>(value: T): T {
    return this.#walk(value, new WeakSet()) as T;
  }

  #walk(value: unknown, seen: WeakSet<object>): unknown {
    if (typeof value === 'string') return this.text(value);
    if (value === null || typeof value !== 'object') return value;
    if (seen.has(value)) return '[Circular]';
    seen.add(value);
    if (Array.isArray(value)) return value.map((v) => this.#walk(v, seen));
    if (value instanceof Date) return new Date(value.getTime());
    if (Buffer.isBuffer(value)) return `[Buffer ${value.length} bytes]`;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = isSecretKey(k) && v != null && v !== '' ? REDACTED : this.#walk(v, seen);
    return out;
  }
}
