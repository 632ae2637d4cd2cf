import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** Where the browser tests find Chromium (Debian's package; .ci/prepare-machine.sh installs it). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
/** Screenshots of the browser tests (git-ignored). */
export const ARTIFACTS = join(REPO, 'test/ui/artifacts');

export interface StandInPortal {
  baseUrl: string;
  stop(): Promise<void>;
}

/**
 * The module's admin pages served by `php -S` through the stand-in of Bitrix's page frame (test/ui/standin/), on the
 * fixture database `dbUrl`: a temporary document root holds local/modules/b24xero.sync (the module itself) and bitrix/
 * (the stand-in). Resolves once the server answers.
 */
export async function startStandInPortal(dbUrl: string): Promise<StandInPortal> {
  const root = mkdtempSync(join(tmpdir(), 'b24x-portal-'));
  mkdirSync(join(root, 'local/modules'), { recursive: true });
  symlinkSync(join(REPO, 'bitrix-module'), join(root, 'local/modules/b24xero.sync'));
  symlinkSync(join(REPO, 'test/ui/standin/bitrix'), join(root, 'bitrix'));
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const php = spawn('php', ['-S', `127.0.0.1:${port}`, '-t', root, join(REPO, 'test/ui/standin/router.php')], {
      env: { ...process.env, B24X_UI_DB_URL: dbUrl }, stdio: ['ignore', 'ignore', 'pipe'],
    });
    let log = '';
    php.stderr!.on('data', (chunk: Buffer) => { log = (log + chunk.toString()).slice(-20_000); });
    const baseUrl = `http://127.0.0.1:${port}`;
    if (await answers(baseUrl, php)) {
      return {
        baseUrl,
        async stop() {
          php.kill('SIGTERM');
          await new Promise((resolve) => php.once('exit', resolve));
          rmSync(root, { recursive: true, force: true });
          if (/PHP (Fatal|Warning|Notice|Deprecated)/.test(log)) throw new Error(`PHP reported problems:\n${log}`);
        },
      };
    }
    php.kill('SIGTERM');
  }
  rmSync(root, { recursive: true, force: true });
  throw new Error('php -S did not start');
}

async function answers(baseUrl: string, php: ChildProcess): Promise<boolean> {
  for (let i = 0; i < 50; i++) {
    if (php.exitCode !== null) return false;
    try {
      await fetch(`${baseUrl}/healthz`);
      return true;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return false;
}

export const hasChromium = (): boolean => existsSync(CHROMIUM);
