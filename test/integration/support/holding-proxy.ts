import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface Match {
  method: string;
  /** Exact path, case-insensitive, without the query string, e.g. '/api.xro/2.0/Invoices'. */
  path: string;
}

export interface HeldRequest {
  /** Resolves when a matching request has arrived and is being held (not yet forwarded). */
  arrived: Promise<void>;
  /** Forwards the held request; its answer then reaches the client as usual. */
  release(): void;
}

export interface HeldResponse {
  /** Resolves once the upstream (the simulator) has answered: the call has been executed there. */
  answered: Promise<{ status: number }>;
}

/**
 * A plain HTTP forwarder between the daemon and the simulator that can stop one exchange at a chosen point, so a
 * test can freeze the daemon exactly there and kill it: before the request reaches Xero, or after Xero executed it
 * but before the daemon sees the answer. A test instrument standing where the network is; the daemon is unchanged.
 */
export class HoldingProxy {
  readonly #target: URL;
  readonly #sockets = new Set<Socket>();
  #server: Server | null = null;
  #port = 0;
  #holdRequest: { match: Match; arrived: () => void; gate: Promise<void> } | null = null;
  #holdResponse: { match: Match; answered: (v: { status: number }) => void } | null = null;

  constructor(target: string) {
    this.#target = new URL(target);
  }

  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  async start(): Promise<void> {
    this.#server = createServer((req, res) => void this.#handle(req, res));
    this.#server.on('connection', (s) => { this.#sockets.add(s); s.on('close', () => this.#sockets.delete(s)); });
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    const address = this.#server.address();
    if (address === null || typeof address === 'string') throw new Error('proxy did not bind');
    this.#port = address.port;
  }

  holdNextRequest(match: Match): HeldRequest {
    let arrived!: () => void;
    let release!: () => void;
    const arrivedP = new Promise<void>((r) => { arrived = r; });
    const gate = new Promise<void>((r) => { release = r; });
    this.#holdRequest = { match, arrived, gate };
    return { arrived: arrivedP, release };
  }

  holdNextResponse(match: Match): HeldResponse {
    let answered!: (v: { status: number }) => void;
    const p = new Promise<{ status: number }>((r) => { answered = r; });
    this.#holdResponse = { match, answered };
    return { answered: p };
  }

  async close(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    this.#server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const path = (req.url ?? '/').split('?')[0]!;
    const matches = (m: Match | undefined) => !!m && m.method === req.method && m.path.toLowerCase() === path.toLowerCase();

    if (this.#holdRequest && matches(this.#holdRequest.match)) {
      const held = this.#holdRequest;
      this.#holdRequest = null;
      held.arrived();
      await held.gate;
    }
    const holdAnswer = this.#holdResponse && matches(this.#holdResponse.match) ? this.#holdResponse : null;
    if (holdAnswer) this.#holdResponse = null;

    const upstream = request({
      host: this.#target.hostname, port: this.#target.port, method: req.method, path: req.url,
      headers: { ...req.headers, host: this.#target.host },
    }, (up) => {
      const upChunks: Buffer[] = [];
      up.on('data', (c: Buffer) => upChunks.push(c));
      up.on('end', () => {
        if (holdAnswer) {
          // Executed upstream; the answer is kept from the client for good (it is killed meanwhile).
          holdAnswer.answered({ status: up.statusCode ?? 0 });
          return;
        }
        if (res.destroyed) return;
        res.writeHead(up.statusCode ?? 502, up.headers);
        res.end(Buffer.concat(upChunks));
      });
    });
    upstream.on('error', () => { if (!res.destroyed) res.destroy(); });
    upstream.end(body);
  }
}
