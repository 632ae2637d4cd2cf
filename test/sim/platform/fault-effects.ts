import type { ServerResponse } from 'node:http';
import type { FaultSpec } from './faults/fault-spec.ts';
import type { WireResponse } from './http-io.ts';
import { textResponse } from './http-io.ts';
import { internalError, notFound, serviceUnavailable } from './problem-responses.ts';
import type { SimContext } from './sim-context.ts';

/** The socket was destroyed or left hanging: nothing is to be sent. */
export const DROPPED = Symbol('dropped');
export type Handled = WireResponse | typeof DROPPED;

/**
 * Applies the faults that replace the real answer before any work (500, 503, 429, 404, reset, and hang unless the caller
 * handles it later). Latency and reset-after are applied by the caller at their own point; for those this returns
 * undefined.
 */
export async function applyReplacingFault(
  ctx: SimContext,
  fault: FaultSpec | undefined,
  res: ServerResponse,
  options: { hangLater?: boolean } = {},
): Promise<Handled | undefined> {
  if (!fault || (fault.kind === 'hang' && options.hangLater)) return undefined;
  switch (fault.kind) {
    case '500':
      return internalError();
    case '503':
      return serviceUnavailable();
    case '429':
      return rateLimitBurst();
    case '404':
      return notFound();
    case 'reset':
      res.socket?.destroy();
      return DROPPED;
    case 'hang':
      await hang(ctx, fault.ms, res);
      return DROPPED;
    default:
      return undefined;
  }
}

/**
 * Holds the request without answering until the client gives up (its socket closes), the optional `ms` pass, or the
 * simulator closes; then drops the connection. While it hangs it keeps its concurrency slot, as a slow call does at Xero.
 */
export async function hang(ctx: SimContext, ms: number | undefined, res: ServerResponse): Promise<void> {
  const clientGone = new Promise<void>((resolve) => {
    if (res.destroyed || !res.socket || res.socket.destroyed) resolve();
    else res.once('close', () => resolve());
  });
  await Promise.race([ctx.closing, clientGone, ...(ms === undefined ? [] : [ctx.sleep(ms)])]);
  res.socket?.destroy();
}

function rateLimitBurst(): WireResponse {
  return textResponse(429, 'Rate limit exceeded', 'text/plain; charset=utf-8', { 'retry-after': '1', 'x-rate-limit-problem': 'minute' });
}
