import { OrgUnavailableError } from '../sync/push/org-loader.ts';
import { PassInterruptedError, XeroUnavailableError } from '../sync/push/tenant-outage.ts';
import { XeroAccessError, XeroApiError } from '../xero/index.ts';

/** mysql2 codes of a server that is down, restarting or unreachable (not of a bad query). */
const DB_DOWN = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT', 'ER_SERVER_SHUTDOWN', 'ER_CON_COUNT_ERROR', 'ER_NORMAL_SHUTDOWN', 'ER_SHUTDOWN_COMPLETE',
  'ER_CONNECTION_KILLED', 'ECONNABORTED',
]);
/** Xero failures that say Xero (or the way to it) is down rather than that one record is wrong. */
const XERO_DOWN = new Set(['network', 'timeout', 'server']);

/**
 * What a failed job says about the world: the database is gone, Xero is gone or refuses the tenant, the daemon is
 * stopping, or something else (a bug, bad data the pass could not isolate) — which only the log can explain.
 */
export type FailureSource = 'database' | 'xero' | 'interrupted' | 'other';

export function failureSource(error: unknown): FailureSource {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof PassInterruptedError) return 'interrupted';
    if (e instanceof XeroUnavailableError || e instanceof OrgUnavailableError) return 'xero';
    if (e instanceof XeroApiError || e instanceof XeroAccessError) return 'xero';
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && DB_DOWN.has(code)) return 'database';
    if ((e as { fatal?: unknown }).fatal === true) return 'database';
    if (e instanceof Error && /Pool is closed|Can't add new command when connection is in closed state|connection is in closed state/i.test(e.message)) return 'database';
  }
  return 'other';
}

/** A Xero call outcome that means "Xero is unreachable" (no answer, a timeout or a 5xx) — not a refusal of ours. */
export function xeroLooksDown(call: { status: number; errorType: string | null }): boolean {
  return call.errorType !== null && XERO_DOWN.has(call.errorType);
}
