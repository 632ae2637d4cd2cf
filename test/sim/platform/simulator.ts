import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { AccountingResponse, OrgOptions, Organisation } from '../contract.ts';
import type { AdminApi, SimSnapshot } from './admin-routes.ts';
import { accountingEngine } from '../accounting/index.ts';
import { FaultInjector, type ActiveFault } from './faults/fault-injector.ts';
import { parseFaultSpec, type FaultSpec, type RandomFaultRates } from './faults/fault-spec.ts';
import { seededRandom } from './faults/seeded-random.ts';
import { ClientRegistry } from './identity/client-registry.ts';
import { RsaSigner } from './identity/rsa-signer.ts';
import { TokenStore } from './identity/token-store.ts';
import { IdempotencyStore } from './limits/idempotency-store.ts';
import { RateLimiter } from './limits/rate-limiter.ts';
import { CallCounters, type CountersSnapshot } from './observability/call-counters.ts';
import { RequestLog, type RequestLogEntry, type RequestLogFilter } from './observability/request-log.ts';
import { routeRequest } from './request-router.ts';
import { ScaledClock } from './sim-clock.ts';
import type { SimContext } from './sim-context.ts';
import { DEFAULT_CLIENT, DEFAULT_LIMITS, MINUTE_MS, DAY_MS, type SimLimits, type SimOptions } from './sim-options.ts';
import { TenantDirectory, type TenantSummary } from './tenant-directory.ts';
import { APP_WIDE, WebhookEmitter, type IntentToReceiveResult, type WebhookDelivery, type WebhookTarget } from './webhooks/webhook-emitter.ts';

// A type alias (not an interface) so it is assignable to openid-client's index-signature TokenSetParameters.
export type TokenResponse = {
  access_token: string;
  expires_in: number;
  token_type: string;
  scope: string;
  refresh_token?: string;
  id_token?: string;
};

/** A running simulator: its address, default credentials, and the in-process twin of the /_sim admin API. */
export interface RunningSimulator extends AdminApi {
  readonly url: string;
  readonly port: number;
  /** The first configured client (default `sim-client` / `sim-secret`). */
  readonly clientId: string;
  readonly clientSecret: string;
  readonly clock: ScaledClock;
  /** The first organisation's tenant id. */
  readonly defaultTenantId: string;
  organisation(tenantId: string): Organisation | undefined;
  /** Calls counted in the tenant's current minute and day windows, and its calls in flight. */
  limitUsage(tenantId: string): { minute: number; day: number; inFlight: number };
  /** A client_credentials token from the simulator's own token endpoint (over HTTP, like any client). */
  fetchToken(clientId?: string, clientSecret?: string): Promise<TokenResponse>;
  /** Closes the server, drops every open socket (hung ones too), stops webhooks, writes the snapshot file if set. Idempotent. */
  close(): Promise<void>;
}

const SNAPSHOT_VERSION = 1;

export async function startSimulator(options: SimOptions = {}): Promise<RunningSimulator> {
  const engine = options.engine ?? accountingEngine;
  const clock = new ScaledClock(options.timeScale ?? 1);
  const random = seededRandom(options.seed ?? Date.now());
  const webhooks = new WebhookEmitter(options.webhookBatchMs ?? 50, random);
  const tenants = new TenantDirectory(engine, clock, (event) => webhooks.enqueue(event));

  if (options.snapshotFile && existsSync(options.snapshotFile)) {
    tenants.restore(readSnapshot(JSON.parse(await readFile(options.snapshotFile, 'utf8'))));
  } else {
    for (const org of options.organisations ?? [{ country: 'NZ' }]) tenants.create(org);
  }

  const closeController = new AbortController();
  const closing = new Promise<void>((resolve) => closeController.signal.addEventListener('abort', () => resolve(), { once: true }));
  let baseUrl = '';
  const ctx: SimContext = {
    clock,
    clients: new ClientRegistry(options.clients ?? [DEFAULT_CLIENT], () => tenants.ids()),
    tokens: new TokenStore(clock, {
      accessTokenMs: options.accessTokenTtlMs ?? 30 * MINUTE_MS,
      refreshTokenMs: 60 * DAY_MS,
      refreshGraceMs: options.refreshGraceMs ?? 30 * MINUTE_MS,
      authCodeMs: 5 * MINUTE_MS,
    }),
    signer: new RsaSigner(),
    issuer: () => baseUrl,
    tenants,
    limiter: new RateLimiter(clock, { ...DEFAULT_LIMITS, ...options.limits }),
    idempotency: new IdempotencyStore(clock, options.idempotencyTtlMs ?? 6 * MINUTE_MS),
    faults: new FaultInjector(random, options.randomFaults),
    log: new RequestLog(options.requestLogLimit ?? 10_000),
    counters: new CallCounters(),
    webhooks,
    sleep: (ms) => sleepUnlessClosed(ms, closeController.signal),
    closing,
  };
  // Options may come from a JSON config file, so faults are validated like the admin API's.
  for (const fault of options.faults ?? []) ctx.faults.add(parseFaultSpec(fault));

  const sim = new Simulator(ctx, closeController, options.snapshotFile);
  const server = createServer((req, res) => void routeRequest(ctx, sim, req, res));
  await sim.listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  baseUrl = sim.url;
  return sim;
}

class Simulator implements RunningSimulator {
  readonly #ctx: SimContext;
  readonly #closeController: AbortController;
  readonly #snapshotFile: string | undefined;
  readonly #sockets = new Set<Socket>();
  #server: Server | undefined;
  #port = 0;
  #host = '127.0.0.1';
  #closed: Promise<void> | undefined;

  constructor(ctx: SimContext, closeController: AbortController, snapshotFile: string | undefined) {
    this.#ctx = ctx;
    this.#closeController = closeController;
    this.#snapshotFile = snapshotFile;
  }

  async listen(server: Server, port: number, host: string): Promise<void> {
    this.#server = server;
    server.on('connection', (socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('simulator did not bind a TCP port');
    this.#port = address.port;
    this.#host = host;
  }

  get url(): string {
    return `http://${this.#host}:${this.#port}`;
  }
  get port(): number {
    return this.#port;
  }
  get clientId(): string {
    return this.#ctx.clients.first.clientId;
  }
  get clientSecret(): string {
    return this.#ctx.clients.first.clientSecret;
  }
  get clock(): ScaledClock {
    return this.#ctx.clock;
  }
  get defaultTenantId(): string {
    const first = this.#ctx.tenants.ids()[0];
    if (!first) throw new Error('the simulator has no organisation');
    return first;
  }

  organisation(tenantId: string): Organisation | undefined {
    return this.#ctx.tenants.get(tenantId);
  }

  tenants(): TenantSummary[] {
    return this.#ctx.tenants.list();
  }

  createTenant(options: OrgOptions): TenantSummary {
    const org = this.#ctx.tenants.create(options);
    return this.tenants().find((t) => t.tenantId === org.tenantId)!;
  }

  tenantAdmin(tenantId: string, action: string, method: string, body: unknown): AccountingResponse {
    const org = this.#ctx.tenants.get(tenantId);
    if (!org) throw new Error(`no tenant ${tenantId}`);
    return org.admin(action, method.toUpperCase(), body);
  }

  async fetchToken(clientId = this.clientId, clientSecret = this.clientSecret): Promise<TokenResponse> {
    const res = await fetch(`${this.url}/connect/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${formEncode(clientId)}:${formEncode(clientSecret)}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`token request failed: ${res.status} ${text.slice(0, 200)}`);
    return JSON.parse(text) as TokenResponse;
  }

  requests(filter?: RequestLogFilter): RequestLogEntry[] {
    return this.#ctx.log.list(filter);
  }
  clearRequests(): void {
    this.#ctx.log.clear();
  }
  counters(): CountersSnapshot {
    return this.#ctx.counters.snapshot();
  }
  resetCounters(): void {
    this.#ctx.counters.reset();
  }

  faults(): { faults: ActiveFault[]; random: RandomFaultRates } {
    return this.#ctx.faults.list();
  }
  addFault(spec: FaultSpec): ActiveFault {
    return this.#ctx.faults.add(spec);
  }
  removeFault(id: string): boolean {
    return this.#ctx.faults.remove(id);
  }
  clearFaults(): void {
    this.#ctx.faults.clear();
  }
  setRandomFaults(rates: RandomFaultRates): void {
    this.#ctx.faults.setRandomRates(rates);
  }

  limits(): SimLimits {
    return this.#ctx.limiter.limits;
  }
  setLimits(limits: Partial<SimLimits>): void {
    this.#ctx.limiter.setLimits(limits);
  }
  limitUsage(tenantId: string): { minute: number; day: number; inFlight: number } {
    return this.#ctx.limiter.usage(tenantId);
  }

  advanceClock(ms: number): Date {
    return this.#ctx.clock.advance(ms);
  }
  now(): Date {
    return this.#ctx.clock.now();
  }

  snapshot(): SimSnapshot {
    return { version: SNAPSHOT_VERSION, takenAt: this.now().toISOString(), organisations: this.#ctx.tenants.snapshot() };
  }

  restore(snapshot: unknown): void {
    this.#ctx.tenants.restore(readSnapshot(snapshot));
  }

  async saveSnapshot(file = this.#snapshotFile): Promise<string> {
    if (!file) throw new Error('no snapshot file: pass one or start the simulator with snapshotFile');
    // Write then rename, so a crash mid-write never leaves a half snapshot where a good one was.
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(this.snapshot(), null, 2));
    await rename(tmp, file);
    return file;
  }

  configureWebhook(tenantId: string, target: WebhookTarget | undefined): void {
    if (tenantId !== APP_WIDE && !this.#ctx.tenants.get(tenantId)) throw new Error(`no tenant ${tenantId}`);
    this.#ctx.webhooks.configure(tenantId, target);
  }
  webhooks(): { targets: Record<string, { url: string }>; deliveries: WebhookDelivery[] } {
    return { targets: this.#ctx.webhooks.targets(), deliveries: this.#ctx.webhooks.deliveries() };
  }
  flushWebhooks(): Promise<void> {
    return this.#ctx.webhooks.flush();
  }
  intentToReceive(target: WebhookTarget): Promise<IntentToReceiveResult> {
    return this.#ctx.webhooks.intentToReceive(target);
  }

  close(): Promise<void> {
    this.#closed ??= this.#shutdown();
    return this.#closed;
  }

  async #shutdown(): Promise<void> {
    this.#closeController.abort();
    const server = this.#server;
    const stopped = server ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
    // Hung requests never end by themselves, and keep-alive sockets would hold close() open: drop them all.
    for (const socket of this.#sockets) socket.destroy();
    server?.closeAllConnections();
    await Promise.all([stopped, this.#ctx.webhooks.close()]);
    if (this.#snapshotFile) await this.saveSnapshot(this.#snapshotFile);
  }
}

function readSnapshot(snapshot: unknown): unknown[] {
  const s = snapshot as Partial<SimSnapshot> | null;
  if (!s || typeof s !== 'object' || s.version !== SNAPSHOT_VERSION || !Array.isArray(s.organisations)) {
    throw new Error(`not a simulator snapshot (expected { version: ${SNAPSHOT_VERSION}, organisations: [...] })`);
  }
  return s.organisations;
}

function sleepUnlessClosed(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

/** RFC 6749 §2.3.1: the Basic credentials' halves are form-urlencoded first. */
function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}
