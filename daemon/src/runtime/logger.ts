import type { Writable } from 'node:stream';
import winston from 'winston';
import type { Config, LogLevel } from '../config/config.ts';
import { secretValues } from '../config/redact.ts';

export type Logger = winston.Logger;

/** What child loggers are scoped by; every line of a sync pass carries its run id. */
export interface LogScope {
  run?: number | string;
  entity?: string;
  id?: number | string;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Secret values (client secret, DB password, webhook key: see config/redact.ts `secretValues`) masked anywhere. */
  secrets?: readonly string[];
  /** Where JSON lines go; stdout (journald) unless given. */
  stream?: Writable;
  /** Fields on every line, e.g. { instance }. */
  defaultMeta?: Record<string, unknown>;
}

const MASK = '***';
/** Field names whose values are secrets whatever they hold. */
export const SECRET_KEY_PATTERN = /secret|password|passwd|token|authorization|key/i;
/** Names that match the pattern but are identifiers we need to read in logs, not secrets. */
const NOT_SECRET_KEYS = new Set(['idempotencykey', 'idempotency_key', 'dedupekey', 'dedupe_key']);

/** winston logger writing one JSON object per line, with secrets masked before anything is serialised. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const transport = options.stream
    ? new winston.transports.Stream({ stream: options.stream })
    : new winston.transports.Console();
  return winston.createLogger({
    level: options.level ?? 'info',
    defaultMeta: options.defaultMeta,
    format: winston.format.combine(
      winston.format.errors({ stack: true }),
      winston.format.timestamp(),
      redactFormat({ secrets: options.secrets ?? [] }),
      winston.format.json(),
    ),
    transports: [transport],
  });
}

/** The daemon's logger: level from LOG_LEVEL, the configured secrets masked, every line tagged with the instance. */
export function loggerFor(config: Config, stream?: Writable): Logger {
  return createLogger({
    level: config.logLevel,
    secrets: secretValues(config),
    defaultMeta: { instance: config.instance },
    ...(stream && { stream }),
  });
}

/** A child logger whose lines carry { run, entity, id }. */
export function scopedLogger(logger: Logger, scope: LogScope): Logger {
  return logger.child(scope);
}

/** Waits until every line is written; call before the process ends so journald gets the last ones. */
export function closeLogger(logger: Logger): Promise<void> {
  return new Promise((resolve) => {
    logger.once('finish', () => resolve());
    logger.end();
  });
}

/**
 * winston format that masks secret-named fields and every occurrence of a known secret value in strings
 * (messages, stacks, URLs, nested payloads). Works on a copy: the caller's objects are never changed.
 */
export const redactFormat = winston.format((info, opts?: unknown) => {
  const given = (opts as { secrets?: readonly string[] } | undefined)?.secrets ?? [];
  const secrets = [...given].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
  const out = redactValue(info, secrets, new WeakMap()) as typeof info;
  // winston keeps level/message under symbols too; copy them so later formats still find them.
  for (const symbol of Object.getOwnPropertySymbols(info)) {
    (out as unknown as Record<symbol, unknown>)[symbol] = redactValue(
      (info as unknown as Record<symbol, unknown>)[symbol], secrets, new WeakMap(),
    );
  }
  return out;
});

export function redactValue(value: unknown, secrets: readonly string[], seen: WeakMap<object, unknown>): unknown {
  if (typeof value === 'string') return maskSecrets(value, secrets);
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return seen.get(value);
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    seen.set(value, copy);
    for (const item of value) copy.push(redactValue(item, secrets, seen));
    return copy;
  }
  const copy: Record<string, unknown> = {};
  seen.set(value, copy);
  // Errors keep message/stack as own but non-enumerable properties; bring them along so they are masked too.
  if (value instanceof Error) {
    copy.name = value.name;
    copy.message = maskSecrets(value.message, secrets);
    if (value.stack) copy.stack = maskSecrets(value.stack, secrets);
  }
  for (const [key, inner] of Object.entries(value)) {
    copy[key] = isSecretKey(key) && inner !== null && inner !== undefined ? MASK : redactValue(inner, secrets, seen);
  }
  return copy;
}

export function isSecretKey(key: string): boolean {
  return SECRET_KEY_PATTERN.test(key) && !NOT_SECRET_KEYS.has(key.toLowerCase());
}

function maskSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (out.includes(secret)) out = out.split(secret).join(MASK);
    // URLs carry passwords percent-encoded.
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret && out.includes(encoded)) out = out.split(encoded).join(MASK);
  }
  return out;
}
