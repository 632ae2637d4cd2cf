import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { XeroConfig } from '../config/config.ts';
import type { SecretRedactor } from '../util/redact.ts';
import { IdentityClient, type TokenResponse, type XeroConnection } from '../xero/index.ts';
import type { StoredTokenSet } from '../xero/token-store-port.ts';
import { isLoopback } from './http-listener.ts';

/**
 * `b24xero connect` for a standard (authorization-code) Xero app: the OAuth 2.0 authorization-code flow with PKCE
 * (RFC 7636, S256) and a loopback redirect (RFC 8252 §7.3). The browser goes to Xero's consent page; Xero sends it
 * back to http://localhost:PORT/callback, where this process is listening; the code is exchanged with the verifier
 * only this process knows, so an intercepted code is useless.
 */

export const CONNECT_SCOPES = ['openid', 'profile', 'email', 'offline_access', 'accounting.transactions', 'accounting.contacts', 'accounting.settings'];

export class ConnectError extends Error {
  override name = 'ConnectError';
}

export interface ConnectFlowOptions {
  xero: Pick<XeroConfig, 'clientId' | 'clientSecret' | 'identityUrl' | 'connectionsUrl' | 'authorizeUrl' | 'httpTimeoutMs'>;
  redirectUri: string;
  redactor: SecretRedactor;
  /** How long to wait for the browser to come back (ms). */
  timeoutMs: number;
  /** Shown the URL to open. */
  onAuthorizeUrl: (url: string) => void;
}

export interface ConnectResult {
  tokenSet: StoredTokenSet;
  connections: XeroConnection[];
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function authorizeUrl(base: string, params: { clientId: string; redirectUri: string; state: string; challenge: string }): string {
  const url = new URL(base);
  url.search = new URLSearchParams({
    response_type: 'code', client_id: params.clientId, redirect_uri: params.redirectUri, scope: CONNECT_SCOPES.join(' '),
    state: params.state, code_challenge: params.challenge, code_challenge_method: 'S256',
  }).toString();
  return url.toString();
}

export async function runConnectFlow(o: ConnectFlowOptions): Promise<ConnectResult> {
  const redirect = new URL(o.redirectUri);
  if (redirect.protocol !== 'http:' || !isLoopback(redirect.hostname) || !redirect.port) {
    throw new ConnectError(`--redirect-uri must be http://localhost:PORT/… or http://127.0.0.1:PORT/… (a loopback address with a port), got ${o.redirectUri}`);
  }
  const { verifier, challenge } = pkcePair();
  const state = randomBytes(16).toString('base64url');
  const code = await new Promise<string>((resolve, reject) => {
    let server: Server | null = null;
    const timer = setTimeout(() => finish(new ConnectError(`no answer from the browser within ${Math.round(o.timeoutMs / 1000)} s; run b24xero connect again`)), o.timeoutMs);
    const finish = (result: string | Error) => {
      clearTimeout(timer);
      server?.close();
      server?.closeAllConnections();
      if (typeof result === 'string') resolve(result);
      else reject(result);
    };
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', o.redirectUri);
      if (url.pathname !== redirect.pathname) {
        res.writeHead(404).end();
        return;
      }
      const error = url.searchParams.get('error');
      const answer = (status: number, text: string) => res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(text);
      if (url.searchParams.get('state') !== state) {
        answer(400, 'This answer does not belong to the b24xero connect that is waiting (state mismatch). Start again.');
        return;
      }
      if (error) {
        answer(400, `Xero said: ${error}. You can close this window.`);
        finish(new ConnectError(`Xero refused the connection: ${error}${url.searchParams.get('error_description') ? ` (${url.searchParams.get('error_description')})` : ''}`));
        return;
      }
      const value = url.searchParams.get('code');
      if (!value) {
        answer(400, 'No authorization code in the answer.');
        return;
      }
      answer(200, 'b24xero is connected to Xero. You can close this window and return to the terminal.');
      finish(value);
    });
    server.once('error', (e) => finish(new ConnectError(`cannot listen on ${redirect.host} for the redirect: ${e.message}`)));
    server.listen(Number(redirect.port), redirect.hostname === 'localhost' ? '127.0.0.1' : redirect.hostname, () => {
      o.onAuthorizeUrl(authorizeUrl(o.xero.authorizeUrl, { clientId: o.xero.clientId!, redirectUri: o.redirectUri, state, challenge }));
    });
  });
  const identity = new IdentityClient({
    identityUrl: o.xero.identityUrl, connectionsUrl: o.xero.connectionsUrl, clientId: o.xero.clientId!, clientSecret: o.xero.clientSecret!,
    timeoutMs: o.xero.httpTimeoutMs, redactor: o.redactor,
  });
  const answer: TokenResponse = await identity.authorizationCode(code, o.redirectUri, verifier);
  if (!answer.refresh_token) throw new ConnectError('Xero answered without a refresh token: the app must be allowed the offline_access scope');
  const connections = await identity.connections(answer.access_token);
  return {
    tokenSet: {
      access_token: answer.access_token, refresh_token: answer.refresh_token, expires_in: answer.expires_in,
      expires_at: Math.floor(Date.now() / 1000) + answer.expires_in,
      ...(answer.token_type && { token_type: answer.token_type }), ...(answer.scope && { scope: answer.scope }),
      ...(answer.id_token && { id_token: answer.id_token }),
    },
    connections: connections.filter((c) => c.tenantType === undefined || c.tenantType === 'ORGANISATION'),
  };
}
