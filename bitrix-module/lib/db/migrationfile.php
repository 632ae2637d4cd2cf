<?php

declare(strict_types=1);

namespace B24xero\Sync\Db;

/** One `NNN_name.sql` of sql/: NNN is the VERSION recorded in b_b24xero_migration, the name without `.sql` its NAME. */
final class MigrationFile
{
    private const FILE_NAME = '/^(\d+)_([A-Za-z0-9_-]+)\.sql$/';

    private function __construct(
        public readonly int $version,
        public readonly string $name,
        public readonly string $sql,
        public readonly string $checksum,
    ) {
    }

    /** sha256 of the text with CRLF made LF, as the daemon computes it, so a Windows checkout does not look changed. */
    public static function checksumOf(string $sql): string
    {
        return hash('sha256', str_replace("\r\n", "\n", $sql));
    }

    /**
     * Every migration file of `$dir` in version order; README, examples and the inbox/ folder are ignored.
     * @return list<self>
     */
    public static function readDir(string $dir): array
    {
        $entries = @scandir($dir);
        if ($entries === false) {
            throw new \RuntimeException("cannot read the migrations folder {$dir}");
        }
        $files = [];
        foreach ($entries as $entry) {
            if (!preg_match(self::FILE_NAME, $entry, $m)) {
                continue;
            }
            $sql = file_get_contents($dir . '/' . $entry);
            if ($sql === false) {
                throw new \RuntimeException("cannot read {$dir}/{$entry}");
            }
            $version = (int)$m[1];
            if (isset($files[$version])) {
                throw new \RuntimeException("two migration files share version {$version}: {$files[$version]->name}.sql and {$entry}");
            }
            $files[$version] = new self($version, substr($entry, 0, -4), $sql, self::checksumOf($sql));
        }
        ksort($files);
        return array_values($files);
    }

    /** Names of the tables the file creates (uninstall's "remove everything" drops them). @return list<string> */
    public function createdTables(): array
    {
        preg_match_all('/CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?`?(\w+)`?/i', $this->sql, $m);
        return array_values(array_unique($m[1]));
    }
}
