import type { OrgCountry, OrgOptions } from '../contract.ts';
import type { SimOptions } from './sim-options.ts';

export interface CliArgs {
  port: number;
  host: string;
  seed?: number;
  timeScale?: number;
  countries: OrgCountry[];
  configFile?: string;
  snapshotFile?: string;
  help: boolean;
}

export const DEFAULT_PORT = 5055;
const COUNTRIES: readonly OrgCountry[] = ['NZ', 'AU', 'UK', 'US'];

export const USAGE = `usage: b24xero-sim [--port N] [--host H] [--seed S] [--time-scale K] [--org NZ,AU,UK,US]... [--config file.json] [--snapshot file.json]
  --port        TCP port (default ${DEFAULT_PORT}; 0 picks a free one)
  --seed        seed for random faults and webhook entropy
  --time-scale  simulated time runs K times faster (a Xero minute lasts 60/K s)
  --org         organisations to create (repeatable or comma list; default NZ)
  --config      JSON file with simulator options (organisations, clients, limits, faults, randomFaults, ...)
  --snapshot    restore from this file at start (if it exists) and save to it on exit`;

/** Parses the command line; throws with a message naming the bad flag. */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  const args: CliArgs = { port: DEFAULT_PORT, host: '127.0.0.1', countries: [], help: false };
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i]!;
    const [flag, inline] = raw.includes('=') ? [raw.slice(0, raw.indexOf('=')), raw.slice(raw.indexOf('=') + 1)] : [raw, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--port':
        args.port = integer(flag, value(), 0, 65535);
        break;
      case '--host':
        args.host = value();
        break;
      case '--seed':
        args.seed = integer(flag, value(), 0, 2 ** 32 - 1);
        break;
      case '--time-scale': {
        const k = Number(value());
        if (!Number.isFinite(k) || k <= 0) throw new Error('--time-scale must be a positive number');
        args.timeScale = k;
        break;
      }
      case '--org':
        for (const c of value().split(',')) {
          const country = c.trim().toUpperCase();
          if (!COUNTRIES.includes(country as OrgCountry)) throw new Error(`--org: unknown country "${c}" (use ${COUNTRIES.join(', ')})`);
          args.countries.push(country as OrgCountry);
        }
        break;
      case '--config':
        args.configFile = value();
        break;
      case '--snapshot':
        args.snapshotFile = value();
        break;
      case '--help':
      case '-h':
        args.help = true;
        break;
      default:
        throw new Error(`unknown argument ${raw}`);
    }
  }
  return args;
}

/** Merges a config file's options with the flags (flags win). */
export function toSimOptions(args: CliArgs, config: SimOptions = {}): SimOptions {
  const organisations: OrgOptions[] | undefined = args.countries.length > 0 ? args.countries.map((country) => ({ country })) : config.organisations;
  return {
    ...config,
    port: args.port,
    host: args.host,
    ...(args.seed !== undefined ? { seed: args.seed } : {}),
    ...(args.timeScale !== undefined ? { timeScale: args.timeScale } : {}),
    ...(organisations ? { organisations } : {}),
    ...(args.snapshotFile !== undefined ? { snapshotFile: args.snapshotFile } : {}),
  };
}

function integer(flag: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${flag} must be an integer from ${min} to ${max}`);
  return n;
}
