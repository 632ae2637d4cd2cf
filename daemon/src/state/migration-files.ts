import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** sql/ at the repository root: one source of truth for the daemon and the Bitrix module installer. */
export const DEFAULT_SQL_DIR = fileURLToPath(new URL('../../../sql/', import.meta.url));

/** `NNN_name.sql`: the number orders the files and is the version recorded in b_b24xero_migration. */
const FILE_NAME = /^(\d+)_([A-Za-z0-9_-]+)\.sql$/;

export interface MigrationFile {
  version: number;
  /** File name without the extension, e.g. '001_initial'. */
  name: string;
  path: string;
  sql: string;
  /** sha256 hex of the text with CRLF normalised to LF, so a checkout on Windows does not look "changed". */
  checksum: string;
}

export function migrationChecksum(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n/g, '\n'), 'utf8').digest('hex');
}

/** Reads every `NNN_name.sql` in `dir`, ordered by number; other files (README, grants example) are ignored. */
export async function readMigrationFiles(dir: string = DEFAULT_SQL_DIR): Promise<MigrationFile[]> {
  const entries = await readdir(dir);
  const files: MigrationFile[] = [];
  for (const entry of entries) {
    const match = FILE_NAME.exec(entry);
    if (!match) continue;
    const path = join(dir, entry);
    const sql = await readFile(path, 'utf8');
    files.push({
      version: Number(match[1]),
      name: entry.replace(/\.sql$/, ''),
      path,
      sql,
      checksum: migrationChecksum(sql),
    });
  }
  files.sort((a, b) => a.version - b.version);
  for (let i = 1; i < files.length; i++) {
    if (files[i]!.version === files[i - 1]!.version) {
      throw new Error(`two migration files share version ${files[i]!.version}: ${files[i - 1]!.name}.sql and ${files[i]!.name}.sql`);
    }
  }
  return files;
}
