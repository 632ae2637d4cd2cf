import { emptyResponse, jsonResponse, textResponse, type WireResponse } from '../http-io.ts';
import type { IdentityDeps } from './token-endpoint.ts';

/** GET /.well-known/openid-configuration: what openid-client's Issuer.discover needs (issuer = the simulator's URL). */
export function discoveryDocument(issuer: string): WireResponse {
  return jsonResponse(200, {
    issuer,
    authorization_endpoint: `${issuer}/identity/connect/authorize`,
    token_endpoint: `${issuer}/connect/token`,
    userinfo_endpoint: `${issuer}/connect/userinfo`,
    end_session_endpoint: `${issuer}/connect/endsession`,
    revocation_endpoint: `${issuer}/connect/revocation`,
    jwks_uri: `${issuer}/.well-known/openid-configuration/jwks`,
    scopes_supported: ['openid', 'profile', 'email', 'offline_access', 'accounting.transactions', 'accounting.contacts', 'accounting.settings'],
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code', 'client_credentials', 'refresh_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    code_challenge_methods_supported: ['plain', 'S256'],
  });
}

export function jwks(deps: IdentityDeps): WireResponse {
  return jsonResponse(200, { keys: [deps.signer.jwk()] });
}

/**
 * GET /identity/connect/authorize: the user "consents" at once to every organisation the client may reach, and the
 * browser is redirected to redirect_uri with a one-use code (and the state echoed), as Xero does after login.
 */
export function authorize(deps: IdentityDeps, query: URLSearchParams): WireResponse {
  const clientId = query.get('client_id') ?? '';
  const redirectUri = query.get('redirect_uri');
  const client = deps.clients.get(clientId);
  if (!client || !redirectUri) return textResponse(400, 'invalid_request: unknown client_id or missing redirect_uri');
  if (query.get('response_type') !== 'code') return redirect(redirectUri, { error: 'unsupported_response_type', state: query.get('state') });
  const nonce = query.get('nonce');
  const challenge = query.get('code_challenge');
  const method = query.get('code_challenge_method') ?? 'plain';
  if (challenge && method !== 'S256' && method !== 'plain') return redirect(redirectUri, { error: 'invalid_request', state: query.get('state') });
  const code = deps.tokens.issueAuthCode({
    clientId,
    redirectUri,
    scope: (query.get('scope') ?? '').split(/[\s+]+/).filter(Boolean).join(' '),
    tenantIds: deps.clients.tenantIdsFor(clientId),
    ...(nonce ? { nonce } : {}),
    ...(challenge ? { codeChallenge: challenge, codeChallengeMethod: method as 'S256' | 'plain' } : {}),
  });
  return redirect(redirectUri, { code, scope: query.get('scope'), state: query.get('state'), session_state: 'sim' });
}

/** POST /connect/revocation (RFC 7009): always 200, revoking the token if the simulator knows it. */
export function revoke(deps: IdentityDeps, rawBody: string): WireResponse {
  const token = new URLSearchParams(rawBody).get('token');
  if (token) deps.tokens.revoke(token);
  return emptyResponse(200);
}

function redirect(target: string, params: Record<string, string | null>): WireResponse {
  const url = new URL(target);
  for (const [k, v] of Object.entries(params)) if (v !== null) url.searchParams.set(k, v);
  return emptyResponse(302, { location: url.href });
}
