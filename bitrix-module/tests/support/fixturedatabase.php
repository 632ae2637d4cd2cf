<?php

declare(strict_types=1);

namespace B24xero\Sync\Tests;

use B24xero\Sync\Db\MysqliDatabase;

/**
 * A database holding the Bitrix fixture of test/fixture (the same tables the daemon's tests use), made by
 * test/module/fixture-db.ts. `info` is the fixture's FixtureInfo, `scenario` the ids of the records a scenario built.
 */
final class FixtureDatabase
{
    /**
     * @param array<string, mixed> $info
     * @param array<string, mixed> $scenario
     */
    private function __construct(
        public readonly string $name,
        public readonly string $url,
        public readonly MysqliDatabase $db,
        public readonly array $info,
        public readonly array $scenario,
    ) {
    }

    /** @param list<string> $flags e.g. ['--migrate', '--crm', '23', '--no-module-fields', '--scenario', 'applier'] */
    public static function create(string $label, array $flags = []): self
    {
        $root = dirname(__DIR__, 3);
        $command = array_merge([$root . '/node_modules/.bin/tsx', $root . '/test/module/fixture-db.ts', 'create', '--label', $label], $flags);
        $process = proc_open($command, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, $root, getenv() ?: null);
        if (!is_resource($process)) {
            throw new \RuntimeException('cannot start ' . $command[0]);
        }
        $out = stream_get_contents($pipes[1]);
        $err = stream_get_contents($pipes[2]);
        $status = proc_close($process);
        if ($status !== 0) {
            throw new \RuntimeException("fixture-db.ts failed ({$status}): {$err}");
        }
        $data = json_decode(trim((string)$out), true, 512, JSON_THROW_ON_ERROR);
        return new self($data['name'], $data['url'], MysqliDatabase::fromUrl($data['url']), $data['info'], $data['scenario'] ?: []);
    }

    public function connect(): MysqliDatabase
    {
        return MysqliDatabase::fromUrl($this->url);
    }

    public function drop(): void
    {
        $this->db->close();
        $admin = MysqliDatabase::fromUrl(TestDatabase::serverUrl());
        $admin->execute("DROP DATABASE IF EXISTS `{$this->name}`");
        $admin->close();
    }

    /** One value, for assertions. */
    public function value(string $sql, array $params = []): ?string
    {
        $row = $this->db->fetchAll($sql, $params)[0] ?? null;
        return $row === null ? null : array_values($row)[0];
    }
}
