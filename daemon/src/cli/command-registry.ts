import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { CliCommand } from './command.ts';

const COMMANDS_DIR = new URL('./commands/', import.meta.url);
/** Command names map to file names, so only plain kebab-case names are looked up (no paths). */
const COMMAND_NAME = /^[a-z][a-z0-9-]*$/;

/** Loads daemon/src/cli/commands/<name>.ts, or returns undefined when there is no such command. */
export async function loadCommand(name: string): Promise<CliCommand | undefined> {
  if (!COMMAND_NAME.test(name)) return undefined;
  const names = await listCommandNames();
  if (!names.includes(name)) return undefined;
  const module = (await import(new URL(`${name}.ts`, COMMANDS_DIR).href)) as { command?: CliCommand };
  if (!module.command || typeof module.command.run !== 'function') {
    throw new Error(`daemon/src/cli/commands/${name}.ts does not export a \`command\``);
  }
  return module.command;
}

export async function listCommandNames(): Promise<string[]> {
  const entries = await readdir(fileURLToPath(COMMANDS_DIR));
  return entries
    .filter((e) => e.endsWith('.ts') && !e.endsWith('.test.ts') && !e.endsWith('.d.ts'))
    .map((e) => e.slice(0, -3))
    .filter((n) => COMMAND_NAME.test(n))
    .sort();
}

/** Every command, for the usage listing. A command file that fails to load is listed with the reason. */
export async function loadAllCommands(): Promise<Array<CliCommand | { name: string; error: string }>> {
  const out: Array<CliCommand | { name: string; error: string }> = [];
  for (const name of await listCommandNames()) {
    try {
      const command = await loadCommand(name);
      if (command) out.push(command);
    } catch (error) {
      out.push({ name, error: (error as Error).message });
    }
  }
  return out;
}
