import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { serverLockName } from '../db/lock-name.ts';
import { sql, type Kysely } from 'kysely';
import { toDbUtc } from './state-db.ts';
import type { TokenTable } from './tables.ts';
import type { RefreshTokenStore, StoredToken, StoredTokenSet } from '../xero/token-store-port.ts';

export type { StoredToken, StoredTokenSet } from '../xero/token-store-port.ts';

interface TokenDb {
  b_b24xero_token: TokenTable;
}

const FORMAT = 'v1';

export class TokenStoreError extends Error {
  override readonly name = 'TokenStoreError';
}

/**
 * b_b24xero_token: one encrypted token set per daemon instance.
 *
 * TOKEN_SET is AES-256-GCM ciphertext under a key derived (HKDF-SHA256) from XERO_CLIENT_SECRET, with the instance
 * name as additional authenticated data — a database dump alone yields no usable token, and a row copied to another
 * instance does not decrypt. Rotation is guarded twice: refreshers serialise on GET_LOCK (see withRefreshLock), and
 * every save is a conditional UPDATE on VERSION, so a writer that lost track can never overwrite a newer token.
 */
export class TokenStore implements RefreshTokenStore {
  readonly #db: Kysely<TokenDb>;
  readonly #instance: string;
  readonly #key: Buffer;

  /** `db`: any Kysely over the Bitrix database (`Kysely<any>` so the daemon's wider table type fits). */
  constructor(db: Kysely<any>, options: { instance: string; clientSecret: string }) {
    if (!options.clientSecret) throw new TokenStoreError('TokenStore needs the client secret to derive its encryption key');
    this.#db = db as Kysely<TokenDb>;
    this.#instance = options.instance;
    this.#key = Buffer.from(hkdfSync('sha256', options.clientSecret, 'b24xero.sync token store', 'b_b24xero_token v1', 32));
  }

  get instance(): string {
    return this.#instance;
  }

  encrypt(tokenSet: StoredTokenSet): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(this.#instance, 'utf8'));
    const data = Buffer.concat([cipher.update(JSON.stringify(tokenSet), 'utf8'), cipher.final()]);
    return [FORMAT, iv.toString('base64'), cipher.getAuthTag().toString('base64'), data.toString('base64')].join(':');
  }

  decrypt(stored: string): StoredTokenSet {
    const [format, iv, tag, data] = stored.split(':');
    if (format !== FORMAT || !iv || !tag || !data) {
      throw new TokenStoreError(`b_b24xero_token row of instance '${this.#instance}' is not in a format this daemon knows`);
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(iv, 'base64'));
      decipher.setAAD(Buffer.from(this.#instance, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      const json = Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8');
      return JSON.parse(json) as StoredTokenSet;
    } catch {
      throw new TokenStoreError(
        `the stored Xero token of instance '${this.#instance}' cannot be decrypted with the configured XERO_CLIENT_SECRET ` +
        '(was the secret changed?); run `b24xero connect` again',
      );
    }
  }

  async read(): Promise<StoredToken | null> {
    const row = await this.#db.selectFrom('b_b24xero_token').selectAll().where('INSTANCE', '=', this.#instance).executeTakeFirst();
    if (!row) return null;
    return { tokenSet: this.decrypt(row.TOKEN_SET), tenantId: row.TENANT_ID, version: Number(row.VERSION) };
  }

  /**
   * Saves `tokenSet` in place of version `expectedVersion` (null: only if no row exists yet). Returns the new
   * version, or null when the row moved on meanwhile (someone else saved) — the caller must re-read, never overwrite.
   */
  async save(tokenSet: StoredTokenSet, expectedVersion: number | null, tenantId = ''): Promise<number | null> {
    const now = toDbUtc(new Date());
    const expires = toDbUtc(new Date(tokenSet.expires_at * 1000));
    const encrypted = this.encrypt(tokenSet);
    if (expectedVersion === null) {
      const r = await sql`INSERT IGNORE INTO b_b24xero_token (INSTANCE, TENANT_ID, TOKEN_SET, EXPIRES_AT, VERSION, UPDATED_AT)
                          VALUES (${this.#instance}, ${tenantId}, ${encrypted}, ${expires}, 1, ${now})`.execute(this.#db);
      return Number(r.numAffectedRows ?? 0n) > 0 ? 1 : null;
    }
    const r = await this.#db.updateTable('b_b24xero_token')
      .set({ TOKEN_SET: encrypted, EXPIRES_AT: expires, TENANT_ID: tenantId, VERSION: expectedVersion + 1, UPDATED_AT: now })
      .where('INSTANCE', '=', this.#instance).where('VERSION', '=', expectedVersion)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0 ? expectedVersion + 1 : null;
  }

  /**
   * Stores a token set obtained outside the refresh loop (`b24xero connect` after the consent flow), replacing
   * whatever was there. Returns the new version.
   */
  async replace(tokenSet: StoredTokenSet, tenantId = ''): Promise<number> {
    const now = toDbUtc(new Date());
    const encrypted = this.encrypt(tokenSet);
    const expires = toDbUtc(new Date(tokenSet.expires_at * 1000));
    // Values repeated rather than VALUES(col), which MySQL 8.0.20+ deprecates (and its alias syntax is MySQL-only).
    await sql`INSERT INTO b_b24xero_token (INSTANCE, TENANT_ID, TOKEN_SET, EXPIRES_AT, VERSION, UPDATED_AT)
              VALUES (${this.#instance}, ${tenantId}, ${encrypted}, ${expires}, 1, ${now})
              ON DUPLICATE KEY UPDATE TENANT_ID = ${tenantId}, TOKEN_SET = ${encrypted},
                EXPIRES_AT = ${expires}, VERSION = VERSION + 1, UPDATED_AT = ${now}`.execute(this.#db);
    const row = await this.#db.selectFrom('b_b24xero_token').select('VERSION').where('INSTANCE', '=', this.#instance).executeTakeFirstOrThrow();
    return Number(row.VERSION);
  }

  /**
   * The GET_LOCK name (a long instance name is hashed). Server-wide, so two portals sharing a server and an instance
   * name serialise their refreshes — harmless, as each re-reads its own row under the lock.
   */
  lockName(): string {
    return serverLockName('b24xero:token:', this.#instance);
  }

  /**
   * Runs `fn` while holding GET_LOCK('b24xero:token:<instance>') on a dedicated connection, so exactly one process
   * refreshes at a time; the others wait, then find the fresh token already stored. The lock dies with the
   * connection, so a crashed holder never leaves it stuck.
   */
  async withRefreshLock<T>(fn: () => Promise<T>, timeoutSeconds = 30): Promise<T> {
    return this.#db.connection().execute(async (conn) => {
      const got = await sql<{ l: number | null }>`SELECT GET_LOCK(${this.lockName()}, ${timeoutSeconds}) AS l`.execute(conn);
      if (Number(got.rows[0]?.l) !== 1) {
        throw new TokenStoreError(`timed out after ${timeoutSeconds} s waiting for another process to refresh the Xero token`);
      }
      try {
        return await fn();
      } finally {
        await sql`SELECT RELEASE_LOCK(${this.lockName()})`.execute(conn);
      }
    });
  }
}
