import { readFile } from 'node:fs/promises';
import { ConfigError } from '../config/config.ts';
import { MigrationError } from '../state/migrator.ts';
import { UsageError, writeLine, type CliCommand, type CliContext } from './command.ts';
import { loadAllCommands, loadCommand } from './command-registry.ts';

export type CliIo = Omit<CliContext, 'args'>;

/**
 * Dispatches `b24xero <command> [args]` and resolves to the exit code. Never calls process.exit: the bin sets
 * process.exitCode so pending output (and winston) is flushed before Node ends.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined) {
    await printUsage(io.stderr);
    return 2;
  }
  if (name === '--version' || name === '-v') {
    writeLine(io.stdout, await packageVersion());
    return 0;
  }
  if (name === 'help' || name === '--help' || name === '-h') {
    const topic = args[0] ? await loadCommand(args[0]) : undefined;
    if (topic) printHelp(io.stdout, topic);
    else await printUsage(io.stdout);
    return 0;
  }
  const command = await loadCommand(name);
  if (!command) {
    writeLine(io.stderr, `b24xero: unknown command '${name}'`);
    await printUsage(io.stderr);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    printHelp(io.stdout, command);
    return 0;
  }
  try {
    return await command.run({ ...io, args });
  } catch (error) {
    if (error instanceof UsageError) {
      writeLine(io.stderr, `b24xero ${name}: ${error.message}`);
      writeLine(io.stderr, `usage: ${command.usage}`);
      return 2;
    }
    // Expected failures get their message only; anything else keeps the stack for the bug report.
    writeLine(io.stderr, `b24xero ${name}: ${describe(error)}`);
    return 1;
  }
}

function printHelp(stream: CliIo['stdout'], command: CliCommand): void {
  writeLine(stream, `usage: ${command.usage}`);
  writeLine(stream);
  writeLine(stream, command.summary);
  if (command.help && command.help.length > 0) {
    writeLine(stream);
    for (const line of command.help) writeLine(stream, line);
  }
}

async function printUsage(stream: CliIo['stdout']): Promise<void> {
  writeLine(stream, 'usage: b24xero <command> [options]');
  writeLine(stream);
  writeLine(stream, 'commands:');
  for (const command of await loadAllCommands()) {
    const summary = 'summary' in command ? command.summary : `(cannot load: ${command.error})`;
    writeLine(stream, `  ${command.name.padEnd(10)} ${summary}`);
  }
  writeLine(stream);
  writeLine(stream, "Run 'b24xero help <command>' for its options. Configuration: environment or B24X_ENV_FILE (default ./.env).");
}

function describe(error: unknown): string {
  if (error instanceof ConfigError || error instanceof MigrationError) return error.message;
  // Server and network failures (unknown database, access denied, ECONNREFUSED) are the admin's to fix: no stack.
  const code = (error as { code?: unknown } | null)?.code;
  if (error instanceof Error && typeof code === 'string') return `database: ${error.message} [${code}]`;
  if (error instanceof Error) return error.stack ?? error.message;
  return String(error);
}

async function packageVersion(): Promise<string> {
  const text = await readFile(new URL('../../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}
