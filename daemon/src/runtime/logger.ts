import type { Writable } from 'node:stream';
import winston from 'winston';
import type { Config, LogLevel } from '../config/config.ts';
import { secretValues } from '../config/redact.ts';
import { SecretRedactor } from '../util/redact.ts';

export type Logger = winston.Logger;

/** What child loggers are scoped by; every line of a sync pass carries its run id. */
export interface LogScope {
  run?: number | string;
  entity?: string;
  id?: number | string;
  /** The schedule a line belongs to in `b24xero run` (push, feed, scan, pull, nightly). */
  job?: string;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Secret values (client secret, DB password, webhook key: see config/redact.ts `secretValues`) masked anywhere. */
  secrets?: readonly string[];
  /**
   * The daemon's one redactor, shared with the Xero gateway so tokens it learns are masked here too. Given
   * `secrets` are registered with it. Default: a redactor of its own.
   */
  redactor?: SecretRedactor;
  /** Where JSON lines go; stdout (journald) unless given. */
  stream?: Writable;
  /** Fields on every line, e.g. { instance }. */
  defaultMeta?: Record<string, unknown>;
}

/** winston logger writing one JSON object per line, with secrets masked before anything is serialised. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const redactor = options.redactor ?? new SecretRedactor();
  for (const secret of options.secrets ?? []) redactor.add(secret);
  const transport = options.stream
    ? new winston.transports.Stream({ stream: options.stream })
    : new winston.transports.Console();
  return winston.createLogger({
    level: options.level ?? 'info',
    defaultMeta: options.defaultMeta,
    format: winston.format.combine(
      winston.format.errors({ stack: true }),
      winston.format.timestamp(),
      redactFormat({ redactor }),
      winston.format.json(),
    ),
    transports: [transport],
  });
}

/** The daemon's logger: level from LOG_LEVEL, the configured secrets masked, every line tagged with the instance. */
export function loggerFor(config: Config, stream?: Writable, redactor?: SecretRedactor): Logger {
  return createLogger({
    level: config.logLevel,
    secrets: secretValues(config),
    defaultMeta: { instance: config.instance },
    ...(stream && { stream }),
    ...(redactor && { redactor }),
  });
}

/** A child logger whose lines carry { run, entity, id, job }. */
export function scopedLogger(logger: Logger, scope: LogScope): Logger {
  return logger.child(scope);
}

/** Waits until every line is written; call before the process ends so journald gets the last ones. */
export function closeLogger(logger: Logger): Promise<void> {
  return new Promise((resolve) => {
    if (logger.writableFinished) {
      resolve();
      return;
    }
    logger.once('finish', () => resolve());
    logger.end();
  });
}

/**
 * winston format that passes every line through the redactor (messages, stacks, URLs, nested payloads, Errors).
 * winston keeps level/message under symbols too; they are copied so later formats still find them.
 */
const redactFormat = winston.format((info, opts?: unknown) => {
  const redactor = (opts as { redactor: SecretRedactor }).redactor;
  const out = redactor.value({ ...info }) as typeof info;
  for (const symbol of Object.getOwnPropertySymbols(info)) {
    (out as unknown as Record<symbol, unknown>)[symbol] = redactor.value((info as unknown as Record<symbol, unknown>)[symbol]);
  }
  return out;
});
