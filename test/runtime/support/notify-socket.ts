import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface DgramSocketLike {
  bind(path: string): void;
  on(event: 'data', fn: (buf: Buffer) => void): void;
  close(): void;
}

/**
 * What systemd does for a Type=notify unit: a unix datagram socket the service's $NOTIFY_SOCKET names. Every
 * datagram received is kept as its KEY=value lines.
 */
export interface NotifyListener {
  path: string;
  messages: Array<Record<string, string>>;
  /** Every value of `key` received, in order. */
  values(key: string): string[];
  close(): void;
}

export function listenForNotify(): NotifyListener {
  const dir = mkdtempSync(join(tmpdir(), 'b24x-notify-'));
  const path = join(dir, 'notify.sock');
  const { DgramSocket } = createRequire(import.meta.url)('node-unix-socket') as { DgramSocket: new () => DgramSocketLike };
  const socket = new DgramSocket();
  socket.bind(path);
  const messages: Array<Record<string, string>> = [];
  socket.on('data', (buf) => {
    const fields: Record<string, string> = {};
    for (const line of buf.toString('utf8').split('\n')) {
      const at = line.indexOf('=');
      if (at > 0) fields[line.slice(0, at)] = line.slice(at + 1);
    }
    messages.push(fields);
  });
  return {
    path, messages,
    values: (key) => messages.filter((m) => key in m).map((m) => m[key]!),
    close() {
      socket.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
