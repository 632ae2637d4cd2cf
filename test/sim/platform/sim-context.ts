import type { FaultInjector } from './faults/fault-injector.ts';
import type { ClientRegistry } from './identity/client-registry.ts';
import type { IdentityDeps } from './identity/token-endpoint.ts';
import type { TokenStore } from './identity/token-store.ts';
import type { RsaSigner } from './identity/rsa-signer.ts';
import type { IdempotencyStore } from './limits/idempotency-store.ts';
import type { RateLimiter } from './limits/rate-limiter.ts';
import type { CallCounters } from './observability/call-counters.ts';
import type { RequestLog } from './observability/request-log.ts';
import type { ScaledClock } from './sim-clock.ts';
import type { TenantDirectory } from './tenant-directory.ts';
import type { WebhookEmitter } from './webhooks/webhook-emitter.ts';

/** Everything a request handler may use; built once per simulator by its composition root (simulator.ts). */
export interface SimContext extends IdentityDeps {
  clock: ScaledClock;
  clients: ClientRegistry;
  tokens: TokenStore;
  signer: RsaSigner;
  tenants: TenantDirectory;
  limiter: RateLimiter;
  idempotency: IdempotencyStore;
  faults: FaultInjector;
  log: RequestLog;
  counters: CallCounters;
  webhooks: WebhookEmitter;
  /** Real-time wait that ends early when the simulator closes. */
  sleep(ms: number): Promise<void>;
  /** Resolves when the simulator starts closing (a hung request waits on this). */
  closing: Promise<void>;
}
