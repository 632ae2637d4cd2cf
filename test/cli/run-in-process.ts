import { PassThrough } from 'node:stream';
import { runCli } from '../../daemon/src/cli/run-cli.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `b24xero <args>` in this process with only `env` as its environment and its output captured. cwd '/' has no
 * .env, so nothing on the machine configures the command behind the test's back.
 */
export async function runInProcess(args: string[], env: Record<string, string>): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => { out += c.toString(); });
  stderr.on('data', (c: Buffer) => { err += c.toString(); });
  const code = await runCli(args, { env, cwd: '/', stdout, stderr });
  return { code, stdout: out, stderr: err };
}
