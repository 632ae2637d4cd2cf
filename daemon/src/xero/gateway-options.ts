/**
 * What the gateway needs from configuration — a small structural type, so daemon/src/config can hand over its frozen
 * object (or a Pick of it) and tests can pass a literal.
 */
export const XERO_AUTH_MODES = ['client_credentials', 'authorization_code'] as const;
export type XeroAuthMode = (typeof XERO_AUTH_MODES)[number];

export interface GatewayLogger {
  debug(message: string, meta?: Record<string, unknown>): unknown;
  info(message: string, meta?: Record<string, unknown>): unknown;
  warn(message: string, meta?: Record<string, unknown>): unknown;
  error(message: string, meta?: Record<string, unknown>): unknown;
}

export interface XeroGatewayOptions {
  clientId: string;
  clientSecret: string;
  /** Default 'client_credentials' (Custom Connection). */
  auth?: XeroAuthMode;
  /** XERO_TENANT_ID; empty/undefined: the first of GET connectionsUrl. */
  tenantId?: string | null;
  /** Accounting API base, default https://api.xero.com/api.xro/2.0 */
  apiUrl?: string;
  /** Identity base (token endpoint at /connect/token), default https://identity.xero.com */
  identityUrl?: string;
  /** Default https://api.xero.com/connections */
  connectionsUrl?: string;
  /** Deadline of every HTTP call, default 30 s. */
  timeoutMs?: number;
  /** Default 60. */
  minuteLimit?: number;
  /** Default 5,000. */
  dailyBudget?: number;
  /** B24X_INSTANCE: names the token row and its lock. Default 'default'. */
  instance?: string;
  logger?: GatewayLogger;
}

export type ResolvedGatewayOptions = Required<Omit<XeroGatewayOptions, 'logger' | 'tenantId'>> & {
  tenantId: string | null;
  logger: GatewayLogger | null;
};

export const GATEWAY_DEFAULTS = Object.freeze({
  auth: 'client_credentials' as XeroAuthMode,
  apiUrl: 'https://api.xero.com/api.xro/2.0',
  identityUrl: 'https://identity.xero.com',
  connectionsUrl: 'https://api.xero.com/connections',
  timeoutMs: 30_000,
  minuteLimit: 60,
  dailyBudget: 5_000,
  instance: 'default',
});

function url(name: string, value: string): string {
  let u: URL;
  try { u = new URL(value); } catch { throw new Error(`Xero gateway: ${name} is not a URL: '${value}'`); }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error(`Xero gateway: ${name} must be http(s), got '${value}'`);
  return value.replace(/\/+$/, '');
}

function positiveInt(name: string, value: number, min = 1): number {
  if (!Number.isInteger(value) || value < min) throw new Error(`Xero gateway: ${name} must be an integer ≥ ${min}, got ${String(value)}`);
  return value;
}

/** Fills defaults and rejects bad values with a message naming the setting. */
export function resolveGatewayOptions(o: XeroGatewayOptions): ResolvedGatewayOptions {
  if (!o.clientId) throw new Error('Xero gateway: clientId (XERO_CLIENT_ID) is required');
  if (!o.clientSecret) throw new Error('Xero gateway: clientSecret (XERO_CLIENT_SECRET) is required');
  const auth = o.auth ?? GATEWAY_DEFAULTS.auth;
  if (!XERO_AUTH_MODES.includes(auth)) throw new Error(`Xero gateway: auth must be one of ${XERO_AUTH_MODES.join(', ')}, got '${String(auth)}'`);
  return Object.freeze({
    clientId: o.clientId,
    clientSecret: o.clientSecret,
    auth,
    tenantId: o.tenantId ? o.tenantId : null,
    apiUrl: url('apiUrl', o.apiUrl ?? GATEWAY_DEFAULTS.apiUrl),
    identityUrl: url('identityUrl', o.identityUrl ?? GATEWAY_DEFAULTS.identityUrl),
    connectionsUrl: url('connectionsUrl', o.connectionsUrl ?? GATEWAY_DEFAULTS.connectionsUrl),
    timeoutMs: positiveInt('timeoutMs', o.timeoutMs ?? GATEWAY_DEFAULTS.timeoutMs),
    minuteLimit: positiveInt('minuteLimit', o.minuteLimit ?? GATEWAY_DEFAULTS.minuteLimit),
    dailyBudget: positiveInt('dailyBudget', o.dailyBudget ?? GATEWAY_DEFAULTS.dailyBudget),
    instance: o.instance || GATEWAY_DEFAULTS.instance,
    logger: o.logger ?? null,
  });
}
