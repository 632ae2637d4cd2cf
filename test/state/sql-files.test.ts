import { describe, expect, it } from 'vitest';
import { readMigrationFiles } from '../../daemon/src/state/migration-files.ts';
import { splitSqlStatements } from '../../daemon/src/state/sql-splitter.ts';

/** Statement text without comments and with whitespace collapsed, to compare two splitters' output. */
function normalise(statement: string): string {
  return statement.split('\n').map((l) => l.replace(/--\s.*$/, '')).join(' ').replace(/\s+/g, ' ').trim();
}

describe('sql/ migration files', async () => {
  const files = await readMigrationFiles();

  // Each helper owns a range of numbers (001–003 shipped, then 010–059 by owner): gaps are expected, order is not.
  it('are numbered from 001, each number once, in increasing order', () => {
    const versions = files.map((f) => f.version);
    expect(versions[0]).toBe(1);
    expect(versions).toEqual([...new Set(versions)].sort((a, b) => a - b));
  });

  for (const file of files) {
    describe(file.name, () => {
      it('split the same way when cut at every line-ending semicolon, as the Bitrix installer does', () => {
        const naive = file.sql.split(/;[ \t]*\r?\n/).map(normalise).filter((s) => s !== '');
        expect(naive).toEqual(splitSqlStatements(file.sql).map(normalise));
      });

      it('keep semicolons, apostrophes and block comments out of comments', () => {
        for (const line of file.sql.split('\n')) {
          const comment = /--\s(.*)$/.exec(line)?.[1] ?? '';
          expect(comment, line).not.toMatch(/;/);
          expect((comment.match(/'/g) ?? []).length % 2, line).toBe(0);
        }
        expect(file.sql).not.toMatch(/\/\*/);
        expect(file.sql).not.toMatch(/^\s*DELIMITER/im);
      });

      it('create tables only if they do not exist, as InnoDB utf8mb4', () => {
        for (const statement of splitSqlStatements(file.sql).map(normalise)) {
          if (!statement.startsWith('CREATE TABLE')) continue;
          expect(statement).toMatch(/^CREATE TABLE IF NOT EXISTS b_b24xero_/);
          expect(statement).toMatch(/\) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci$/);
        }
      });
    });
  }
});
