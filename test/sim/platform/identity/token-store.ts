import { randomBytes, randomUUID } from 'node:crypto';
import type { ScaledClock } from '../sim-clock.ts';

export type GrantKind = 'client_credentials' | 'authorization_code';

export interface Connection {
  id: string;
  tenantId: string;
  createdDateUtc: string;
}

/** One authorisation (Xero's "auth event"): a Custom Connection token request or a user's consent. */
export interface Grant {
  authEventId: string;
  kind: GrantKind;
  clientId: string;
  scope: string;
  /** Auth-code grants: the organisations the user consented to. Client-credentials grants follow the client's config. */
  connections?: Connection[];
}

export interface AccessTokenRecord {
  grant: Grant;
  expiresAtMs: number;
}

interface RefreshTokenRecord {
  grant: Grant;
  expiresAtMs: number;
  /** When it was exchanged for a newer one; it stays usable for the grace period after that. */
  rotatedAtMs?: number;
  revoked?: boolean;
}

interface AuthCodeRecord {
  clientId: string;
  redirectUri: string;
  scope: string;
  nonce?: string;
  tenantIds: string[];
  /** PKCE (RFC 7636): the challenge the authorize request carried; the exchange must bring its verifier. */
  codeChallenge?: string;
  codeChallengeMethod?: 'S256' | 'plain';
  expiresAtMs: number;
}

export interface TokenLifetimes {
  accessTokenMs: number;
  refreshTokenMs: number;
  refreshGraceMs: number;
  authCodeMs: number;
}

export type AccessCheck =
  | { ok: true; record: AccessTokenRecord }
  | { ok: false; reason: 'missing' | 'unknown' | 'revoked' }
  | { ok: false; reason: 'expired'; expiredAt: Date };

export type RefreshResult = { ok: true; grant: Grant } | { ok: false };

/**
 * All identity state: access tokens, rotating refresh tokens, one-use authorisation codes. Times are simulated time,
 * so a test with a time scale (or a clock advance) sees tokens expire without waiting 30 real minutes.
 */
export class TokenStore {
  readonly #clock: ScaledClock;
  readonly #lifetimes: TokenLifetimes;
  readonly #access = new Map<string, AccessTokenRecord & { revoked?: boolean }>();
  readonly #refresh = new Map<string, RefreshTokenRecord>();
  readonly #codes = new Map<string, AuthCodeRecord>();

  constructor(clock: ScaledClock, lifetimes: TokenLifetimes) {
    this.#clock = clock;
    this.#lifetimes = lifetimes;
  }

  get lifetimes(): TokenLifetimes {
    return this.#lifetimes;
  }

  newGrant(kind: GrantKind, clientId: string, scope: string, tenantIds?: string[]): Grant {
    const grant: Grant = { authEventId: randomUUID(), kind, clientId, scope };
    if (tenantIds) {
      const created = this.#clock.now().toISOString();
      grant.connections = tenantIds.map((tenantId) => ({ id: randomUUID(), tenantId, createdDateUtc: created }));
    }
    return grant;
  }

  /** Registers an access token (minted by the caller, a JWT) for a grant; returns its expiry. */
  registerAccessToken(token: string, grant: Grant, expiresAtMs: number): void {
    this.#access.set(token, { grant, expiresAtMs });
  }

  issueRefreshToken(grant: Grant): string {
    const token = randomBytes(32).toString('hex');
    this.#refresh.set(token, { grant, expiresAtMs: this.#clock.nowMs() + this.#lifetimes.refreshTokenMs });
    return token;
  }

  checkAccessToken(token: string | undefined): AccessCheck {
    if (!token) return { ok: false, reason: 'missing' };
    const record = this.#access.get(token);
    if (!record) return { ok: false, reason: 'unknown' };
    if (record.revoked) return { ok: false, reason: 'revoked' };
    if (this.#clock.nowMs() >= record.expiresAtMs) return { ok: false, reason: 'expired', expiredAt: new Date(record.expiresAtMs) };
    return { ok: true, record };
  }

  /**
   * Exchanges a refresh token. Rotation: the old token is marked rotated and stays usable for the grace period
   * (Xero's answer to two workers refreshing at once), after which it is invalid_grant.
   */
  useRefreshToken(token: string, clientId: string): RefreshResult {
    const record = this.#refresh.get(token);
    const now = this.#clock.nowMs();
    if (!record || record.revoked || record.grant.clientId !== clientId || now >= record.expiresAtMs) return { ok: false };
    if (record.rotatedAtMs !== undefined && now - record.rotatedAtMs >= this.#lifetimes.refreshGraceMs) return { ok: false };
    record.rotatedAtMs ??= now;
    return { ok: true, grant: record.grant };
  }

  issueAuthCode(record: Omit<AuthCodeRecord, 'expiresAtMs'>): string {
    const code = randomBytes(24).toString('hex');
    this.#codes.set(code, { ...record, expiresAtMs: this.#clock.nowMs() + this.#lifetimes.authCodeMs });
    return code;
  }

  /** A code works once, for the client and redirect URI it was issued to. */
  redeemAuthCode(code: string, clientId: string, redirectUri: string | undefined): AuthCodeRecord | undefined {
    const record = this.#codes.get(code);
    this.#codes.delete(code);
    if (!record || record.clientId !== clientId || this.#clock.nowMs() >= record.expiresAtMs) return undefined;
    if (redirectUri !== undefined && redirectUri !== record.redirectUri) return undefined;
    return record;
  }

  /** Revokes a refresh token (and the grant's access tokens with it, as Xero's revocation ends the connection). */
  revoke(token: string): void {
    const refresh = this.#refresh.get(token);
    if (refresh) {
      refresh.revoked = true;
      for (const access of this.#access.values()) if (access.grant === refresh.grant) access.revoked = true;
      return;
    }
    const access = this.#access.get(token);
    if (access) access.revoked = true;
  }
}
