import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import type { HttpListen } from '../config/config.ts';
import type { Health } from './health.ts';
import type { DaemonMetrics } from './metrics.ts';

/**
 * The daemon's HTTP side (HTTP_LISTEN): /healthz, /metrics and /webhooks/xero. It binds loopback only unless the
 * configuration says otherwise explicitly (HTTP_ALLOW_REMOTE=true): metrics and health are for the machine's own
 * Prometheus and monitoring; Xero's webhooks reach it through the site's reverse proxy (README "Webhooks").
 */

/** What the pull side's receiveWebhook(deps, { rawBody, signature }) answers. */
export interface WebhookAnswer {
  status: number;
  body: string;
}

export type WebhookHandler = (input: { rawBody: Buffer; signature: string | null }) => Promise<WebhookAnswer>;

export interface HttpListenerOptions {
  listen: HttpListen;
  allowRemote: boolean;
  health: Health;
  metrics: DaemonMetrics;
  /** Xero webhooks (the pull's receiveWebhook); null until it is wired, answered 503 meanwhile. */
  webhook: WebhookHandler | null;
  log: { warn(message: string, meta?: Record<string, unknown>): unknown };
}

/** Xero's webhook payloads are small (a few events); anything much larger is not from Xero. */
const MAX_BODY = 1024 * 1024;

export class ListenAddressError extends Error {
  override name = 'ListenAddressError';
}

export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1';
  return false;
}

export class HttpListener {
  readonly #o: HttpListenerOptions;
  #server: Server | null = null;
  #closing: Promise<void> | null = null;

  constructor(options: HttpListenerOptions) {
    if (!isLoopback(options.listen.host) && !options.allowRemote) {
      throw new ListenAddressError(
        `HTTP_LISTEN=${options.listen.host}:${options.listen.port} is not a loopback address; /metrics and /healthz would be reachable ` +
        'from the network. Use 127.0.0.1:PORT behind a reverse proxy, or set HTTP_ALLOW_REMOTE=true if that is what you want.',
      );
    }
    this.#o = options;
  }

  /** The bound port (useful with port 0). */
  get port(): number {
    const address = this.#server?.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => void this.#route(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#o.listen.port, this.#o.listen.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.#server = server;
  }

  /** Stops accepting, ends idle keep-alive sockets. Idempotent; never rejects. */
  close(): Promise<void> {
    this.#closing ??= new Promise<void>((resolve) => {
      const server = this.#server;
      if (!server) return resolve();
      server.close(() => resolve());
      server.closeIdleConnections();
      setTimeout(() => { server.closeAllConnections(); }, 2_000).unref();
    });
    return this.#closing;
  }

  async #route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://local').pathname;
    try {
      if (path === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) return this.#healthz(res);
      if (path === '/metrics' && req.method === 'GET') {
        const { contentType, body } = await this.#o.metrics.text();
        return send(res, 200, body, contentType);
      }
      if (path === '/webhooks/xero') return await this.#webhook(req, res);
      return send(res, 404, JSON.stringify({ error: `no route ${req.method} ${path}` }));
    } catch (error) {
      this.#o.log.warn('http request failed', { path, error: (error as Error).message });
      return send(res, 500, JSON.stringify({ error: 'internal error' }));
    }
  }

  #healthz(res: ServerResponse): void {
    const summary = this.#o.health.summary();
    const reason = this.#o.health.healthy ? undefined : this.#o.health.statusLine();
    send(res, this.#o.health.healthy ? 200 : 503, JSON.stringify(reason ? { ...summary, reason } : summary));
  }

  async #webhook(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') return send(res, 405, JSON.stringify({ error: 'POST only' }));
    if (!this.#o.webhook) return send(res, 503, JSON.stringify({ error: 'Xero webhook handling is not enabled in this daemon (XERO_WEBHOOK_KEY unset?)' }));
    const rawBody = await readBody(req);
    if (rawBody === null) return send(res, 413, JSON.stringify({ error: `body over ${MAX_BODY} bytes` }));
    const header = req.headers['x-xero-signature'];
    const answer = await this.#o.webhook({ rawBody, signature: typeof header === 'string' ? header : null });
    send(res, answer.status, answer.body);
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, status: number, body: string, contentType = 'application/json; charset=utf-8'): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
}
