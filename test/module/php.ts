import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Repository root, where `php bitrix-module/…` runs from. */
export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const MODULE_CLI = 'bitrix-module/tests/bin/module-cli.php';

/** Runs a PHP script of the module and parses the JSON it prints; a failure throws with PHP's own output. */
export function phpJson<T>(args: readonly string[]): T {
  const r = spawnSync('php', args, { cwd: REPO, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw new Error(`cannot run php: ${r.error.message} (.ci/prepare-machine.sh installs php-cli)`);
  if (r.status !== 0) throw new Error(`php ${args.join(' ')} exited ${r.status}:\n${r.stderr}${r.stdout}`);
  return JSON.parse(r.stdout) as T;
}
