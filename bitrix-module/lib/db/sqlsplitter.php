<?php

declare(strict_types=1);

namespace B24xero\Sync\Db;

/**
 * Splits a plain SQL file into statements on `;` exactly as the daemon's splitter (daemon/src/state/sql-splitter.ts)
 * does, so the installer and `b24xero migrate` run the same statements: a `;` inside a quoted string ('…', "…", `…`,
 * with backslash escapes and doubled quotes), a `-- ` or `#` line comment, or a block comment does not end a statement;
 * statements made only of comments are dropped. No DELIMITER, no stored programs (sql/README.md keeps files plain).
 */
final class SqlSplitter
{
    /** @return list<string> */
    public static function split(string $text): array
    {
        $statements = [];
        $start = 0;
        $hasCode = false;
        $n = strlen($text);
        $i = 0;
        $flush = static function (int $end) use (&$statements, &$start, &$hasCode, $text): void {
            $statement = trim(substr($text, $start, $end - $start));
            if ($hasCode && $statement !== '') {
                $statements[] = $statement;
            }
            $hasCode = false;
        };
        while ($i < $n) {
            $c = $text[$i];
            $next = $text[$i + 1] ?? '';
            if ($c === "'" || $c === '"' || $c === '`') {
                $hasCode = true;
                $i = self::skipQuoted($text, $i, $c);
            } elseif ($c === '#' || ($c === '-' && $next === '-' && self::isCommentStart($text[$i + 2] ?? null))) {
                $eol = strpos($text, "\n", $i);
                $i = $eol === false ? $n : $eol + 1;
            } elseif ($c === '/' && $next === '*') {
                $close = strpos($text, '*/', $i + 2);
                if ($close === false) {
                    throw new \InvalidArgumentException('unterminated /* comment at ' . self::position($text, $i));
                }
                $marker = substr($text, $i + 2, 2);
                if ($marker[0] === '!' || $marker === 'M!') {
                    $hasCode = true; // an executable comment is code
                }
                $i = $close + 2;
            } elseif ($c === ';') {
                $flush($i);
                $start = $i + 1;
                $i++;
            } else {
                if (!ctype_space($c)) {
                    $hasCode = true;
                }
                $i++;
            }
        }
        $flush($n);
        return $statements;
    }

    /** MySQL needs whitespace (or the end of the text) after `--` for it to start a comment. */
    private static function isCommentStart(?string $after): bool
    {
        return $after === null || ctype_space($after);
    }

    private static function skipQuoted(string $text, int $open, string $quote): int
    {
        $i = $open + 1;
        $n = strlen($text);
        while ($i < $n) {
            $c = $text[$i];
            if ($c === '\\' && $quote !== '`') {
                $i += 2;
            } elseif ($c === $quote) {
                if (($text[$i + 1] ?? '') === $quote) {
                    $i += 2;
                } else {
                    return $i + 1;
                }
            } else {
                $i++;
            }
        }
        throw new \InvalidArgumentException("unterminated {$quote} string starting at " . self::position($text, $open));
    }

    private static function position(string $text, int $index): string
    {
        $before = substr($text, 0, $index);
        $line = substr_count($before, "\n") + 1;
        $lastNl = strrpos($before, "\n");
        $column = $index - ($lastNl === false ? -1 : $lastNl);
        return "line {$line}, column {$column}";
    }
}
