import { XeroApiError, type XeroErrorType } from '../../xero/index.ts';

/**
 * Failures that say nothing about the record being pushed and will repeat for every record after it: our daily
 * budget is spent (or Xero blocks the tenant for longer than the governor waits), the credentials were revoked, or
 * the organisation was disconnected.
 */
const TENANT_WIDE: readonly XeroErrorType[] = ['budget_exhausted', 'rate_limit', 'auth', 'forbidden'];

/**
 * The pass stopped part-way because Xero refuses this tenant's calls for now. What it finished is kept (links,
 * scan cursors of completed pages); the change-feed claims go back and the scan resumes at the page that failed —
 * instead of storing the same outage as an error on every remaining record and moving the cursor past them.
 */
export class XeroUnavailableError extends Error {
  override name = 'XeroUnavailableError';
  constructor(readonly xeroError: XeroApiError) {
    super(`the pass stopped: Xero refuses calls for this tenant for now: ${xeroError.message}`, { cause: xeroError });
  }
}

export function isTenantWide(error: unknown): error is XeroApiError {
  return error instanceof XeroApiError && TENANT_WIDE.includes(error.type);
}

/**
 * The pass is asked to end between two units of work (the daemon is shutting down): like an outage it ends the pass
 * where it is — claims go back, cursors stay at the last finished page — and it is no record's failure.
 */
export class PassInterruptedError extends Error {
  override name = 'PassInterruptedError';
}

/**
 * Rethrows a tenant-wide Xero failure as XeroUnavailableError (the pass's failure), and an interruption as it is;
 * other errors are the caller's.
 */
export function stopIfTenantWide(error: unknown): void {
  if (error instanceof PassInterruptedError) throw error;
  if (isTenantWide(error)) throw new XeroUnavailableError(error);
}
