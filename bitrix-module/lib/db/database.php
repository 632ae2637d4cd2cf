<?php

declare(strict_types=1);

namespace B24xero\Sync\Db;

/**
 * The one connection the module talks through: Bitrix's own (Crm\BitrixDatabase) inside a portal, a plain mysqli one
 * (MysqliDatabase) where the module's logic runs without Bitrix (tests, the fixture applier). Statements take `?`
 * placeholders bound by SqlParams, so every implementation quotes values the same way.
 */
interface Database
{
    /**
     * @param list<scalar|null> $params
     * @return list<array<string, string|null>> rows as the server returned them (numbers come back as strings)
     * @throws DatabaseError
     */
    public function fetchAll(string $sql, array $params = []): array;

    /**
     * @param list<scalar|null> $params
     * @return int rows affected
     * @throws DatabaseError
     */
    public function execute(string $sql, array $params = []): int;

    /** AUTO_INCREMENT value of the last INSERT on this connection. */
    public function lastInsertId(): int;

    /** A string as an SQL literal, quotes included. */
    public function quote(string $value): string;

    /** Opens a transaction (or, where the platform supports it, a nested level of the one already open). */
    public function begin(): void;

    public function commit(): void;

    public function rollback(): void;

    /** The schema the connection works in (lock names carry it: GET_LOCK names are server-wide). */
    public function databaseName(): string;
}
