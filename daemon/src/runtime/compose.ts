import type { Writable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { Config, Env, LoadConfigOptions } from '../config/config.ts';
import { readEnvironment } from '../config/env-file.ts';
import { loadConfig } from '../config/config.ts';
import { describeUnknown, unknownVariables } from '../config/variables.ts';
import { secretValues } from '../config/redact.ts';
import { xeroGatewayOptions } from '../config/xero-gateway-options.ts';
import { connect } from '../db/connect.ts';
import { DbGovernorBudgetStore } from '../state/governor-budget.ts';
import type { StateDb } from '../state/tables.ts';
import { TokenStore } from '../state/token-store.ts';
import type { PassDeps } from '../sync/pass.ts';
import { receiveWebhook } from '../sync/pull/webhooks.ts';
import { SecretRedactor } from '../util/redact.ts';
import { createXeroGateway, type XeroCallRecord, type XeroGateway, type XeroGatewayDeps, type XeroGatewayOptions } from '../xero/index.ts';
import type { WebhookHandler } from './http-listener.ts';
import { closeLogger, loggerFor, scopedLogger, type Logger } from './logger.ts';

/**
 * The daemon's one composition root: configuration → database → state → gateway (handed its token and budget
 * stores) → sync → schedules. Every command wires through here instead of repeating the config-and-connect
 * preamble, and nothing below runtime/ builds a store, a pool or a logger of its own.
 */

export interface ComposeIo {
  env: Env;
  cwd: string;
}

export interface ComposeOptions extends Pick<LoadConfigOptions, 'requireXero'> {
  /** Pool size (default 4: the daemon reads in pages and writes little). */
  connectionLimit?: number;
  /** Where JSON log lines go; stdout (journald) unless given. Commands whose stdout is a report log to stderr. */
  logStream?: Writable;
  /** Extra hook for every Xero call (metrics). */
  onXeroCall?: (call: XeroCallRecord) => void;
  /** Gateway tuning (tests scale the governor's window to a simulator's time scale). */
  gateway?: Pick<XeroGatewayDeps, 'governor' | 'maxRateLimitRetries' | 'clock'>;
}

export interface Composition {
  readonly config: Config;
  /** Shared by the logger and the gateway: a token the gateway learns is masked in log lines too. */
  readonly redactor: SecretRedactor;
  readonly log: Logger;
  /** The Bitrix database (reads b_crm_*, writes b_b24xero_*); a pool, connected on first use. */
  readonly db: Kysely<any>;
  /** The Xero gateway with the database's token and budget stores; built on first use (needs XERO_CLIENT_*). */
  gateway(): XeroGateway;
  /** What sync/ and pull take: { db, gateway, connect, log }. */
  passDeps(): PassDeps;
  /** The handler of POST /webhooks/xero when XERO_WEBHOOK_KEY is set; null (answered 503) without it. */
  webhook(): WebhookHandler | null;
  /** Closes the pool and flushes the logger. Idempotent and never throws. */
  close(): Promise<void>;
}

/** Reads the configuration (ConfigError on a bad one) and assembles the parts; opens no connection yet. */
export function compose(io: ComposeIo, options: ComposeOptions = {}): Composition {
  const env = readEnvironment(io.env, io.cwd);
  const config = loadConfig(env, { ...(options.requireXero !== undefined && { requireXero: options.requireXero }) });
  const app = composeFromConfig(config, options);
  // A typo'd name (XERO_CLIENT_SECERT) would otherwise just be ignored, and its default used without a word.
  for (const unknown of unknownVariables(Object.keys(env))) {
    app.log.warn(describeUnknown(unknown), { variable: unknown.name, didYouMean: unknown.didYouMean });
  }
  return app;
}

export function composeFromConfig(config: Config, options: ComposeOptions = {}): Composition {
  const redactor = new SecretRedactor(secretValues(config));
  const log = loggerFor(config, options.logStream, redactor);
  const db = connect<any>(config.bitrixDbUrl, { connectionLimit: options.connectionLimit ?? 4 });
  let gateway: XeroGateway | null = null;
  let webhook: WebhookHandler | null = null;
  let closing: Promise<void> | null = null;
  const app: Composition = {
    config, redactor, log, db,
    gateway() {
      gateway ??= gatewayForDatabase(xeroGatewayOptions(config, log), db, {
        redactor, ...options.gateway, ...(options.onXeroCall && { onCall: options.onXeroCall }),
      });
      return gateway;
    },
    passDeps() {
      const gw = app.gateway();
      return { db, gateway: gw, connect: () => gw.connect(), checkAccess: () => gw.checkAccess(ACCESS_CHECK_MAX_AGE_MS), log };
    },
    webhook() {
      const key = config.xero.webhookKey;
      if (key === null) return null;
      const deps = {
        state: db as StateDb, key, log: scopedLogger(log, { job: 'webhooks' }), foreignTenantsLogged: new Set<string>(),
        // Answered without a Xero call: until the gateway's first call settles the tenant, every event is stored.
        tenantId: () => config.xero.tenantId ?? gateway?.settledTenantId ?? null,
      };
      webhook ??= (input) => receiveWebhook(deps, input);
      return webhook;
    },
    close() {
      closing ??= (async () => {
        await db.destroy().catch(() => undefined);
        await closeLogger(log).catch(() => undefined);
      })();
      return closing;
    },
  };
  return app;
}

/**
 * A gateway whose daily budget and (for authorization_code) refresh token live in the Bitrix database. The one
 * place the state/ implementations of the gateway's ports are chosen; tests and the demo use it too.
 */
/**
 * A daemon pass re-proves the credentials at most this often (a new process always does): three small requests
 * that cost no API budget, yet need not run every few seconds.
 */
const ACCESS_CHECK_MAX_AGE_MS = 5 * 60_000;

export function gatewayForDatabase(options: XeroGatewayOptions, db: Kysely<any>, deps: Omit<XeroGatewayDeps, 'budgetStore' | 'tokenStore'> = {}): XeroGateway {
  return createXeroGateway(options, { ...deps, budgetStore: new DbGovernorBudgetStore(db), tokenStore: tokenStoreFor(options, db) });
}

export function tokenStoreFor(options: Pick<XeroGatewayOptions, 'instance' | 'clientSecret'>, db: Kysely<any>): TokenStore {
  return new TokenStore(db, { instance: options.instance ?? 'default', clientSecret: options.clientSecret });
}

/** compose(), `work`, then close() whatever happened: how one-shot commands use the root. */
export async function withComposition<T>(io: ComposeIo, options: ComposeOptions, work: (app: Composition) => Promise<T>): Promise<T> {
  const app = compose(io, options);
  try {
    return await work(app);
  } finally {
    await app.close();
  }
}
