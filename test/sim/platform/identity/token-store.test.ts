import { describe, expect, it } from 'vitest';
import { ScaledClock } from '../sim-clock.ts';
import { TokenStore } from './token-store.ts';

const lifetimes = { accessTokenMs: 1_800_000, refreshTokenMs: 60 * 86_400_000, refreshGraceMs: 1_800_000, authCodeMs: 300_000 };

describe('TokenStore', () => {
  it('expires an access token at exactly its expiry, reporting when', () => {
    const clock = new ScaledClock();
    const store = new TokenStore(clock, lifetimes);
    const grant = store.newGrant('client_credentials', 'app', 'accounting.transactions');
    const expiresAt = clock.nowMs() + 1000;
    store.registerAccessToken('tok', grant, expiresAt);
    expect(store.checkAccessToken('tok').ok).toBe(true);
    clock.advance(1000);
    expect(store.checkAccessToken('tok')).toMatchObject({ ok: false, reason: 'expired' });
    expect(store.checkAccessToken(undefined)).toEqual({ ok: false, reason: 'missing' });
  });

  it('keeps a rotated refresh token usable for the grace from its FIRST rotation, not from each reuse', () => {
    const clock = new ScaledClock();
    const store = new TokenStore(clock, lifetimes);
    const rt = store.issueRefreshToken(store.newGrant('authorization_code', 'app', 'offline_access', ['t']));
    expect(store.useRefreshToken(rt, 'app').ok).toBe(true);
    clock.advance(1_000_000);
    expect(store.useRefreshToken(rt, 'app').ok).toBe(true);
    clock.advance(800_000);
    expect(store.useRefreshToken(rt, 'app').ok).toBe(false);
  });

  it('refuses a refresh token presented by another client, and one that was revoked', () => {
    const store = new TokenStore(new ScaledClock(), lifetimes);
    const rt = store.issueRefreshToken(store.newGrant('authorization_code', 'app', 'offline_access', ['t']));
    expect(store.useRefreshToken(rt, 'other').ok).toBe(false);
    store.revoke(rt);
    expect(store.useRefreshToken(rt, 'app').ok).toBe(false);
  });

  it('redeems an authorisation code once, only for its client and redirect URI', () => {
    const store = new TokenStore(new ScaledClock(), lifetimes);
    const code = store.issueAuthCode({ clientId: 'app', redirectUri: 'http://x/cb', scope: 'openid', tenantIds: ['t'] });
    expect(store.redeemAuthCode(code, 'app', 'http://y/cb')).toBeUndefined();
    const code2 = store.issueAuthCode({ clientId: 'app', redirectUri: 'http://x/cb', scope: 'openid', tenantIds: ['t'] });
    expect(store.redeemAuthCode(code2, 'app', 'http://x/cb')?.tenantIds).toEqual(['t']);
    expect(store.redeemAuthCode(code2, 'app', 'http://x/cb')).toBeUndefined();
  });
});
