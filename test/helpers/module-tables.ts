import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SQL_DIR = fileURLToPath(new URL('../../sql/', import.meta.url));

/**
 * How many b_b24xero_* tables a full migration leaves: those the sql/ files create plus the migrator's own
 * b_b24xero_migration. Counted from the files, so a test does not break each time a migration adds a table.
 */
export function expectedModuleTableCount(): number {
  const names = new Set<string>(['b_b24xero_migration']);
  for (const file of readdirSync(SQL_DIR).filter((f) => /^\d{3}_.*\.sql$/.test(f))) {
    for (const m of readFileSync(SQL_DIR + file, 'utf8').matchAll(/CREATE TABLE IF NOT EXISTS `?(b_b24xero_[a-z0-9_]+)/gi)) names.add(m[1]!.toLowerCase());
  }
  return names.size;
}
