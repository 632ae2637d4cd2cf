<?php

declare(strict_types=1);

namespace B24xero\Sync\Tests\Integration;

use B24xero\Sync\Db\LockName;
use B24xero\Sync\Db\MigrationError;
use B24xero\Sync\Db\MigrationFile;
use B24xero\Sync\Db\Migrator;
use B24xero\Sync\Module;
use B24xero\Sync\Tests\TestDatabase;
use PHPUnit\Framework\TestCase;

/** The installer's migrator on the real sql/ files and on scratch folders, against MariaDB. */
final class MigratorTest extends TestCase
{
    private static TestDatabase $t;

    public static function setUpBeforeClass(): void
    {
        self::$t = TestDatabase::create('migrator');
    }

    public static function tearDownAfterClass(): void
    {
        self::$t->drop();
    }

    public function testAppliesEverySqlFileInOrderAndRecordsItWithTheDaemonsChecksum(): void
    {
        $files = MigrationFile::readDir(Module::sqlDir());
        $applied = (new Migrator(self::$t->db, Module::sqlDir()))->migrate();
        self::assertSame(array_map(static fn (MigrationFile $f) => $f->name, $files), $applied);
        $rows = self::$t->db->fetchAll('SELECT VERSION, NAME, CHECKSUM FROM b_b24xero_migration ORDER BY VERSION');
        self::assertSame(
            array_map(static fn (MigrationFile $f) => ['VERSION' => (string)$f->version, 'NAME' => $f->name, 'CHECKSUM' => hash('sha256', str_replace("\r\n", "\n", $f->sql))], $files),
            $rows,
        );
        self::assertContains('b_b24xero_inbox_result', self::$t->tables());
    }

    /** @depends testAppliesEverySqlFileInOrderAndRecordsItWithTheDaemonsChecksum */
    public function testASecondRunDoesNothing(): void
    {
        $migrator = new Migrator(self::$t->db, Module::sqlDir());
        self::assertSame([], $migrator->migrate());
        self::assertSame([], $migrator->pending());
    }

    /** @depends testASecondRunDoesNothing */
    public function testWaitsForTheLockAndGivesUpWithAClearErrorWhileAnotherMigratorHoldsIt(): void
    {
        $holder = self::$t->connect();
        $lock = LockName::forServer('b24xero:migrate:', self::$t->name);
        self::assertSame('1', $holder->fetchAll('SELECT GET_LOCK(?, 5) AS got', [$lock])[0]['got']);
        try {
            $this->expectException(MigrationError::class);
            $this->expectExceptionMessage("another migration holds the lock '{$lock}'");
            (new Migrator(self::$t->db, Module::sqlDir(), 0))->migrate();
        } finally {
            $holder->fetchAll('SELECT RELEASE_LOCK(?) AS r', [$lock]);
            $holder->close();
        }
    }

    public function testRefusesAFileChangedAfterItWasAppliedBeforeRunningAnything(): void
    {
        $t = TestDatabase::create('migrator_changed');
        $dir = $this->scratch(['001_first.sql' => "CREATE TABLE IF NOT EXISTS b_b24xero_x (ID INT NOT NULL, PRIMARY KEY (ID)) ENGINE=InnoDB;\n"]);
        try {
            (new Migrator($t->db, $dir))->migrate();
            file_put_contents("{$dir}/001_first.sql", "CREATE TABLE IF NOT EXISTS b_b24xero_x (ID BIGINT NOT NULL, PRIMARY KEY (ID)) ENGINE=InnoDB;\n");
            file_put_contents("{$dir}/002_second.sql", "CREATE TABLE IF NOT EXISTS b_b24xero_y (ID INT NOT NULL, PRIMARY KEY (ID)) ENGINE=InnoDB;\n");
            try {
                (new Migrator($t->db, $dir))->migrate();
                self::fail('ran over an edited migration');
            } catch (MigrationError $e) {
                self::assertStringContainsString('001_first.sql was changed after it was applied', $e->getMessage());
            }
            self::assertNotContains('b_b24xero_y', $t->tables());
        } finally {
            $t->drop();
            $this->removeScratch($dir);
        }
    }

    public function testRefusesADatabaseMigratedByANewerRelease(): void
    {
        $t = TestDatabase::create('migrator_newer');
        $dir = $this->scratch(['001_first.sql' => "CREATE TABLE IF NOT EXISTS b_b24xero_x (ID INT NOT NULL, PRIMARY KEY (ID)) ENGINE=InnoDB;\n"]);
        try {
            (new Migrator($t->db, $dir))->migrate();
            $t->db->execute("INSERT INTO b_b24xero_migration VALUES (9, '009_future', REPEAT('a', 64), UTC_TIMESTAMP(3))");
            $this->expectException(MigrationError::class);
            $this->expectExceptionMessage('the database has migration 009_future which this module does not know');
            (new Migrator($t->db, $dir))->migrate();
        } finally {
            $t->drop();
            $this->removeScratch($dir);
        }
    }

    public function testNamesTheFileAndStatementThatFailedAndRecordsNothingForIt(): void
    {
        $t = TestDatabase::create('migrator_broken');
        $dir = $this->scratch([
            '001_first.sql' => "CREATE TABLE IF NOT EXISTS b_b24xero_x (ID INT NOT NULL, PRIMARY KEY (ID)) ENGINE=InnoDB;\n",
            '002_broken.sql' => "CREATE TABLE IF NOT EXISTS b_b24xero_y (ID INT NOT NULL) ENGINE=InnoDB;\nALTER TABLE b_b24xero_nope ADD COLUMN Z INT;\n",
        ]);
        try {
            try {
                (new Migrator($t->db, $dir))->migrate();
                self::fail('a failing statement went unnoticed');
            } catch (MigrationError $e) {
                self::assertStringStartsWith('002_broken.sql statement 2 of 2 failed:', $e->getMessage());
            }
            self::assertSame(['1'], array_column($t->db->fetchAll('SELECT VERSION FROM b_b24xero_migration'), 'VERSION'));
        } finally {
            $t->drop();
            $this->removeScratch($dir);
        }
    }

    public function testLockNamesHashDatabaseNamesTooLongForGetLock(): void
    {
        self::assertSame('b24xero:migrate:sitemanager', LockName::forServer('b24xero:migrate:', 'sitemanager'));
        $long = LockName::forServer('b24xero:migrate:', str_repeat('x', 64));
        self::assertSame('b24xero:migrate:' . substr(hash('sha256', str_repeat('x', 64)), 0, 40), $long);
        self::assertLessThanOrEqual(64, strlen($long));
    }

    /** @param array<string, string> $files */
    private function scratch(array $files): string
    {
        $dir = sys_get_temp_dir() . '/b24xero-sql-' . bin2hex(random_bytes(4));
        mkdir($dir);
        foreach ($files as $name => $sql) {
            file_put_contents("{$dir}/{$name}", $sql);
        }
        return $dir;
    }

    private function removeScratch(string $dir): void
    {
        array_map('unlink', glob("{$dir}/*") ?: []);
        rmdir($dir);
    }
}
