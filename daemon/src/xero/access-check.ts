import { XeroApiError } from './errors.ts';
import type { XeroConnection } from './identity-client.ts';
import type { XeroAuthMode } from './gateway-options.ts';

/** The setting an access problem is fixed in: what the error message names and `b24xero config` shows. */
export type AccessVariable = 'XERO_CLIENT_ID' | 'XERO_CLIENT_SECRET' | 'XERO_TENANT_ID' | 'XERO_API_URL' | 'XERO_IDENTITY_URL' | 'XERO_CONNECTIONS_URL' | 'XERO_AUTH';

/**
 * Xero cannot be used as configured: the pass must not run (exit 1), and the message says which variable to change.
 * Unlike a per-record failure this repeats on every pass until a person edits the env file.
 */
export class XeroAccessError extends Error {
  override name = 'XeroAccessError';
  constructor(readonly variables: readonly AccessVariable[], message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export interface AccessCheckDeps {
  auth: XeroAuthMode;
  apiUrl: string;
  identityUrl: string;
  connectionsUrl: string;
  tenantId: string | null;
  timeoutMs: number;
  /** The current access token (a new one from the token endpoint when none is held or it is near expiry). */
  token(): Promise<string>;
  connections(accessToken: string): Promise<XeroConnection[]>;
}

/**
 * Proves, without spending the tenant's API budget, that the configured app can reach this organisation: a token
 * (token endpoint), the tenant among the app's connections (connections endpoint), and the Accounting API answering at
 * XERO_API_URL (an unauthenticated request, which Xero answers 401 and cannot count against a tenant). Xero counts
 * only Accounting API calls made for a tenant, so none of these three touches the 60/min or the 5,000/day.
 */
export async function checkXeroAccess(deps: AccessCheckDeps): Promise<void> {
  const token = await tokenOrExplain(deps);
  await checkTenant(deps, token);
  await checkApiUrl(deps);
}

async function tokenOrExplain(deps: AccessCheckDeps): Promise<string> {
  try {
    return await deps.token();
  } catch (error) {
    if (!(error instanceof XeroApiError)) throw error;
    if (error.type === 'auth' && error.code === 'xero_invalid_grant' && deps.auth === 'authorization_code') {
      throw new XeroAccessError(['XERO_AUTH'], `Xero refused the stored refresh token (${error.detail ?? 'invalid_grant'}): run 'b24xero connect' again to authorise the app`, { cause: error });
    }
    if (error.type === 'auth') {
      throw new XeroAccessError(['XERO_CLIENT_ID', 'XERO_CLIENT_SECRET'],
        `Xero's token endpoint refused the app's credentials (${error.detail ?? `HTTP ${error.status}`}): check XERO_CLIENT_SECRET and XERO_CLIENT_ID ` +
        '(copy both from developer.xero.com → My Apps → your app; generate a new secret if unsure)', { cause: error });
    }
    throw unreachable('XERO_IDENTITY_URL', `${deps.identityUrl.replace(/\/+$/, '')}/connect/token`, error, 'https://identity.xero.com');
  }
}

async function checkTenant(deps: AccessCheckDeps, token: string): Promise<void> {
  let connections: XeroConnection[];
  try {
    connections = await deps.connections(token);
  } catch (error) {
    if (!(error instanceof XeroApiError)) throw error;
    if (isTransport(error) || error.type === 'not_found') throw unreachable('XERO_CONNECTIONS_URL', deps.connectionsUrl, error, 'https://api.xero.com/connections');
    // A Custom Connection works without its connections list; an authorization-code app needs a tenant.
    if (deps.auth === 'client_credentials' && !deps.tenantId) return;
    throw new XeroAccessError(['XERO_TENANT_ID'], `Xero's connections endpoint refused the app (${error.message}): check XERO_TENANT_ID, or run 'b24xero connect'`, { cause: error });
  }
  if (!deps.tenantId) {
    if (connections.length === 0 && deps.auth === 'authorization_code') {
      throw new XeroAccessError(['XERO_TENANT_ID'], "no Xero organisation is connected to this app: run 'b24xero connect'");
    }
    return;
  }
  if (connections.some((c) => c.tenantId.toLowerCase() === deps.tenantId!.toLowerCase())) return;
  const known = connections.map((c) => `${c.tenantId}${c.tenantName ? ` (${c.tenantName})` : ''}`).join(', ');
  throw new XeroAccessError(['XERO_TENANT_ID'],
    `XERO_TENANT_ID=${deps.tenantId} is not an organisation this app is connected to ` +
    `(${known ? `connected: ${known}` : 'it is connected to none'}): set XERO_TENANT_ID to one of them, or leave it empty to use the first`);
}

async function checkApiUrl(deps: AccessCheckDeps): Promise<void> {
  const url = `${deps.apiUrl.replace(/\/+$/, '')}/Organisation`;
  let status: number;
  try {
    const res = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(deps.timeoutMs) });
    status = res.status;
    await res.body?.cancel();
  } catch (error) {
    throw new XeroAccessError(['XERO_API_URL'], `cannot reach the Accounting API at XERO_API_URL=${deps.apiUrl} (${describe(error)}): check XERO_API_URL (normally https://api.xero.com/api.xro/2.0), the network and any proxy`, { cause: error });
  }
  // Without a token the Accounting API answers 401 (403 behind some gateways); a 404 means the path is wrong.
  if (status === 401 || status === 403) return;
  throw new XeroAccessError(['XERO_API_URL'],
    `XERO_API_URL=${deps.apiUrl} does not look like Xero's Accounting API (GET ${url} without a token answered HTTP ${status}, not 401): ` +
    'it should be https://api.xero.com/api.xro/2.0');
}

function isTransport(error: XeroApiError): boolean {
  return error.type === 'network' || error.type === 'timeout' || error.type === 'server';
}

function unreachable(variable: AccessVariable, url: string, error: XeroApiError, normal: string): XeroAccessError {
  const what = isTransport(error) ? `cannot reach ${url} (${error.message})` : `${url} answered ${error.status ? `HTTP ${error.status}` : error.message}`;
  return new XeroAccessError([variable], `${what}: check ${variable} (normally ${normal}), the network and any proxy`, { cause: error });
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error);
}
