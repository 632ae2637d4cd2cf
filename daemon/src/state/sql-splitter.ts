/**
 * Splits a plain SQL file into statements on `;`, the way the MySQL client does for files without DELIMITER:
 * a `;` inside a quoted string ('…', "…", `…`, with backslash escapes and doubled quotes), a `-- ` or `#` line
 * comment, or a `/* … *\/` block comment does not end a statement. Statements made only of comments are dropped;
 * comments inside a statement are kept (the server ignores them, and `/*! … *\/` hints keep working).
 *
 * Not supported on purpose: DELIMITER, stored programs. sql/ files stay plain so the Bitrix installer's
 * $DB->RunSQLBatch can run them too (see sql/README.md).
 */
export function splitSqlStatements(text: string): string[] {
  const statements: string[] = [];
  let start = 0;
  let hasCode = false;
  let i = 0;
  const n = text.length;

  const flush = (end: number) => {
    const statement = text.slice(start, end).trim();
    if (hasCode && statement !== '') statements.push(statement);
    hasCode = false;
  };

  while (i < n) {
    const c = text[i]!;
    const next = text[i + 1];
    if (c === "'" || c === '"' || c === '`') {
      hasCode = true;
      i = skipQuoted(text, i, c);
    } else if (c === '#' || (c === '-' && next === '-' && isLineCommentAfterDashes(text[i + 2]))) {
      const eol = text.indexOf('\n', i);
      i = eol === -1 ? n : eol + 1;
    } else if (c === '/' && next === '*') {
      const close = text.indexOf('*/', i + 2);
      if (close === -1) throw new SqlSplitError(`unterminated /* comment at ${position(text, i)}`);
      // An executable comment (/*! … */ or /*M! … */) is code, not a comment.
      if (text[i + 2] === '!' || (text[i + 2] === 'M' && text[i + 3] === '!')) hasCode = true;
      i = close + 2;
    } else if (c === ';') {
      flush(i);
      start = i + 1;
      i += 1;
    } else {
      if (!/\s/.test(c)) hasCode = true;
      i += 1;
    }
  }
  flush(n);
  return statements;
}

export class SqlSplitError extends Error {
  override name = 'SqlSplitError';
}

/** MySQL needs whitespace (or the end of the line/file) after `--` for it to start a comment. */
function isLineCommentAfterDashes(after: string | undefined): boolean {
  return after === undefined || /\s/.test(after);
}

/** Returns the index just past the closing quote. */
function skipQuoted(text: string, open: number, quote: string): number {
  let i = open + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\' && quote !== '`') {
      i += 2;
    } else if (c === quote) {
      if (text[i + 1] === quote) i += 2; // doubled quote is an escaped quote
      else return i + 1;
    } else {
      i += 1;
    }
  }
  throw new SqlSplitError(`unterminated ${quote} string starting at ${position(text, open)}`);
}

function position(text: string, index: number): string {
  const before = text.slice(0, index);
  const line = before.split('\n').length;
  const column = index - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}
