import type { Authentication } from 'xero-node';

/**
 * A deadline on every Accounting API request, scoped to one AccountingApi instance.
 *
 * xero-node applies no timeout to API calls (axios' default is to wait forever) and its `options` argument only
 * carries headers. Setting `axios.defaults.timeout` on xero-node's axios would be process-global (every other
 * XeroClient and library sharing that axios copy would inherit it), and an interceptor would be too. Instead we use
 * the one per-instance hook every generated method calls on its request options just before sending:
 * `authentications.default.applyToRequest` (a no-op VoidAuth by default). Ours sets
 * - `timeout`: axios' socket-inactivity timeout ("timeout of N ms exceeded"), and
 * - `signal`: AbortSignal.timeout(N), a hard deadline for the whole exchange even if the server trickles bytes
 *   (axios reports it as "canceled"; since nothing else cancels our requests, the normaliser reads that as a timeout).
 */
export function requestDeadline(timeoutMs: number): Authentication {
  return {
    applyToRequest(requestOptions) {
      requestOptions.timeout = timeoutMs;
      requestOptions.signal = AbortSignal.timeout(timeoutMs);
    },
  };
}
