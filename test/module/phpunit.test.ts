import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPO } from './php.ts';

// `npm test` runs everything, PHP included: the module's PHPUnit suite (bitrix-module/tests, Debian's phpunit 9.6)
// runs here as one test, and fails with PHPUnit's own report when any PHP test fails.
describe('the Bitrix module PHPUnit suite', () => {
  it('passes', () => {
    const r = spawnSync('phpunit', ['-c', 'bitrix-module/phpunit.xml.dist', '--do-not-cache-result'], {
      cwd: REPO, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: process.env,
    });
    if (r.error) throw new Error(`cannot run phpunit: ${r.error.message} (.ci/prepare-machine.sh installs it)`);
    const report = `${r.stdout}${r.stderr}`;
    expect(r.status, report).toBe(0);
    expect(report).toMatch(/^OK \(\d+ tests?, \d+ assertions?\)$/m);
  }, 300_000);
});
