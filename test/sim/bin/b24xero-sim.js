#!/usr/bin/env node
// The simulator is TypeScript; register tsx's ESM loader, then run the CLI.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../platform/cli.ts');
try {
  await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`b24xero-sim: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
