<?php

declare(strict_types=1);

namespace B24xero\Sync\Crm;

use B24xero\Sync\Db\Database;
use B24xero\Sync\Db\DatabaseError;
use B24xero\Sync\Db\SqlParams;
use Bitrix\Main\Application;
use Bitrix\Main\DB\Connection;
use Bitrix\Main\DB\SqlQueryException;

/**
 * Database over Bitrix's own connection (Application::getConnection()), so the module's statements share the
 * transaction of whatever crm is doing: a change-feed row written inside a user's save commits or rolls back with
 * it, and the applier's transaction wraps the factory operations it runs. Transactions nest the way Bitrix nests
 * them (savepoints).
 */
final class BitrixDatabase implements Database
{
    public function __construct(private readonly Connection $connection)
    {
    }

    public static function main(): self
    {
        return new self(Application::getConnection());
    }

    public function fetchAll(string $sql, array $params = []): array
    {
        $bound = SqlParams::bind($sql, $params, $this->quote(...));
        try {
            $result = $this->connection->query($bound);
        } catch (SqlQueryException $e) {
            throw $this->error($e);
        }
        $rows = [];
        while ($row = $result->fetch()) {
            $rows[] = array_map(static fn ($v) => $v === null ? null : (string)$v, $row);
        }
        return $rows;
    }

    public function execute(string $sql, array $params = []): int
    {
        $bound = SqlParams::bind($sql, $params, $this->quote(...));
        try {
            $this->connection->queryExecute($bound);
        } catch (SqlQueryException $e) {
            throw $this->error($e);
        }
        return (int)$this->connection->getAffectedRowsCount();
    }

    public function lastInsertId(): int
    {
        return (int)$this->connection->getInsertedId();
    }

    public function quote(string $value): string
    {
        return "'" . $this->connection->getSqlHelper()->forSql($value) . "'";
    }

    public function begin(): void
    {
        $this->connection->startTransaction();
    }

    public function commit(): void
    {
        $this->connection->commitTransaction();
    }

    public function rollback(): void
    {
        $this->connection->rollbackTransaction();
    }

    public function databaseName(): string
    {
        return (string)$this->connection->getDatabase();
    }

    private function error(SqlQueryException $e): DatabaseError
    {
        // MysqliConnection words the server's error as "(<errno>) <text>".
        $message = (string)($e->getDatabaseMessage() ?: $e->getMessage());
        $code = preg_match('/^\((\d+)\)/', $message, $m) ? (int)$m[1] : 0;
        return new DatabaseError($message, $code, $e);
    }
}
