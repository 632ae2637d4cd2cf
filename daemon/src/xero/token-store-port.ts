/**
 * Where an authorization-code app's rotating token set lives. The gateway only knows this port; the daemon's
 * implementation is state/token-store.ts (b_b24xero_token, encrypted), handed in by runtime/compose.ts.
 */

/**
 * An OAuth token set as stored: what Xero's token endpoint returned, with the expiry made absolute. Refresh tokens
 * rotate on every refresh, so the newest set must always be the one stored.
 */
export interface StoredTokenSet {
  access_token: string;
  refresh_token: string;
  /** Seconds since the epoch (openid-client's TokenSet convention). */
  expires_at: number;
  /** The lifetime Xero granted, in seconds (decides how early to refresh). */
  expires_in?: number;
  token_type?: string;
  scope?: string;
  id_token?: string;
}

export interface StoredToken {
  tokenSet: StoredTokenSet;
  tenantId: string;
  /** Optimistic-concurrency version: a save names the version it replaces. */
  version: number;
}

export interface RefreshTokenStore {
  /** The daemon instance the token belongs to (named in "run b24xero connect" messages). */
  readonly instance: string;
  read(): Promise<StoredToken | null>;
  /** Saves in place of `expectedVersion` (null: only if none exists); null when the row moved on meanwhile. */
  save(tokenSet: StoredTokenSet, expectedVersion: number | null, tenantId?: string): Promise<number | null>;
  /** Runs `fn` while no other process refreshes this instance's token. */
  withRefreshLock<T>(fn: () => Promise<T>): Promise<T>;
}
