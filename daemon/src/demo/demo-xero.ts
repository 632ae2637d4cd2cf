import type { Kysely } from 'kysely';
import { startSimulator, type RunningSimulator } from '../../../test/sim/index.ts';
import { loadConfig, type Config, type Env } from '../config/config.ts';
import { createXeroGateway, type GatewayLogger, type XeroGateway } from '../xero/index.ts';

export interface DemoXero {
  sim: RunningSimulator;
  /** The daemon configuration the demo runs with: what a real env file pointing at the simulator would give. */
  config: Config;
  gateway: XeroGateway;
}

export interface DemoXeroOptions {
  dbUrl: string;
  /** 0 = any free port. */
  port: number;
  /** The caller's environment: only LOG_LEVEL and BITRIX_TIMEZONE are taken from it. */
  env: Env;
  db: Kysely<any>;
  log: GatewayLogger;
}

/** The instance name of the demo's daemon (lock, run rows, logs). */
export const DEMO_INSTANCE = 'demo';

/**
 * The daemon's environment for the simulator at `simUrl`: a Custom Connection (client_credentials) with the three
 * base-URL overrides a real env file would carry. Built from scratch on purpose, so a real XERO_* configuration in
 * the caller's environment or ./.env can never make the demo write to a real organisation.
 */
export function demoEnvironment(simUrl: string, credentials: { clientId: string; clientSecret: string }, dbUrl: string, env: Env): Env {
  return {
    BITRIX_DB_URL: dbUrl,
    B24X_INSTANCE: DEMO_INSTANCE,
    XERO_AUTH: 'client_credentials',
    XERO_CLIENT_ID: credentials.clientId,
    XERO_CLIENT_SECRET: credentials.clientSecret,
    XERO_API_URL: `${simUrl}/api.xro/2.0`,
    XERO_IDENTITY_URL: simUrl,
    XERO_CONNECTIONS_URL: `${simUrl}/connections`,
    LOG_LEVEL: env.LOG_LEVEL ?? 'warn',
    BITRIX_TIMEZONE: env.BITRIX_TIMEZONE,
  };
}

/**
 * Starts the Xero simulator in this process (one New Zealand organisation, a fixed seed so runs repeat) and the
 * daemon's real gateway against it, configured the way `b24xero sync` configures it.
 */
export async function startDemoXero(options: DemoXeroOptions): Promise<DemoXero> {
  const sim = await startSimulator({ port: options.port, seed: 1, organisations: [{ country: 'NZ', name: 'Demo Company (NZ)' }] });
  try {
    const config = loadConfig(demoEnvironment(sim.url, sim, options.dbUrl, options.env), { requireXero: true });
    const gateway = createXeroGateway({
      clientId: config.xero.clientId!, clientSecret: config.xero.clientSecret!, auth: config.xero.auth,
      tenantId: config.xero.tenantId, apiUrl: config.xero.apiUrl, identityUrl: config.xero.identityUrl,
      connectionsUrl: config.xero.connectionsUrl, timeoutMs: config.xero.httpTimeoutMs,
      minuteLimit: config.xero.minuteLimit, dailyBudget: config.xero.dailyBudget, instance: config.instance, logger: options.log,
    }, { db: options.db });
    return { sim, config, gateway };
  } catch (error) {
    await sim.close();
    throw error;
  }
}
