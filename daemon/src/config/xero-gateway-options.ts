import type { GatewayLogger, XeroGatewayOptions } from '../xero/index.ts';
import { ConfigError, type Config } from './config.ts';

/** The gateway's options from the daemon's configuration (load it with `requireXero: true`). */
export function xeroGatewayOptions(config: Config, logger: GatewayLogger): XeroGatewayOptions {
  const { xero } = config;
  if (xero.clientId === null || xero.clientSecret === null) {
    throw new ConfigError(['XERO_CLIENT_ID and XERO_CLIENT_SECRET are required to talk to Xero']);
  }
  return {
    clientId: xero.clientId, clientSecret: xero.clientSecret, auth: xero.auth, tenantId: xero.tenantId,
    apiUrl: xero.apiUrl, identityUrl: xero.identityUrl, connectionsUrl: xero.connectionsUrl,
    timeoutMs: xero.httpTimeoutMs, minuteLimit: xero.minuteLimit, dailyBudget: xero.dailyBudget,
    instance: config.instance, logger,
  };
}
