import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';

/**
 * A MariaDB server of the test's own (a temp data directory, a free port, root without a password), for tests that
 * must stop and start the database under a running daemon. Never the shared server on 3306: other test files use it.
 */
export interface PrivateMariaDb {
  port: number;
  /** mysql://root@127.0.0.1:port/<database> */
  url(database: string): string;
  query(sql: string): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and removes its data directory. */
  destroy(): Promise<void>;
}

function serverBinary(): string {
  for (const bin of ['mariadbd', 'mysqld']) if (spawnSync('which', [bin]).status === 0) return bin;
  throw new Error('no mariadbd/mysqld on PATH (apt-get install mariadb-server)');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export async function startPrivateMariaDb(): Promise<PrivateMariaDb> {
  const dir = mkdtempSync(join(tmpdir(), 'b24x-mariadb-'));
  const port = await freePort();
  const install = spawnSync('mariadb-install-db', [
    '--no-defaults', `--datadir=${join(dir, 'data')}`, '--user=root', '--auth-root-authentication-method=normal', '--skip-test-db', '--skip-name-resolve',
  ], { encoding: 'utf8' });
  if (install.status !== 0) throw new Error(`mariadb-install-db failed: ${install.stderr || install.stdout}`);
  let child: ChildProcess | null = null;

  const ping = async (): Promise<boolean> => {
    try {
      const c = await createConnection({ host: '127.0.0.1', port, user: 'root', connectTimeout: 1000 });
      await c.end();
      return true;
    } catch {
      return false;
    }
  };
  const db: PrivateMariaDb = {
    port,
    url: (database) => `mysql://root@127.0.0.1:${port}/${database}`,
    async query(sql) {
      const c = await createConnection({ host: '127.0.0.1', port, user: 'root', multipleStatements: true });
      try { await c.query(sql); } finally { await c.end(); }
    },
    async start() {
      child = spawn(serverBinary(), [
        '--no-defaults', `--datadir=${join(dir, 'data')}`, `--port=${port}`, `--socket=${join(dir, 'mysqld.sock')}`,
        '--bind-address=127.0.0.1', '--user=root', '--skip-log-bin', '--innodb-buffer-pool-size=32M', '--skip-name-resolve',
        `--pid-file=${join(dir, 'mysqld.pid')}`, `--log-error=${join(dir, 'error.log')}`,
      ], { stdio: 'ignore' });
      const deadline = Date.now() + 60_000;
      while (!(await ping())) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`private MariaDB did not start; see ${join(dir, 'error.log')}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async stop() {
      const running = child;
      child = null;
      if (!running || running.exitCode !== null) return;
      const exited = new Promise((r) => running.once('exit', r));
      running.kill('SIGTERM');
      await exited;
    },
    async destroy() {
      await db.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await db.start();
  return db;
}
