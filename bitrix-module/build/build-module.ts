/**
 * npm run build:module — the installable package of the Bitrix module:
 * dist/b24xero.sync-<version>.tar.gz and .zip, each holding one folder b24xero.sync/ to unpack into local/modules/
 * (or to upload as a module archive). It carries the module (without its tests and this build folder), a copy of
 * sql/ (the migrations the installer runs and the inbox JSON Schemas the applier validates against: the same files
 * the daemon uses) and install/version.php stamped with package.json's version.
 *
 * The archive time is SOURCE_DATE_EPOCH when set (reproducible builds), else now.
 */
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tarGz, zip, type ArchiveEntry } from './archive.ts';

export const MODULE_ID = 'b24xero.sync';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const MODULE_DIR = join(REPO, 'bitrix-module');

/** Folders and files of bitrix-module/ that are for developing the module, not for running it. */
const LEFT_OUT = [/^tests(\/|$)/, /^build(\/|$)/, /^phpunit\.xml(\.dist)?$/];
/** What of sql/ the module needs: the migrations, the inbox contract, and the READMEs that explain both. */
const SQL_FILES = [/^\d+_[A-Za-z0-9_-]+\.sql$/, /^README\.md$/, /^inbox\/[a-z_]+\.schema\.json$/, /^inbox\/README\.md$/];

export interface BuildResult {
  version: string;
  files: string[];
  tarGz: string;
  zip: string;
}

export async function buildModule(options: { outDir?: string; now?: Date } = {}): Promise<BuildResult> {
  const pkg = JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8')) as { version: string };
  if (!/^\d+\.\d+\.\d+$/.test(pkg.version)) throw new Error(`package.json version ${pkg.version} is not MAJOR.MINOR.PATCH, which Bitrix compares`);
  const epoch = process.env.SOURCE_DATE_EPOCH;
  const now = options.now ?? (epoch ? new Date(Number(epoch) * 1000) : new Date());
  const mtime = new Date(Math.floor(now.getTime() / 1000) * 1000);

  const entries: ArchiveEntry[] = [];
  for (const path of await walk(MODULE_DIR)) {
    if (LEFT_OUT.some((re) => re.test(path))) continue;
    const data = path === 'install/version.php' ? versionFile(pkg.version, mtime) : await readFile(join(MODULE_DIR, path));
    entries.push({ path: `${MODULE_ID}/${path}`, data });
  }
  for (const path of await walk(join(REPO, 'sql'))) {
    if (SQL_FILES.some((re) => re.test(path))) entries.push({ path: `${MODULE_ID}/sql/${path}`, data: await readFile(join(REPO, 'sql', path)) });
  }
  entries.sort((a, b) => a.path.localeCompare(b.path));

  const outDir = options.outDir ?? join(REPO, 'dist');
  await mkdir(outDir, { recursive: true });
  const base = join(outDir, `${MODULE_ID}-${pkg.version}`);
  await writeFile(`${base}.tar.gz`, tarGz(entries, { mtime }));
  await writeFile(`${base}.zip`, zip(entries, { mtime }));
  return { version: pkg.version, files: entries.map((e) => e.path), tarGz: `${base}.tar.gz`, zip: `${base}.zip` };
}

/** install/version.php as Bitrix reads it ($arModuleVersion), dated in UTC. */
export function versionFile(version: string, date: Date): Buffer {
  const stamp = date.toISOString().replace('T', ' ').slice(0, 19);
  return Buffer.from(`<?php

// Written by npm run build:module from package.json.
$arModuleVersion = [
    'VERSION' => '${version}',
    'VERSION_DATE' => '${stamp}',
];
`);
}

/** Every file under `dir`, as relative paths with forward slashes, in a stable order. */
async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    out.push(relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'));
  }
  return out.sort();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildModule()
    .then((r) => {
      process.stdout.write(`b24xero.sync ${r.version}: ${r.files.length} files\n  ${relative(REPO, r.tarGz)}\n  ${relative(REPO, r.zip)}\n`);
    })
    .catch((error: unknown) => {
      process.stderr.write(`build:module failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    });
}
