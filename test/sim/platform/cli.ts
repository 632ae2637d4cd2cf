import { readFile } from 'node:fs/promises';
import { USAGE, parseCliArgs, toSimOptions } from './cli-args.ts';
import type { SimOptions } from './sim-options.ts';
import { startSimulator } from './simulator.ts';

/**
 * b24xero-sim: starts the simulator and prints `listening http://HOST:PORT` as the FIRST line (scripts wait for it),
 * then the credentials and tenants. First SIGINT/SIGTERM closes gracefully; a second one forces the exit.
 */
export async function main(argv: readonly string[]): Promise<void> {
  let options: SimOptions;
  try {
    const args = parseCliArgs(argv);
    if (args.help) {
      process.stdout.write(`${USAGE}\n`);
      return;
    }
    const config = args.configFile ? (JSON.parse(await readFile(args.configFile, 'utf8')) as SimOptions) : {};
    options = toSimOptions(args, config);
  } catch (error) {
    process.stderr.write(`b24xero-sim: ${(error as Error).message}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }

  const sim = await startSimulator(options);
  process.stdout.write(`listening ${sim.url}\n`);
  process.stdout.write(`client_id ${sim.clientId}\nclient_secret ${sim.clientSecret}\n`);
  for (const t of sim.tenants()) process.stdout.write(`tenant ${t.tenantId} ${t.country} ${t.name}\n`);
  process.stdout.write(`token ${sim.url}/connect/token  api ${sim.url}/api.xro/2.0  admin ${sim.url}/_sim\n`);

  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals > 1) {
      process.stderr.write(`b24xero-sim: second ${signal}, exiting now\n`);
      process.exit(130);
    }
    process.stderr.write(`b24xero-sim: ${signal}, closing\n`);
    sim.close().then(
      () => {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      },
      (error: unknown) => {
        process.stderr.write(`b24xero-sim: close failed: ${(error as Error).message}\n`);
        process.exitCode = 1;
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
