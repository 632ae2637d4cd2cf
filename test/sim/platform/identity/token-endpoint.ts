import { createHash, randomUUID } from 'node:crypto';
import type { ScaledClock } from '../sim-clock.ts';
import type { ClientRegistry } from './client-registry.ts';
import { atHash, type RsaSigner } from './rsa-signer.ts';
import type { Grant, TokenStore } from './token-store.ts';

export interface IdentityDeps {
  clock: ScaledClock;
  clients: ClientRegistry;
  tokens: TokenStore;
  signer: RsaSigner;
  /** Base URL of the simulator (the issuer), no trailing slash. */
  issuer(): string;
}

export interface TokenReply {
  status: number;
  body: Record<string, unknown>;
}

/** Scopes a Custom Connection is configured with; Xero returns them whatever the request asked for. */
export const CUSTOM_CONNECTION_SCOPE = 'accounting.transactions accounting.contacts accounting.settings';

/**
 * POST /connect/token. Accepts client_credentials (any extra field: xero-node sends `scopes=…` or literally
 * `scopes=undefined`, Xero's MCP server sends `scope=…`), authorization_code and refresh_token (rotating) grants.
 */
export function handleTokenRequest(deps: IdentityDeps, authorization: string | undefined, rawBody: string): TokenReply {
  const form = new URLSearchParams(rawBody);
  const credentials = clientCredentials(authorization, form);
  if (!credentials) return oauthError('invalid_client');
  const client = deps.clients.authenticate(credentials.clientId, credentials.clientSecret);
  if (!client) return oauthError('invalid_client');

  switch (form.get('grant_type')) {
    case 'client_credentials': {
      const grant = deps.tokens.newGrant('client_credentials', client.clientId, CUSTOM_CONNECTION_SCOPE);
      return { status: 200, body: mintTokens(deps, grant, { refresh: false }) };
    }
    case 'authorization_code': {
      const code = deps.tokens.redeemAuthCode(form.get('code') ?? '', client.clientId, form.get('redirect_uri') ?? undefined);
      if (!code) return oauthError('invalid_grant');
      if (code.codeChallenge && !pkceMatches(code.codeChallenge, code.codeChallengeMethod ?? 'plain', form.get('code_verifier'))) return oauthError('invalid_grant');
      const grant = deps.tokens.newGrant('authorization_code', client.clientId, code.scope, code.tenantIds);
      return { status: 200, body: mintTokens(deps, grant, { refresh: true, ...(code.nonce ? { nonce: code.nonce } : {}) }) };
    }
    case 'refresh_token': {
      const used = deps.tokens.useRefreshToken(form.get('refresh_token') ?? '', client.clientId);
      if (!used.ok) return oauthError('invalid_grant');
      return { status: 200, body: mintTokens(deps, used.grant, { refresh: true }) };
    }
    default:
      return oauthError('unsupported_grant_type');
  }
}

function mintTokens(deps: IdentityDeps, grant: Grant, opts: { refresh: boolean; nonce?: string }): Record<string, unknown> {
  const { clock, tokens, signer } = deps;
  const issuedMs = clock.nowMs();
  const expiresAtMs = issuedMs + tokens.lifetimes.accessTokenMs;
  const accessToken = signer.signOpaque({
    iss: deps.issuer(),
    aud: `${deps.issuer()}/resources`,
    nbf: Math.floor(issuedMs / 1000),
    iat: Math.floor(issuedMs / 1000),
    exp: Math.floor(expiresAtMs / 1000),
    client_id: grant.clientId,
    authentication_event_id: grant.authEventId,
    scope: grant.scope.split(' '),
    jti: randomUUID(),
  });
  tokens.registerAccessToken(accessToken, grant, expiresAtMs);
  // expires_in is in REAL seconds: clients (openid-client's TokenSet) turn it into a wall-clock expires_at, and with a
  // time scale the token really does die sooner. At scale 1 this is Xero's 1800.
  const expiresIn = Math.max(1, Math.round(clock.toRealMs(tokens.lifetimes.accessTokenMs) / 1000));
  const body: Record<string, unknown> = { access_token: accessToken, expires_in: expiresIn, token_type: 'Bearer', scope: grant.scope };
  if (opts.refresh) body.refresh_token = tokens.issueRefreshToken(grant);
  if (grant.scope.split(' ').includes('openid')) body.id_token = idToken(deps, grant, accessToken, opts.nonce);
  return body;
}

function idToken(deps: IdentityDeps, grant: Grant, accessToken: string, nonce: string | undefined): string {
  // openid-client validates iat/exp against the REAL clock (5 s tolerance), so the id_token uses wall-clock time.
  const now = Math.floor(Date.now() / 1000);
  return deps.signer.sign({
    iss: deps.issuer(),
    aud: grant.clientId,
    sub: 'sim-user-0001',
    iat: now,
    nbf: now,
    exp: now + 300,
    auth_time: now,
    at_hash: atHash(accessToken),
    ...(nonce ? { nonce } : {}),
    xero_userid: 'a3a4d0b8-8d7a-4b2f-9f1e-5c3c6c7a0001',
    global_session_id: grant.authEventId,
    email: 'sim.user@example.com',
    given_name: 'Sim',
    family_name: 'User',
    preferred_username: 'sim.user@example.com',
  });
}

function clientCredentials(authorization: string | undefined, form: URLSearchParams): { clientId: string; clientSecret: string } | undefined {
  const match = /^Basic\s+(.+)$/i.exec(authorization ?? '');
  if (match) {
    const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    // RFC 6749 §2.3.1: both halves are form-urlencoded before base64.
    return { clientId: safeDecode(decoded.slice(0, colon)), clientSecret: safeDecode(decoded.slice(colon + 1)) };
  }
  const clientId = form.get('client_id');
  const clientSecret = form.get('client_secret');
  return clientId && clientSecret ? { clientId, clientSecret } : undefined;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

function oauthError(error: string): TokenReply {
  return { status: 400, body: { error } };
}

/** RFC 7636 §4.6: S256 compares BASE64URL(SHA256(verifier)) with the challenge; plain compares them as they are. */
function pkceMatches(challenge: string, method: 'S256' | 'plain', verifier: string | null): boolean {
  if (!verifier) return false;
  const derived = method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
  return derived === challenge;
}
