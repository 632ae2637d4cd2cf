import { runCli } from './run-cli.ts';

// The process entry (daemon/bin/b24xero.js imports this file). Exit code via process.exitCode, so stdout is
// drained and open handles close before Node exits.
process.exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  cwd: process.cwd(),
  stdout: process.stdout,
  stderr: process.stderr,
});
