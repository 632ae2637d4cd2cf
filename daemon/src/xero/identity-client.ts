import { correlationIdOf, toXeroError, XeroApiError } from './errors.ts';
import { readLimitHeaders } from './rate-limit-headers.ts';
import type { SecretRedactor } from '../util/redact.ts';

/** The token endpoint's answer (reference §1.2 / §1.3). */
export interface TokenResponse {
  access_token: string;
  expires_in: number;
  token_type?: string;
  scope?: string;
  refresh_token?: string;
  id_token?: string;
}

/** One entry of GET /connections (reference §1.4). */
export interface XeroConnection {
  id?: string;
  tenantId: string;
  tenantType?: string;
  tenantName?: string;
}

const GRANT_NOUNS: Record<string, string> = {
  token: 'client credentials', refreshToken: 'refresh token', authorizationCode: 'authorization code',
};

export interface IdentityClientOptions {
  identityUrl: string;
  connectionsUrl: string;
  clientId: string;
  clientSecret: string;
  timeoutMs: number;
  redactor: SecretRedactor;
}

/**
 * Xero's identity side, spoken over plain fetch (pattern A of reference §2.2): xero-node hard-codes
 * https://identity.xero.com and https://api.xero.com/connections for these calls, so using it would mean patching
 * its global axios; our own requests take the configured URLs and a deadline, and the resulting token is handed to
 * xero-node with setTokenSet. These calls are not Accounting API calls and do not count against the tenant's limits.
 */
export class IdentityClient {
  readonly #o: IdentityClientOptions;

  constructor(options: IdentityClientOptions) {
    this.#o = options;
  }

  /** Custom Connection: no scope is sent — new connections reject explicit scopes and grant all configured ones. */
  clientCredentials(): Promise<TokenResponse> {
    return this.#token('token', new URLSearchParams({ grant_type: 'client_credentials' }));
  }

  /** Authorization-code apps: rotates the refresh token (the answer carries a new one, which must be stored). */
  refresh(refreshToken: string): Promise<TokenResponse> {
    return this.#token('refreshToken', new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }));
  }

  /**
   * Authorization-code apps (`b24xero connect`): exchanges the code from the consent redirect for the first token set.
   * The caller stores it with TokenStore.replace(); from then on the gateway rotates it.
   */
  authorizationCode(code: string, redirectUri: string, codeVerifier?: string): Promise<TokenResponse> {
    const form = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri });
    // PKCE (RFC 7636): the verifier whose S256 challenge the authorize request carried.
    if (codeVerifier) form.set('code_verifier', codeVerifier);
    return this.#token('authorizationCode', form);
  }

  async connections(accessToken: string): Promise<XeroConnection[]> {
    const body = await this.#fetch('connections', this.#o.connectionsUrl, {
      method: 'GET', headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
    });
    if (!Array.isArray(body)) {
      throw new XeroApiError({ type: 'unexpected', operation: 'connections', summary: 'GET connections did not return an array' }, this.#o.redactor);
    }
    return body.filter((c): c is XeroConnection => typeof c === 'object' && c !== null && typeof (c as XeroConnection).tenantId === 'string');
  }

  async #token(operation: string, form: URLSearchParams): Promise<TokenResponse> {
    const basic = basicCredentials(this.#o.clientId, this.#o.clientSecret);
    const body = await this.#fetch(operation, `${this.#o.identityUrl.replace(/\/+$/, '')}/connect/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form.toString(),
    }, true);
    const t = body as Partial<TokenResponse> | null;
    if (!t || typeof t.access_token !== 'string' || t.access_token === '') {
      throw new XeroApiError({ type: 'auth', operation, summary: 'the token endpoint answered without an access_token' }, this.#o.redactor);
    }
    this.#o.redactor.add(t.access_token);
    this.#o.redactor.add(t.refresh_token);
    this.#o.redactor.add(t.id_token);
    return {
      ...t,
      access_token: t.access_token,
      // Xero says 1800; a missing or odd value is treated as short-lived rather than eternal.
      expires_in: typeof t.expires_in === 'number' && t.expires_in > 0 ? t.expires_in : 300,
    };
  }

  async #fetch(operation: string, url: string, init: RequestInit, isTokenEndpoint = false): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(url, { ...init, signal: AbortSignal.timeout(this.#o.timeoutMs) });
    } catch (err) {
      throw toXeroError(err, { operation, redactor: this.#o.redactor });
    }
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      throw toXeroError(err, { operation, redactor: this.#o.redactor });
    }
    let body: unknown = text;
    try { body = text === '' ? null : JSON.parse(text); } catch { /* a non-JSON body stays text */ }
    if (res.ok) return body;
    const headers = Object.fromEntries(res.headers.entries());
    // The token endpoint says 400 {"error":"invalid_grant"|"invalid_client"} for bad credentials: that is an
    // authentication failure, not a validation problem with data.
    if (isTokenEndpoint && (res.status === 400 || res.status === 401)) {
      const detail = body && typeof body === 'object' ? [(body as Record<string, unknown>).error, (body as Record<string, unknown>).error_description].filter(Boolean).join(': ') : String(body ?? '');
      throw new XeroApiError({
        type: 'auth', operation, status: res.status, detail: detail || null, limits: readLimitHeaders(headers),
        correlationId: correlationIdOf(headers),
        code: /invalid_grant/.test(detail) ? 'xero_invalid_grant' : 'xero_auth',
        summary: `the token endpoint refused the ${GRANT_NOUNS[operation] ?? 'request'}: ${detail || `HTTP ${res.status}`}`,
      }, this.#o.redactor);
    }
    throw toXeroError({ response: { status: res.status, headers, data: body } }, { operation, redactor: this.#o.redactor });
  }
}

/**
 * RFC 6749 §2.3.1: each half is application/x-www-form-urlencoded before the two are joined with ':' and
 * base64-encoded, so a secret holding '+', '%', ':' or a space reaches the server as it was issued.
 */
export function basicCredentials(clientId: string, clientSecret: string): string {
  return Buffer.from(`${formEncode(clientId)}:${formEncode(clientSecret)}`).toString('base64');
}

function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}
