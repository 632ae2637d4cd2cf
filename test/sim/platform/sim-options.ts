import type { AccountingEngine, OrgOptions } from '../contract.ts';
import type { FaultSpec, RandomFaultRates } from './faults/fault-spec.ts';

export interface SimClientOptions {
  clientId: string;
  clientSecret: string;
  /** Organisations this app is connected to. Omitted: every organisation, including ones created later. */
  tenantIds?: string[];
}

export interface SimLimits {
  /** Requests in flight per tenant. */
  concurrent: number;
  /** Calls per tenant per (simulated) minute. */
  perMinute: number;
  /** Calls per tenant per (simulated) day. */
  perDay: number;
  /** Calls per app across all tenants per (simulated) minute. */
  appPerMinute: number;
}

export interface SimOptions {
  /** 0 (the default in-process) picks a free port. */
  port?: number;
  host?: string;
  /** Seeds the PRNG behind random faults and webhook entropy, so a run can be repeated. */
  seed?: number;
  /** K: simulated time runs K times faster than real time. Default 1. */
  timeScale?: number;
  /** Organisations to create at start. Default: one NZ organisation. */
  organisations?: OrgOptions[];
  /** Apps that may get tokens. Default: clientId `sim-client`, clientSecret `sim-secret`, all organisations. */
  clients?: SimClientOptions[];
  limits?: Partial<SimLimits>;
  /** Simulated ms an Idempotency-Key is remembered. Default 6 minutes. */
  idempotencyTtlMs?: number;
  /** Simulated ms an access token lives. Default 30 minutes. */
  accessTokenTtlMs?: number;
  /** Simulated ms a rotated refresh token stays usable. Default 30 minutes. */
  refreshGraceMs?: number;
  /** Restored at start when the file exists; written on close and on POST /_sim/snapshot/save. */
  snapshotFile?: string;
  /** Faults active from the start. */
  faults?: FaultSpec[];
  /** Random faults (drawn from the seeded PRNG), per kind a probability 0..1. */
  randomFaults?: RandomFaultRates;
  /** Real ms the webhook emitter waits to batch events into one delivery. Default 50. */
  webhookBatchMs?: number;
  /** Request-log entries kept (oldest dropped first). Default 10,000. */
  requestLogLimit?: number;
  /** The accounting engine. Default: test/sim/accounting. */
  engine?: AccountingEngine;
}

export const DEFAULT_CLIENT: SimClientOptions = Object.freeze({ clientId: 'sim-client', clientSecret: 'sim-secret' });

export const DEFAULT_LIMITS: SimLimits = Object.freeze({ concurrent: 5, perMinute: 60, perDay: 5000, appPerMinute: 10_000 });

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;
