import { createRequire } from 'node:module';
import { XeroClient } from 'xero-node';
import { startSimulator, type RunningSimulator, type SimOptions } from '../sim/index.ts';

export interface SimForTest {
  sim: RunningSimulator;
  /** A real xero-node client: Accounting API pointed at the simulator, token from the simulator's /connect/token. */
  xero: XeroClient;
  /** The first organisation's tenant id (pass it as xeroTenantId). */
  tenantId: string;
  /**
   * Calls the admin API: `admin('/tenants/' + tenantId + '/invoices/…/approve', {})` hits `/_sim/tenants/…/approve`.
   * Method defaults to POST with a body, GET without. Resolves to the parsed JSON (null for an empty body); rejects
   * with a SimAdminError (status, body) for a 4xx/5xx.
   */
  admin: (path: string, body?: unknown, method?: string) => Promise<any>;
  /** Shortcut for the harness tenant: `orgAdmin('invoices/ID/approve')` → /_sim/tenants/{tenantId}/invoices/ID/approve. */
  orgAdmin: (action: string, body?: unknown, method?: string) => Promise<any>;
  /** Fetches a fresh client_credentials token and gives it to `xero` (e.g. after advancing the clock past expiry). */
  refreshToken: () => Promise<void>;
  close(): Promise<void>;
}

export class SimAdminError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    path: string,
  ) {
    super(`admin ${path} answered ${status}: ${JSON.stringify(body)}`);
  }
}

/**
 * Starts a simulator on an ephemeral port and a xero-node client wired to it the way the daemon does it (reference
 * §2.2 pattern A): a plain POST to /connect/token, then `setTokenSet`, and `accountingApi.basePath` set to the sim.
 */
export async function startSimForTest(opts: SimOptions = {}): Promise<SimForTest> {
  const sim = await startSimulator({ port: 0, ...opts });
  const xero = new XeroClient({ clientId: sim.clientId, clientSecret: sim.clientSecret, grantType: 'client_credentials' });
  xero.accountingApi.basePath = `${sim.url}/api.xro/2.0`;
  const refreshToken = async () => {
    xero.setTokenSet(await sim.fetchToken());
  };
  await refreshToken();
  const tenantId = sim.defaultTenantId;

  const admin = async (path: string, body?: unknown, method?: string): Promise<any> => {
    const full = path.startsWith('/_sim') ? path : `/_sim${path.startsWith('/') ? '' : '/'}${path}`;
    const verb = (method ?? (body === undefined ? 'GET' : 'POST')).toUpperCase();
    const res = await fetch(`${sim.url}${full}`, {
      method: verb,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    const parsed: unknown = text === '' ? null : safeJson(text);
    if (!res.ok) throw new SimAdminError(res.status, parsed, full);
    return parsed;
  };
  const orgAdmin = (action: string, body?: unknown, method?: string) =>
    admin(`/tenants/${tenantId}/${action.replace(/^\//, '')}`, body, method);

  return { sim, xero, tenantId, admin, orgAdmin, refreshToken, close: () => sim.close() };
}

/**
 * The axios instance xero-node really uses (its CommonJS copy, not the ESM `import axios`): set `defaults.timeout`
 * or add interceptors on this one.
 */
export function xeroNodeAxios(): { defaults: { timeout?: number }; interceptors: any; post: (...args: any[]) => Promise<any> } {
  const require = createRequire(import.meta.url);
  return createRequire(require.resolve('xero-node'))('axios');
}

/** xero-node rejects API calls with a JSON string; this parses it (and rethrows anything else untouched). */
export function parseXeroError(error: unknown): { response: { statusCode: number; body: any; headers: Record<string, string> }; body: any } {
  if (typeof error !== 'string') throw error;
  return JSON.parse(error);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
