import { runCli } from './run-cli.ts';

// `b24xero status | head` closes the pipe early: the rest of the output has nowhere to go, which is not a failure.
// Without this handler the EPIPE would be an unhandled 'error' event and crash the command with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    stream.destroy();
  });
}

// The process entry (daemon/bin/b24xero.js imports this file). Exit code via process.exitCode, so stdout is
// drained and open handles close before Node exits.
process.exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  cwd: process.cwd(),
  stdout: process.stdout,
  stderr: process.stderr,
});
