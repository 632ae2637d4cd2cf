import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Writable } from 'node:stream';
import type { Env } from '../config/config.ts';

/** What a command gets from the entry point; nothing global, so commands run the same in tests and in the bin. */
export interface CliContext {
  /** Arguments after the command name. */
  args: string[];
  env: Env;
  cwd: string;
  stdout: Writable;
  stderr: Writable;
}

/**
 * One subcommand. A command lives in daemon/src/cli/commands/<name>.ts and exports `command`; the entry point finds
 * it by name, so adding a command means adding a file, not editing a list.
 */
export interface CliCommand {
  name: string;
  /** One line for the usage listing. */
  summary: string;
  /** Full usage, e.g. 'b24xero status [--json]'. */
  usage: string;
  /** What `b24xero <command> --help` prints after the usage line: each option and what the command does. */
  help?: readonly string[];
  /** Resolves to the process exit code: 0 ok, 1 failed, 2 bad usage. */
  run(ctx: CliContext): Promise<number>;
}

/** Thrown for bad arguments: the entry point prints the message and the command's usage and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** A command's `--options`: strict, no positionals; anything else is a UsageError (exit 2 with usage). */
export function parseOptions<O extends OptionsConfig>(args: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Anything with a string `write`: a process stream, a PassThrough in tests, a progress-bar wrapper. */
export interface TextSink {
  write(chunk: string): unknown;
}

export function writeLine(stream: TextSink, text = ''): void {
  stream.write(`${text}\n`);
}

/** An error id as `status` prints it ('12' or '#12'). */
export function recordIdArgument(raw: string): number {
  const id = Number(raw.replace(/^#/, ''));
  if (!Number.isSafeInteger(id) || id < 1) throw new UsageError(`'${raw}' is not an error id (see 'b24xero status')`);
  return id;
}
