import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The product must run on MySQL 8.0 (BitrixVM) and MariaDB 10.6+, while the tests only ever meet MariaDB. This guards
 * the SQL the daemon and the migrations send against syntax one of the two lacks (or MySQL 8.0 deprecates), which a
 * MariaDB-only suite would never notice.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SOURCES = ['daemon/src/bitrix', 'daemon/src/state', 'daemon/src/config', 'daemon/src/cli', 'sql'];

const NON_PORTABLE: ReadonlyArray<[string, RegExp]> = [
  ['RETURNING (MariaDB only)', /\bRETURNING\b/i],
  ['IF [NOT] EXISTS on an index or column (MariaDB only)', /\b(INDEX|COLUMN|KEY)\s+IF\s+(NOT\s+)?EXISTS\b/i],
  ['CREATE OR REPLACE TABLE (MariaDB only)', /CREATE\s+OR\s+REPLACE\s+TABLE/i],
  ['sequence tables (MariaDB only)', /\bseq_\d+_to_\d+\b/i],
  ['VALUES(col) in ON DUPLICATE KEY UPDATE (deprecated in MySQL 8.0.20)', /\bVALUES\s*\(\s*[A-Z_]+\s*\)/],
  ['row alias INSERT … AS new (MySQL only)', /\)\s+AS\s+new\b/i],
  ['a JSON column (an alias of LONGTEXT on MariaDB, a binary type on MySQL)', /\b[A-Z_]+\s+JSON\s+(NOT\s+)?NULL\b/],
  ['MariaDB-only functions', /\b(JSON_DETAILED|UUID_SHORT|NEXTVAL|LASTVAL|SYSDATE\(\))\b/i],
];

function filesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(path);
    return /\.(ts|sql)$/.test(entry.name) ? [path] : [];
  });
}

/** The code without its comments: comments may name what is avoided and why. */
function withoutComments(text: string, isSql: boolean): string {
  const noBlocks = text.replace(/\/\*[\s\S]*?\*\//g, '');
  return noBlocks.split('\n').map((line) => line.replace(isSql ? /--\s.*$/ : /(^|\s)\/\/.*$/, '')).join('\n');
}

describe('SQL portability of the daemon and the migrations', () => {
  const files = SOURCES.flatMap(filesUnder);

  it('reads the sources it guards', () => {
    expect(files.length).toBeGreaterThan(30);
    expect(files).toContain('sql/001_initial.sql');
  });

  it.each(NON_PORTABLE)('uses no %s', (_what, pattern) => {
    const offenders = files.filter((file) => pattern.test(withoutComments(readFileSync(join(ROOT, file), 'utf8'), file.endsWith('.sql'))));
    expect(offenders).toEqual([]);
  });
});
