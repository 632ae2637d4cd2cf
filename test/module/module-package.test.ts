import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { inflateRawSync, crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildModule, type BuildResult } from '../../bitrix-module/build/build-module.ts';
import { REPO } from './php.ts';

/** php -l of every .php file under `dir`, in one PHP process (bitrix-module/tests/bin/lint.php). */
function lint(dir: string): string {
  const r = spawnSync('php', ['-d', 'opcache.enable_cli=1', join(REPO, 'bitrix-module/tests/bin/lint.php'), dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`php lint failed:\n${r.stderr}${r.stdout}`);
  return r.stdout.trim();
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out.push(relative(dir, join(e.parentPath, e.name)).split(sep).join('/'));
  }
  return out.sort();
}

/** The zip's entries read back from its central directory, each inflated and checked against its CRC. */
function readZip(buf: Buffer): Map<string, Buffer> {
  const end = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = buf.readUInt16LE(end + 10);
  let p = buf.readUInt32LE(end + 16);
  const out = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    expect(buf.readUInt32LE(p)).toBe(0x02014b50);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const size = buf.readUInt32LE(p + 20);
    const nameLength = buf.readUInt16LE(p + 28);
    const extra = buf.readUInt16LE(p + 30);
    const comment = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLength).toString('utf8');
    const dataStart = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(dataStart, dataStart + size);
    const data = method === 8 ? inflateRawSync(raw) : Buffer.from(raw);
    expect(crc32(data) >>> 0, name).toBe(crc);
    if (!name.endsWith('/')) out.set(name, data);
    p += 46 + nameLength + extra + comment;
  }
  return out;
}

describe('npm run build:module', () => {
  let out: string;
  let built: BuildResult;
  let unpacked: string;
  const pkg = { version: '' };

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'b24x-module-'));
    pkg.version = (JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
    built = await buildModule({ outDir: out, now: new Date('2026-12-03T10:20:30Z') });
    unpacked = join(out, 'unpacked');
    const r = spawnSync('sh', ['-c', `mkdir -p "${unpacked}" && tar -xzf "${built.tarGz}" -C "${unpacked}"`], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  });
  afterAll(async () => { await rm(out, { recursive: true, force: true }); });

  it('names both archives after the module id and package.json version', () => {
    expect(built.version).toBe(pkg.version);
    expect(built.tarGz).toBe(join(out, `b24xero.sync-${pkg.version}.tar.gz`));
    expect(built.zip).toBe(join(out, `b24xero.sync-${pkg.version}.zip`));
  });

  it('unpacks into one folder b24xero.sync with the platform layout, without tests or build tooling', async () => {
    expect(await readdir(unpacked)).toEqual(['b24xero.sync']);
    const files = await filesUnder(join(unpacked, 'b24xero.sync'));
    for (const required of [
      'include.php', 'default_option.php', 'options.php', 'admin/menu.php', 'install/index.php', 'install/version.php',
      'install/step1.php', 'install/step2.php', 'install/unstep1.php', 'install/unstep2.php',
      'lang/en/install/index.php', 'lang/ru/install/index.php', 'lib/module.php', 'lib/install/installer.php',
      'lib/changefeed/handlers.php', 'lib/db/migrator.php',
    ]) expect(files, required).toContain(required);
    expect(files.filter((f) => /^(tests|build)\//.test(f) || f.startsWith('phpunit'))).toEqual([]);
    for (const f of files.filter((f) => f.startsWith('lib/'))) expect(f, 'lib/ file names are lower case').toBe(f.toLowerCase());
  });

  it('carries the sql/ migrations and the inbox schemas byte for byte', async () => {
    const sqlFiles = (await filesUnder(join(REPO, 'sql'))).filter((f) => /^\d+_\w+\.sql$|^inbox\/.+\.schema\.json$|README\.md$/.test(f));
    expect(sqlFiles.length).toBeGreaterThanOrEqual(11);
    const packaged = (await filesUnder(join(unpacked, 'b24xero.sync', 'sql')));
    expect(packaged).toEqual(sqlFiles);
    for (const f of sqlFiles) {
      expect((await readFile(join(unpacked, 'b24xero.sync', 'sql', f))).equals(await readFile(join(REPO, 'sql', f))), f).toBe(true);
    }
    expect(packaged).not.toContain('grants.sql.example');
  });

  it('stamps install/version.php with the package version and the build time', async () => {
    const text = await readFile(join(unpacked, 'b24xero.sync', 'install', 'version.php'), 'utf8');
    expect(text).toContain(`'VERSION' => '${pkg.version}'`);
    expect(text).toContain(`'VERSION_DATE' => '2026-12-03 10:20:30'`);
  });

  it('holds the same files in the zip as in the tar.gz', async () => {
    const entries = readZip(await readFile(built.zip));
    const files = await filesUnder(unpacked);
    expect([...entries.keys()].sort()).toEqual(files);
    for (const f of files) expect(entries.get(f)!.equals(await readFile(join(unpacked, f))), f).toBe(true);
  });

  it('passes php -l on every PHP file of the package', async () => {
    const php = (await filesUnder(unpacked)).filter((f) => f.endsWith('.php'));
    expect(php.length).toBeGreaterThan(40);
    expect(lint(unpacked)).toBe(`ok ${php.length}`);
  });
});

describe('the module sources', () => {
  it('pass php -l, tests included', async () => {
    const php = (await filesUnder(join(REPO, 'bitrix-module'))).filter((f) => f.endsWith('.php'));
    expect(lint(join(REPO, 'bitrix-module'))).toBe(`ok ${php.length}`);
  });

  it('keep install/version.php at the version of package.json', async () => {
    const version = (JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
    expect(await readFile(join(REPO, 'bitrix-module', 'install', 'version.php'), 'utf8')).toContain(`'VERSION' => '${version}'`);
  });
});
