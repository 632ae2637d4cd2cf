/**
 * The one secret redactor of the daemon: log lines (runtime/logger.ts), Xero errors (xero/errors.ts) and anything
 * stored as error details pass through the same instance, so a token the gateway has just been issued is masked in
 * a log line too. It applies three rules, each catching what the others cannot:
 * - registered values (client secret, DB password, webhook key, every access/refresh token seen) wherever they
 *   appear, also percent-encoded (URLs carry passwords that way);
 * - secret-shaped text even when the value was never registered: `Bearer …`/`Basic …` credentials, token fields
 *   in JSON or form bodies, cookie headers — e.g. a token echoed back by a proxy, or an axios error's request dump;
 * - secret-named fields of objects (authorization, password, client_secret, cookie, *token, *secret…), however deep.
 * It works on copies: the caller's objects are never changed.
 */

export const REDACTED = '[REDACTED]';

/**
 * Field names whose values are secrets, compared lower-case without '-' and '_'. A bare `key` is NOT one: the
 * daemon logs option keys, idempotency keys and cache keys that a reader needs ("module option ignored", key=…).
 */
const SECRET_NAME = /(secret|password|passwd|passphrase|pwd|token|authorization|cookie|credential|apikey|privatekey|signingkey|webhookkey|sessionid)/;
/** Names that match the pattern above but are identifiers or flags, not secrets. */
const NOT_SECRET_NAMES = new Set(['tokenexpired', 'tokentype', 'idempotencykey', 'dedupekey', 'tokenendpoint']);

const SHAPES: ReadonlyArray<[RegExp, string]> = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]+=*/gi, `$1 ${REDACTED}`],
  // JSON fields: "access_token":"…", "client_secret": "…" (also inside a JSON string escaped once: \"access_token\":\"…\")
  [/(\\?"(?:access_token|refresh_token|id_token|client_secret|password|authorization|cookie|set-cookie)\\?"\s*:\s*\\?")((?:[^"\\]|\\.)*?)(\\?")/gi, `$1${REDACTED}$3`],
  // form / query fields: refresh_token=…&client_secret=…&code_verifier=…
  [/\b(access_token|refresh_token|id_token|client_secret|password|code_verifier)=([^&\s"']+)/gi, `$1=${REDACTED}`],
  // HTTP header lines as text (a raw request dump): "Cookie: a=1; b=2", "Set-Cookie: sid=…; Path=/"
  [/\b((?:set-)?cookie)\s*:\s*[^\r\n"]+/gi, `$1: ${REDACTED}`],
];

/** Values shorter than this are not registered: replacing e.g. 'abc' everywhere would mangle ordinary text. */
const MIN_SECRET_LENGTH = 4;

export function isSecretName(name: string): boolean {
  const normal = name.toLowerCase().replace(/[-_]/g, '');
  return SECRET_NAME.test(normal) && !NOT_SECRET_NAMES.has(normal);
}

export class SecretRedactor {
  readonly #secrets = new Set<string>();
  #ordered: string[] | null = [];

  constructor(secrets: Iterable<string | null | undefined> = []) {
    for (const s of secrets) this.add(s);
  }

  /** Registers a value that must never appear in output (a token just issued, the client secret…). */
  add(secret: string | null | undefined): void {
    if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH || this.#secrets.has(secret)) return;
    this.#secrets.add(secret);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) this.#secrets.add(encoded);
    this.#ordered = null;
  }

  text(input: string): string {
    // Longest first, so a secret containing another is replaced whole.
    this.#ordered ??= [...this.#secrets].sort((a, b) => b.length - a.length);
    let out = input;
    for (const s of this.#ordered) if (out.includes(s)) out = out.split(s).join(REDACTED);
    for (const [re, replacement] of SHAPES) out = out.replace(re, replacement);
    return out;
  }

  /**
   * A deep copy of `value` safe to log or store: secret-named fields masked, every string scrubbed, Errors turned
   * into plain objects with their (scrubbed) name, message, stack and own fields — mysql2's `sql`, axios' `config`.
   * Cycles are cut.
   */
  value<T>(value: T): T {
    return this.#walk(value, new WeakMap()) as T;
  }

  #walk(value: unknown, seen: WeakMap<object, unknown>): unknown {
    if (typeof value === 'string') return this.text(value);
    if (value === null || typeof value !== 'object') return value;
    if (seen.has(value)) return seen.get(value) ?? '[Circular]';
    if (value instanceof Date) return new Date(value.getTime());
    if (Buffer.isBuffer(value)) return `[Buffer ${value.length} bytes]`;
    if (Array.isArray(value)) {
      const copy: unknown[] = [];
      seen.set(value, copy);
      for (const item of value) copy.push(this.#walk(item, seen));
      return copy;
    }
    const copy: Record<string, unknown> = {};
    seen.set(value, copy);
    // Errors keep message/stack as own but non-enumerable properties; bring them along so they are scrubbed too.
    if (value instanceof Error) {
      copy.name = value.name;
      copy.message = this.text(value.message);
      if (value.stack) copy.stack = this.text(value.stack);
      if (value.cause !== undefined) copy.cause = this.#walk(value.cause, seen);
    }
    const json = (value as { toJSON?: () => unknown }).toJSON;
    const source = typeof json === 'function' && !(value instanceof Error) ? json.call(value) : value;
    if (source !== value) return this.#walk(source, seen);
    for (const [k, v] of Object.entries(value)) copy[k] = this.#field(k, v, seen);
    return copy;
  }

  #field(name: string, value: unknown, seen: WeakMap<object, unknown>): unknown {
    // Booleans and absent values say nothing secret (tokenExpired: true); everything else under a secret name goes.
    if (isSecretName(name) && value !== null && value !== undefined && value !== '' && typeof value !== 'boolean') return REDACTED;
    return this.#walk(value, seen);
  }
}
