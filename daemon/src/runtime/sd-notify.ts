import { createRequire } from 'node:module';
import type { Env } from '../config/config.ts';

/**
 * systemd's notification protocol (sd_notify(3)): newline-separated `KEY=value` lines in one datagram to the unix
 * socket named by $NOTIFY_SOCKET ('@name' = the abstract namespace). Node's `dgram` has no unix datagram sockets,
 * so the send goes through `node-unix-socket`: a maintained N-API addon whose compiled binaries ship in the npm
 * package itself (no node-gyp, no compiler, no install script on the server), and which handles abstract names.
 * The alternatives were worse for an installed product: `unix-dgram` and `sd-notify` compile at `npm ci` (and the
 * latter links libsystemd), and spawning `systemd-notify` per message is refused under NotifyAccess=main.
 */

export interface NotifyFields {
  READY?: 1;
  STOPPING?: 1;
  WATCHDOG?: 1;
  /** One line for `systemctl status`. */
  STATUS?: string;
  /** errno-style code shown by systemctl when the service fails. */
  ERRNO?: number;
  /** How long systemd should wait for us beyond TimeoutStopSec (microseconds), while stopping takes long. */
  EXTEND_TIMEOUT_USEC?: number;
}

export interface Notifier {
  /** True when $NOTIFY_SOCKET is set (the unit is Type=notify). */
  readonly enabled: boolean;
  /** Half of $WATCHDOG_USEC in ms (when systemd asked for keep-alives for this process), else null. */
  readonly watchdogIntervalMs: number | null;
  notify(fields: NotifyFields): Promise<void>;
  close(): void;
}

interface DgramSocketLike {
  sendTo(buf: Buffer, offset: number, length: number, path: string, cb?: (err: Error | undefined) => void): void;
  close(): void;
}

export class NotifySocketError extends Error {
  override name = 'NotifySocketError';
}

/** A Notifier for this process's environment; a no-op one when $NOTIFY_SOCKET is unset (run by hand). */
export function createNotifier(env: Env, pid: number = process.pid): Notifier {
  const target = env.NOTIFY_SOCKET?.trim();
  const watchdogIntervalMs = watchdogInterval(env, pid);
  if (!target) return { enabled: false, watchdogIntervalMs, notify: async () => undefined, close: () => undefined };
  const socket = openSocket();
  // sd_notify(3): a leading '@' names an abstract socket, whose address starts with a NUL byte.
  const path = target.startsWith('@') ? `\0${target.slice(1)}` : target;
  let closed = false;
  return {
    enabled: true,
    watchdogIntervalMs,
    notify(fields) {
      if (closed) return Promise.resolve();
      const message = Buffer.from(formatNotify(fields), 'utf8');
      return new Promise((resolve, reject) => {
        socket.sendTo(message, 0, message.length, path, (err) => (err ? reject(new NotifySocketError(`sd_notify to ${target}: ${err.message}`)) : resolve()));
      });
    },
    close() {
      if (closed) return;
      closed = true;
      socket.close();
    },
  };
}

/** 'READY=1\nSTATUS=…': STATUS is one line (a newline would start a new assignment). */
export function formatNotify(fields: NotifyFields): string {
  return Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${String(value).replace(/[\r\n]+/g, ' ')}`)
    .join('\n');
}

function watchdogInterval(env: Env, pid: number): number | null {
  const usec = Number(env.WATCHDOG_USEC);
  if (!Number.isFinite(usec) || usec <= 0) return null;
  // WATCHDOG_PID names the process the keep-alives are expected from; a child process must not answer for it.
  if (env.WATCHDOG_PID && Number(env.WATCHDOG_PID) !== pid) return null;
  return Math.max(1, Math.floor(usec / 1000 / 2));
}

function openSocket(): DgramSocketLike {
  try {
    const require = createRequire(import.meta.url);
    const { DgramSocket } = require('node-unix-socket') as { DgramSocket: new () => DgramSocketLike };
    return new DgramSocket();
  } catch (error) {
    throw new NotifySocketError(
      `NOTIFY_SOCKET is set but the unix datagram binding (node-unix-socket) cannot load on this platform: ${(error as Error).message}. ` +
      'Run the unit as Type=simple (no sd_notify) or install on a platform node-unix-socket ships a binary for.',
    );
  }
}
