import type { Writable } from 'node:stream';
import type { Kysely } from 'kysely';
import { startSimulator, type RunningSimulator } from '../../../test/sim/index.ts';
import { loadConfig, type Config, type Env } from '../config/config.ts';
import { gatewayForDatabase } from '../runtime/compose.ts';
import { loggerFor, type Logger } from '../runtime/logger.ts';
import { SecretRedactor } from '../util/redact.ts';
import type { XeroGateway } from '../xero/index.ts';
import { demoDatabaseName } from './demo-args.ts';
import { xeroGatewayOptions } from '../config/xero-gateway-options.ts';

export interface DemoXero {
  sim: RunningSimulator;
  /** The daemon configuration the demo runs with: what a real env file pointing at the simulator would give. */
  config: Config;
  gateway: XeroGateway;
  /** The daemon's logger (JSON lines on `logStream`), secrets of the config masked. */
  log: Logger;
}

export interface DemoXeroOptions {
  dbUrl: string;
  /** 0 = any free port. */
  port: number;
  /** The caller's environment: only LOG_LEVEL and BITRIX_TIMEZONE are taken from it. */
  env: Env;
  db: Kysely<any>;
  logStream: Writable;
}

/**
 * The daemon's environment for the simulator at `simUrl`: a Custom Connection (client_credentials) with the three
 * base-URL overrides a real env file would carry. Built from scratch on purpose, so a real XERO_* configuration in
 * the caller's environment or ./.env can never make the demo write to a real organisation.
 */
export function demoEnvironment(simUrl: string, credentials: { clientId: string; clientSecret: string }, dbUrl: string, env: Env): Env {
  return {
    BITRIX_DB_URL: dbUrl,
    // GET_LOCK names are server-wide: naming the instance after the database lets two demos share one MariaDB.
    B24X_INSTANCE: demoDatabaseName(dbUrl),
    XERO_AUTH: 'client_credentials',
    XERO_CLIENT_ID: credentials.clientId,
    XERO_CLIENT_SECRET: credentials.clientSecret,
    XERO_API_URL: `${simUrl}/api.xro/2.0`,
    XERO_IDENTITY_URL: simUrl,
    XERO_CONNECTIONS_URL: `${simUrl}/connections`,
    // The story goes to stdout; the daemon's JSON log lines (stderr) only when asked for with LOG_LEVEL.
    LOG_LEVEL: env.LOG_LEVEL ?? 'error',
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
    // The demo owns its database pool (a throw-away database), so it takes the root's parts rather than compose().
    const redactor = new SecretRedactor();
    const log = loggerFor(config, options.logStream, redactor);
    const gateway = gatewayForDatabase(xeroGatewayOptions(config, log), options.db, { redactor });
    return { sim, config, gateway, log };
  } catch (error) {
    await sim.close();
    throw error;
  }
}
