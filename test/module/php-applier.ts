import { phpJson } from './php.ts';

export interface PhpApplyReport {
  applied: number;
  failed: number;
  retrying: number;
  skipped: number;
  busy: boolean;
  failures: Array<{ id: number; error: string }>;
}

/**
 * Runs the Bitrix module's real applier (PHP, bitrix-module/lib/inbox) once against a fixture portal, through
 * FixtureCrmGateway — what the agent does on a portal. `url` is the database's mysql:// URL.
 */
export function applyInboxWithPhp(url: string, options: { limit?: number } = {}): PhpApplyReport {
  const args = ['bitrix-module/tests/bin/apply-fixture.php', url];
  if (options.limit !== undefined) args.push(`--limit=${options.limit}`);
  return phpJson<PhpApplyReport>(args);
}
