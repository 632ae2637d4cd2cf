import type { IncomingMessage, ServerResponse } from 'node:http';

/** Reads the whole request body. Bodies above the cap are refused rather than buffered without end. */
export async function readBody(req: IncomingMessage, maxBytes = 10 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > maxBytes) throw new Error(`request body over ${maxBytes} bytes`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** A fully serialised reply: what the idempotency store replays byte for byte. */
export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): WireResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: Buffer.from(JSON.stringify(body)),
  };
}

export function textResponse(status: number, text: string, contentType = 'text/plain; charset=utf-8', headers: Record<string, string> = {}): WireResponse {
  return { status, headers: { 'content-type': contentType, ...headers }, body: Buffer.from(text) };
}

export function emptyResponse(status: number, headers: Record<string, string> = {}): WireResponse {
  return { status, headers, body: Buffer.alloc(0) };
}

export function send(res: ServerResponse, wire: WireResponse, extraHeaders: Record<string, string> = {}): void {
  if (res.destroyed || res.headersSent) return;
  const headers = { ...wire.headers, ...extraHeaders, 'content-length': String(wire.body.length) };
  res.writeHead(wire.status, headers);
  res.end(wire.body);
}

/** Parses a JSON body; an empty body is undefined. Throws with a message a client can act on. */
export function parseJsonBody(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  const text = raw.toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`request body is not valid JSON: ${(error as Error).message}`);
  }
}

/** Lower-cased header map with string values (arrays joined), as the engine contract expects. */
export function flatHeaders(req: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
