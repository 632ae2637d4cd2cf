import { readFile } from 'node:fs/promises';
import { sql, type Kysely } from 'kysely';
import { startSimulator, type RunningSimulator, type SimOptions } from '../../sim/index.ts';
import type { Clock } from '../../../daemon/src/xero/clock.ts';
import type { XeroGatewayOptions } from '../../../daemon/src/xero/gateway-options.ts';

/** Gateway options pointing every base URL at `sim`: no patching of xero-node, only configuration. */
export function gatewayOptionsFor(sim: RunningSimulator, overrides: Partial<XeroGatewayOptions> = {}): XeroGatewayOptions {
  return {
    clientId: sim.clientId,
    clientSecret: sim.clientSecret,
    auth: 'client_credentials',
    apiUrl: `${sim.url}/api.xro/2.0`,
    identityUrl: sim.url,
    connectionsUrl: `${sim.url}/connections`,
    timeoutMs: 5_000,
    minuteLimit: 60,
    dailyBudget: 5_000,
    instance: 'test',
    ...overrides,
  };
}

export function startSim(options: SimOptions = {}): Promise<RunningSimulator> {
  return startSimulator({ port: 0, seed: 42, ...options });
}

/** Applies sql/001_initial.sql (the module tables) to a test database. */
export async function applyModuleSchema(db: Kysely<any>): Promise<void> {
  const text = await readFile(new URL('../../../sql/001_initial.sql', import.meta.url), 'utf8');
  const statements = text
    .split('\n').map((line) => line.replace(/--.*$/, '')).join('\n')
    .split(/;\s*(?:\n|$)/).map((s) => s.trim()).filter(Boolean);
  for (const statement of statements) await sql.raw(statement).execute(db);
}

/** Wall-clock time that a test can move forward (to make a token look near expiry without waiting). */
export class OffsetClock implements Clock {
  offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
  }
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
