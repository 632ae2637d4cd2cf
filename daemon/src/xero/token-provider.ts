import type { Clock } from './clock.ts';
import { XeroApiError } from './errors.ts';
import type { IdentityClient, TokenResponse } from './identity-client.ts';
import type { RefreshTokenStore, StoredTokenSet } from './token-store-port.ts';

/** An access token, when it stops working and when to replace it, on the gateway's clock. */
export interface AccessToken {
  accessToken: string;
  expiresAtMs: number;
  refreshAtMs: number;
}

/**
 * Where the gateway gets its bearer token. `current()` returns a token good for at least the refresh margin;
 * `renew(rejected)` is called after Xero answered 401 TokenExpired to `rejected`, and refreshes unless another
 * caller already replaced that token (so a burst of 401s costs one refresh).
 */
export interface AccessTokenProvider {
  current(): Promise<AccessToken>;
  renew(rejected: string): Promise<AccessToken>;
}

/** Refresh this long before expiry, so a token never dies between check and use. */
export const REFRESH_MARGIN_MS = 60_000;

/**
 * The margin is a minute, or half the token's life when that is shorter (a simulator at a time scale issues
 * 30-second tokens; a fixed minute would replace them on every call).
 */
export function accessToken(token: string, expiresAtMs: number, lifetimeMs: number | null): AccessToken {
  const margin = lifetimeMs === null ? REFRESH_MARGIN_MS : Math.min(REFRESH_MARGIN_MS, lifetimeMs / 2);
  return { accessToken: token, expiresAtMs, refreshAtMs: expiresAtMs - margin };
}

function fresh(token: AccessToken | null, nowMs: number): token is AccessToken {
  return token !== null && nowMs < token.refreshAtMs;
}

/** Runs `fn` once for all concurrent callers. */
class SingleFlight<T> {
  #inflight: Promise<T> | null = null;
  run(fn: () => Promise<T>): Promise<T> {
    this.#inflight ??= fn().finally(() => { this.#inflight = null; });
    return this.#inflight;
  }
}

/** Custom Connection: a fresh client-credentials token whenever the current one nears expiry (no refresh token). */
export class ClientCredentialsTokens implements AccessTokenProvider {
  readonly #identity: IdentityClient;
  readonly #clock: Clock;
  readonly #flight = new SingleFlight<AccessToken>();
  #token: AccessToken | null = null;

  constructor(identity: IdentityClient, clock: Clock) {
    this.#identity = identity;
    this.#clock = clock;
  }

  async current(): Promise<AccessToken> {
    if (fresh(this.#token, this.#clock.now())) return this.#token;
    return this.#fetch();
  }

  async renew(rejected: string): Promise<AccessToken> {
    if (this.#token && this.#token.accessToken !== rejected) return this.#token;
    return this.#fetch();
  }

  #fetch(): Promise<AccessToken> {
    return this.#flight.run(async () => {
      const t = await this.#identity.clientCredentials();
      this.#token = accessToken(t.access_token, this.#clock.now() + t.expires_in * 1000, t.expires_in * 1000);
      return this.#token;
    });
  }
}

/**
 * Authorization-code app: the token set lives encrypted in b_b24xero_token and refresh tokens rotate on every use.
 * A refresh happens under the store's GET_LOCK; inside it the stored row is re-read first, so a process that waited
 * for the lock adopts the token the holder just stored instead of spending the (now rotated-out) refresh token.
 * The new set is written with a VERSION check. If the process dies after Xero answered but before the write, the
 * old refresh token still works for Xero's 30-minute grace period, so the next refresh succeeds.
 */
export class RefreshTokenTokens implements AccessTokenProvider {
  readonly #identity: IdentityClient;
  readonly #store: RefreshTokenStore;
  readonly #clock: Clock;
  readonly #flight = new SingleFlight<AccessToken>();
  #token: AccessToken | null = null;

  constructor(identity: IdentityClient, store: RefreshTokenStore, clock: Clock) {
    this.#identity = identity;
    this.#store = store;
    this.#clock = clock;
  }

  async current(): Promise<AccessToken> {
    if (fresh(this.#token, this.#clock.now())) return this.#token;
    const stored = await this.#store.read();
    if (!stored) throw this.#notConnected();
    const token = this.#adopt(stored.tokenSet);
    if (fresh(token, this.#clock.now())) return token;
    return this.#refresh(null);
  }

  async renew(rejected: string): Promise<AccessToken> {
    if (this.#token && this.#token.accessToken !== rejected) return this.#token;
    return this.#refresh(rejected);
  }

  #adopt(set: StoredTokenSet): AccessToken {
    this.#token = toAccessToken(set);
    return this.#token;
  }

  #notConnected(): XeroApiError {
    return new XeroApiError({
      type: 'auth', operation: 'token', code: 'xero_not_connected',
      summary: `no Xero token is stored for instance '${this.#store.instance}': run \`b24xero connect\` first`,
    });
  }

  /** `rejected`: the access token Xero just refused, or null when refreshing because it nears expiry. */
  #refresh(rejected: string | null): Promise<AccessToken> {
    return this.#flight.run(() => this.#store.withRefreshLock(async () => {
      const stored = await this.#store.read();
      if (!stored) throw this.#notConnected();
      const storedToken = toAccessToken(stored.tokenSet);
      if (storedToken.accessToken !== rejected && fresh(storedToken, this.#clock.now())) return this.#adopt(stored.tokenSet);
      const answer: TokenResponse = await this.#identity.refresh(stored.tokenSet.refresh_token);
      const next: StoredTokenSet = {
        access_token: answer.access_token,
        // Xero always rotates; should an answer lack a refresh token, the old one is the only one we have.
        refresh_token: answer.refresh_token ?? stored.tokenSet.refresh_token,
        expires_at: Math.floor(this.#clock.now() / 1000) + answer.expires_in,
        expires_in: answer.expires_in,
        ...(answer.token_type ? { token_type: answer.token_type } : {}),
        ...(answer.scope ? { scope: answer.scope } : {}),
        ...(answer.id_token ? { id_token: answer.id_token } : {}),
      };
      const saved = await this.#store.save(next, stored.version, stored.tenantId);
      if (saved === null) {
        // Cannot happen while every writer holds the lock; if it does, the row holds a newer token than ours.
        throw new XeroApiError({ type: 'unexpected', operation: 'refreshToken', summary: 'the stored Xero token changed during a locked refresh' });
      }
      return this.#adopt(next);
    }));
  }
}

function toAccessToken(set: StoredTokenSet): AccessToken {
  return accessToken(set.access_token, set.expires_at * 1000, typeof set.expires_in === 'number' ? set.expires_in * 1000 : null);
}
