<?php

declare(strict_types=1);

namespace B24xero\Sync\Tests\Unit;

use B24xero\Sync\Db\SqlParams;
use B24xero\Sync\Db\SqlSplitter;
use PHPUnit\Framework\TestCase;

final class SqlSplitterTest extends TestCase
{
    public function testSplitsOnSemicolonsOutsideStringsAndComments(): void
    {
        $sql = "-- a comment; with a semicolon\nCREATE TABLE a (X VARCHAR(5) DEFAULT ';');\n# hash comment;\n"
            . "INSERT INTO a VALUES ('it''s; fine', \"q;\", `c;`);\n/* block; */ SELECT 1;\n-- only a comment;\n";
        self::assertSame([
            "-- a comment; with a semicolon\nCREATE TABLE a (X VARCHAR(5) DEFAULT ';')",
            "# hash comment;\nINSERT INTO a VALUES ('it''s; fine', \"q;\", `c;`)",
            '/* block; */ SELECT 1',
        ], SqlSplitter::split($sql));
    }

    public function testKeepsBackslashEscapedQuotesInsideAString(): void
    {
        self::assertSame(["SELECT 'a\\';b'", 'SELECT 2'], SqlSplitter::split("SELECT 'a\\';b'; SELECT 2"));
    }

    public function testTreatsDashesWithoutASpaceAsCode(): void
    {
        self::assertSame(['SELECT 1--1', 'SELECT 2'], SqlSplitter::split("SELECT 1--1; SELECT 2;"));
    }

    public function testRefusesAnUnterminatedString(): void
    {
        $this->expectExceptionMessage("unterminated ' string starting at line 2, column 8");
        SqlSplitter::split("SELECT 1;\nSELECT 'oops");
    }

    public function testBindsPlaceholdersAsQuotedLiterals(): void
    {
        $quote = static fn (string $s): string => "'" . addslashes($s) . "'";
        self::assertSame(
            "INSERT INTO t VALUES (NULL, 1, 0, 42, 2.5, 'it\\'s ?')",
            SqlParams::bind('INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)', [null, true, false, 42, 2.5, "it's ?"], $quote),
        );
        self::assertSame('SELECT 0.1', SqlParams::bind('SELECT ?', [0.1], $quote));
        self::assertSame('SELECT 100', SqlParams::bind('SELECT ?', [100.0], $quote));
        $this->expectExceptionMessage('statement has 2 placeholders but 1 values were given');
        SqlParams::bind('SELECT ?, ?', [1], $quote);
    }
}
