import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'dotenv';
import { loadConfig, ConfigError, type Config, type Env, type LoadConfigOptions } from './config.ts';

/**
 * The environment the daemon runs with: the env file named by B24X_ENV_FILE (default ./.env, optional) under the
 * process environment, which wins so systemd's Environment= and a shell's `VAR=… b24xero …` override the file.
 * Returns a new object; process.env is not modified.
 */
export function readEnvironment(processEnv: Env, cwd: string = process.cwd()): Env {
  return readEnvironmentWithSources(processEnv, cwd).env;
}

/** Where each variable of the effective environment came from: the process environment or the env file. */
export interface SourcedEnvironment {
  env: Env;
  /** The env file read, or null (none named and no ./.env). */
  file: string | null;
  fromFile: ReadonlySet<string>;
}

export function readEnvironmentWithSources(processEnv: Env, cwd: string = process.cwd()): SourcedEnvironment {
  const named = processEnv.B24X_ENV_FILE?.trim();
  const path = resolve(cwd, named || '.env');
  if (!existsSync(path)) {
    if (named) throw new ConfigError([`B24X_ENV_FILE names ${path}, which does not exist`]);
    return { env: { ...processEnv }, file: null, fromFile: new Set() };
  }
  let fromFile: Env;
  try {
    fromFile = parse(readFileSync(path));
  } catch (error) {
    throw new ConfigError([`cannot read env file ${path}: ${(error as Error).message}`]);
  }
  const merged: Env = { ...fromFile };
  for (const [key, value] of Object.entries(processEnv)) if (value !== undefined) merged[key] = value;
  const fileKeys = new Set(Object.keys(fromFile).filter((k) => processEnv[k] === undefined));
  return { env: merged, file: path, fromFile: fileKeys };
}

/** readEnvironment + loadConfig: what the CLI calls. */
export function loadConfigFromEnvironment(processEnv: Env, options: LoadConfigOptions & { cwd?: string } = {}): Config {
  return loadConfig(readEnvironment(processEnv, options.cwd), options);
}
