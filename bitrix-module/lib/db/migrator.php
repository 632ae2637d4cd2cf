<?php

declare(strict_types=1);

namespace B24xero\Sync\Db;

/**
 * Applies the sql/ files the way the daemon's migrator (daemon/src/state/migrator.ts, protocol in sql/README.md)
 * does, so either may go first and both see the same history: one connection holds
 * GET_LOCK('b24xero:migrate:<database>'), the b_b24xero_migration table is created if missing, recorded checksums
 * are compared with the files (an edited or unknown migration stops everything before a statement runs), and each
 * missing file is run statement by statement and recorded with UTC_TIMESTAMP(3). MySQL DDL commits on its own, so
 * the lock, not a transaction, keeps two migrators apart; every statement of sql/ is re-runnable after a crash.
 */
final class Migrator
{
    public const TABLE = 'b_b24xero_migration';

    public const TABLE_DDL = 'CREATE TABLE IF NOT EXISTS b_b24xero_migration (
  VERSION INT UNSIGNED NOT NULL,
  NAME VARCHAR(255) NOT NULL,
  CHECKSUM CHAR(64) NOT NULL,
  APPLIED_AT DATETIME(3) NOT NULL,
  PRIMARY KEY (VERSION)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci';

    public function __construct(
        private readonly Database $db,
        private readonly string $sqlDir,
        private readonly int $lockTimeoutSeconds = 60,
    ) {
    }

    /**
     * @return list<string> names of the files applied by this run (empty when the schema was current)
     * @throws MigrationError
     */
    public function migrate(): array
    {
        $files = MigrationFile::readDir($this->sqlDir);
        // Split everything first: a broken 004 must not leave 003 half-done.
        $statements = [];
        foreach ($files as $file) {
            $statements[$file->version] = SqlSplitter::split($file->sql);
        }
        $lock = LockName::forServer('b24xero:migrate:', $this->db->databaseName());
        $got = $this->db->fetchAll('SELECT GET_LOCK(?, ?) AS got', [$lock, $this->lockTimeoutSeconds])[0]['got'] ?? null;
        if ($got !== '1') {
            throw new MigrationError("another migration holds the lock '{$lock}' and did not finish within {$this->lockTimeoutSeconds}s; try again later");
        }
        try {
            $this->ensureTable();
            $recorded = $this->recorded();
            $this->checkHistory($files, $recorded);
            $applied = [];
            foreach ($files as $file) {
                if (isset($recorded[$file->version])) {
                    continue;
                }
                foreach ($statements[$file->version] as $index => $statement) {
                    try {
                        $this->db->execute($statement);
                    } catch (DatabaseError $e) {
                        throw new MigrationError(sprintf(
                            '%s.sql statement %d of %d failed: %s',
                            $file->name,
                            $index + 1,
                            count($statements[$file->version]),
                            $e->getMessage(),
                        ), 0, $e);
                    }
                }
                $this->db->execute(
                    'INSERT INTO b_b24xero_migration (VERSION, NAME, CHECKSUM, APPLIED_AT) VALUES (?, ?, ?, UTC_TIMESTAMP(3))',
                    [$file->version, $file->name, $file->checksum],
                );
                $applied[] = $file->name;
            }
            return $applied;
        } finally {
            try {
                $this->db->fetchAll('SELECT RELEASE_LOCK(?) AS released', [$lock]);
            } catch (DatabaseError) {
                // The server releases the lock with the connection anyway.
            }
        }
    }

    /** Files not yet recorded (read-only, no lock): what an install would run. @return list<string> */
    public function pending(): array
    {
        $recorded = $this->tableExists() ? $this->recorded() : [];
        $names = [];
        foreach (MigrationFile::readDir($this->sqlDir) as $file) {
            if (!isset($recorded[$file->version])) {
                $names[] = $file->name;
            }
        }
        return $names;
    }

    /** Every table the sql/ files create, plus the migrations table: what "remove everything" drops. @return list<string> */
    public function moduleTables(): array
    {
        $tables = [];
        foreach (MigrationFile::readDir($this->sqlDir) as $file) {
            array_push($tables, ...$file->createdTables());
        }
        $tables[] = self::TABLE;
        return array_values(array_unique($tables));
    }

    private function tableExists(): bool
    {
        return $this->db->fetchAll("SHOW TABLES LIKE 'b\\_b24xero\\_migration'") !== [];
    }

    /** Skipped when the table is there, so an account without database-wide CREATE can still run the no-op check. */
    private function ensureTable(): void
    {
        if (!$this->tableExists()) {
            $this->db->execute(self::TABLE_DDL);
        }
    }

    /** @return array<int, array{name: string, checksum: string}> */
    private function recorded(): array
    {
        $out = [];
        foreach ($this->db->fetchAll('SELECT VERSION, NAME, CHECKSUM FROM b_b24xero_migration') as $row) {
            $out[(int)$row['VERSION']] = ['name' => (string)$row['NAME'], 'checksum' => (string)$row['CHECKSUM']];
        }
        return $out;
    }

    /**
     * @param list<MigrationFile> $files
     * @param array<int, array{name: string, checksum: string}> $recorded
     */
    private function checkHistory(array $files, array $recorded): void
    {
        $problems = [];
        $known = [];
        foreach ($files as $file) {
            $known[$file->version] = true;
            $row = $recorded[$file->version] ?? null;
            if ($row !== null && $row['checksum'] !== $file->checksum) {
                $problems[] = sprintf(
                    '%s.sql was changed after it was applied (recorded sha256 %s…, file now %s…); migrations are forward-only: restore the file and add a new one',
                    $file->name,
                    substr($row['checksum'], 0, 12),
                    substr($file->checksum, 0, 12),
                );
            }
        }
        foreach ($recorded as $version => $row) {
            if (!isset($known[$version])) {
                $problems[] = "the database has migration {$row['name']} which this module does not know: it was migrated by a newer b24xero";
            }
        }
        if ($problems !== []) {
            throw new MigrationError("refusing to migrate:\n  - " . implode("\n  - ", $problems));
        }
    }
}
