import { describe, expect, it } from 'vitest';
import { readMigrationFiles } from '../../daemon/src/state/migration-files.ts';
import { SqlSplitError, splitSqlStatements } from '../../daemon/src/state/sql-splitter.ts';

describe('splitSqlStatements', () => {
  it('splits on semicolons and drops empty statements', () => {
    expect(splitSqlStatements('SELECT 1;\n\nSELECT 2;;\n')).toEqual(['SELECT 1', 'SELECT 2']);
  });

  it('keeps a final statement that has no semicolon', () => {
    expect(splitSqlStatements('SELECT 1;\nSELECT 2')).toEqual(['SELECT 1', 'SELECT 2']);
  });

  it('does not split on a semicolon inside a -- or # comment', () => {
    const text = 'CREATE TABLE a (\n  X INT -- one; two\n);\n# note; more\nSELECT 1;';
    expect(splitSqlStatements(text)).toEqual(['CREATE TABLE a (\n  X INT -- one; two\n)', '# note; more\nSELECT 1']);
  });

  it('does not split on a semicolon inside a block comment', () => {
    expect(splitSqlStatements('SELECT /* a; b */ 1; SELECT 2')).toEqual(['SELECT /* a; b */ 1', 'SELECT 2']);
  });

  it('does not split on a semicolon inside single, double or backtick quotes, with escapes', () => {
    const text = `INSERT INTO t VALUES ('a;b', 'it''s;', 'x\\';y', "q;r");SELECT \`odd;name\` FROM t`;
    expect(splitSqlStatements(text)).toEqual([
      `INSERT INTO t VALUES ('a;b', 'it''s;', 'x\\';y', "q;r")`,
      'SELECT `odd;name` FROM t',
    ]);
  });

  it('drops statements made only of comments', () => {
    expect(splitSqlStatements('-- header; with semicolon\n/* block */;\nSELECT 1;\n-- trailer')).toEqual([
      'SELECT 1',
    ]);
  });

  it('treats -- without a following space as code, as MySQL does', () => {
    expect(splitSqlStatements('SELECT 1--1;SELECT 2')).toEqual(['SELECT 1--1', 'SELECT 2']);
  });

  it('keeps executable comments as code', () => {
    expect(splitSqlStatements('/*!40101 SET NAMES utf8mb4 */;')).toEqual(['/*!40101 SET NAMES utf8mb4 */']);
  });

  it('reports an unterminated string with its position instead of guessing', () => {
    expect(() => splitSqlStatements("SELECT 1;\nSELECT 'oops")).toThrow(SqlSplitError);
    expect(() => splitSqlStatements("SELECT 1;\nSELECT 'oops")).toThrow(/line 2, column 8/);
  });

  it('finds one CREATE TABLE per module table in sql/001_initial.sql', async () => {
    const [first] = await readMigrationFiles();
    const statements = splitSqlStatements(first!.sql);
    const tables = statements.map((s) => /^CREATE TABLE IF NOT EXISTS (b_b24xero_\w+) \(/m.exec(s)?.[1]);
    expect(tables).toEqual([
      'b_b24xero_link', 'b_b24xero_cursor', 'b_b24xero_run', 'b_b24xero_record_error', 'b_b24xero_inbox',
      'b_b24xero_change', 'b_b24xero_transaction', 'b_b24xero_governor', 'b_b24xero_webhook_event', 'b_b24xero_token',
    ]);
  });
});
