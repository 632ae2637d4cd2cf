import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const SCRIPT = 'bitrix-module/tests/bin/apply-fixture.php';

export interface ApplierRun {
  applied: number;
  failed: number;
  failures: Array<{ id: number; error: string }>;
}

/**
 * The Bitrix module's real applier (PHP, bitrix-module/lib/inbox) over the demo portal, through the fixture gateway
 * that writes what Bitrix writes — what the module's agent does every minute on a real portal. Null when the PHP
 * CLI (with mysqli) is not installed: the demo then says so and leaves the inbox pending.
 */
export function applyDemoInbox(dbUrl: string): ApplierRun | { unavailable: string } {
  const r = spawnSync('php', [SCRIPT, dbUrl], { cwd: REPO, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (r.error) return { unavailable: `php is not installed (${(r.error as NodeJS.ErrnoException).code ?? r.error.message}); install php-cli and php-mysql to see the module apply it` };
  if (r.status !== 0) {
    const why = `${r.stderr}${r.stdout}`.trim().split('\n')[0] ?? '';
    return { unavailable: `the PHP applier could not run: ${why}` };
  }
  const report = JSON.parse(r.stdout) as ApplierRun;
  return { applied: report.applied, failed: report.failed, failures: report.failures };
}
