<?php

declare(strict_types=1);

namespace B24xero\Sync\Db;

/**
 * A Database over a plain mysqli connection, for running the module's logic without Bitrix: the PHPUnit suite and the
 * fixture applier the daemon's end-to-end tests and demo start. Sessions run in Bitrix's sql_mode='' so rows are
 * stored the way a portal stores them.
 */
final class MysqliDatabase implements Database
{
    private int $depth = 0;

    public function __construct(private readonly \mysqli $link)
    {
    }

    /** mysql://user:pass@host:port/database, the form BITRIX_DB_URL and TEST_DB_URL use. */
    public static function fromUrl(string $url): self
    {
        $parts = parse_url($url);
        if ($parts === false || ($parts['scheme'] ?? '') !== 'mysql') {
            throw new \InvalidArgumentException('expected a mysql://user:pass@host:port/database URL');
        }
        $database = ltrim(rawurldecode($parts['path'] ?? ''), '/');
        mysqli_report(MYSQLI_REPORT_OFF);
        $link = mysqli_init();
        if ($link === false) {
            throw new DatabaseError('mysqli_init failed');
        }
        $ok = @$link->real_connect(
            $parts['host'] ?? '127.0.0.1',
            rawurldecode($parts['user'] ?? 'root'),
            rawurldecode($parts['pass'] ?? ''),
            $database === '' ? null : $database,
            (int)($parts['port'] ?? 3306),
        );
        if (!$ok) {
            throw new DatabaseError('cannot connect to ' . ($parts['host'] ?? '') . ': ' . $link->connect_error, $link->connect_errno);
        }
        $link->set_charset('utf8mb4');
        $db = new self($link);
        $db->execute("SET SESSION sql_mode = ''");
        return $db;
    }

    public function fetchAll(string $sql, array $params = []): array
    {
        $result = $this->run($sql, $params);
        if (!$result instanceof \mysqli_result) {
            return [];
        }
        $rows = [];
        while (($row = $result->fetch_assoc()) !== null) {
            $rows[] = array_map(static fn ($v) => $v === null ? null : (string)$v, $row);
        }
        $result->free();
        return $rows;
    }

    public function execute(string $sql, array $params = []): int
    {
        $result = $this->run($sql, $params);
        if ($result instanceof \mysqli_result) {
            $result->free();
        }
        return max(0, (int)$this->link->affected_rows);
    }

    public function lastInsertId(): int
    {
        return (int)$this->link->insert_id;
    }

    public function quote(string $value): string
    {
        return "'" . $this->link->real_escape_string($value) . "'";
    }

    public function begin(): void
    {
        if ($this->depth > 0) {
            throw new \LogicException('MysqliDatabase does not nest transactions');
        }
        $this->execute('START TRANSACTION');
        $this->depth = 1;
    }

    public function commit(): void
    {
        $this->execute('COMMIT');
        $this->depth = 0;
    }

    public function rollback(): void
    {
        $this->execute('ROLLBACK');
        $this->depth = 0;
    }

    public function databaseName(): string
    {
        return (string)($this->fetchAll('SELECT DATABASE() AS db')[0]['db'] ?? '');
    }

    public function close(): void
    {
        $this->link->close();
    }

    /** @param list<scalar|null> $params */
    private function run(string $sql, array $params): \mysqli_result|bool
    {
        $bound = SqlParams::bind($sql, $params, $this->quote(...));
        $result = $this->link->query($bound);
        if ($result === false) {
            throw new DatabaseError($this->link->error . ' in: ' . substr($bound, 0, 300), $this->link->errno);
        }
        return $result;
    }
}
