<?php

declare(strict_types=1);

namespace B24xero\Sync\Tests;

use B24xero\Sync\Db\MysqliDatabase;

/**
 * An empty database of its own for one test class on the shared test server (TEST_DB_URL, default
 * mysql://root@127.0.0.1:3306/), dropped afterwards — the PHP twin of test/helpers/test-db.ts.
 */
final class TestDatabase
{
    private function __construct(public readonly string $name, public readonly string $url, public readonly MysqliDatabase $db)
    {
    }

    public static function serverUrl(): string
    {
        return rtrim(getenv('TEST_DB_URL') ?: 'mysql://root@127.0.0.1:3306/', '/') . '/';
    }

    public static function create(string $label): self
    {
        $name = 'b24xt_php_' . substr(preg_replace('/[^a-z0-9_]/', '_', strtolower($label)), 0, 24) . '_' . bin2hex(random_bytes(3));
        $admin = MysqliDatabase::fromUrl(self::serverUrl());
        $admin->execute("CREATE DATABASE `{$name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        $admin->close();
        $url = self::serverUrl() . $name;
        return new self($name, $url, MysqliDatabase::fromUrl($url));
    }

    /** Another connection to the same database (a second migrator, a lock holder). */
    public function connect(): MysqliDatabase
    {
        return MysqliDatabase::fromUrl($this->url);
    }

    public function drop(): void
    {
        $this->db->close();
        $admin = MysqliDatabase::fromUrl(self::serverUrl());
        $admin->execute("DROP DATABASE IF EXISTS `{$this->name}`");
        $admin->close();
    }

    /** @return list<string> */
    public function tables(): array
    {
        return array_map(
            static fn (array $r): string => (string)$r['name'],
            $this->db->fetchAll('SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME'),
        );
    }
}
