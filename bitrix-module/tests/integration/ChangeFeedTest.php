<?php

declare(strict_types=1);

namespace B24xero\Sync\Tests\Integration;

use B24xero\Sync\ChangeFeed\Change;
use B24xero\Sync\ChangeFeed\ChangeFeed;
use B24xero\Sync\ChangeFeed\OwnWrites;
use B24xero\Sync\Db\Migrator;
use B24xero\Sync\Module;
use B24xero\Sync\Tests\TestDatabase;
use PHPUnit\Framework\TestCase;

final class ChangeFeedTest extends TestCase
{
    private static TestDatabase $t;

    public static function setUpBeforeClass(): void
    {
        self::$t = TestDatabase::create('changefeed');
        (new Migrator(self::$t->db, Module::sqlDir()))->migrate();
    }

    public static function tearDownAfterClass(): void
    {
        self::$t->drop();
    }

    protected function setUp(): void
    {
        self::$t->db->execute('DELETE FROM b_b24xero_change');
    }

    public function testWritesOneUnclaimedRowPerChangeWithAUtcTime(): void
    {
        $feed = new ChangeFeed(self::$t->db);
        $feed->record(new Change('smart_invoice', 42, 'update'));
        $feed->record(new Change('contact', 7, 'delete'));
        $feed->record(null);
        $rows = self::$t->db->fetchAll(
            'SELECT ENTITY_TYPE, ENTITY_ID, ACTION, CLAIMED_BY, CLAIMED_UNTIL, TIMESTAMPDIFF(SECOND, CREATED_AT, UTC_TIMESTAMP(3)) AS age
             FROM b_b24xero_change ORDER BY ID',
        );
        self::assertSame([
            ['ENTITY_TYPE' => 'smart_invoice', 'ENTITY_ID' => '42', 'ACTION' => 'update', 'CLAIMED_BY' => null, 'CLAIMED_UNTIL' => null, 'age' => '0'],
            ['ENTITY_TYPE' => 'contact', 'ENTITY_ID' => '7', 'ACTION' => 'delete', 'CLAIMED_BY' => null, 'CLAIMED_UNTIL' => null, 'age' => '0'],
        ], $rows);
    }

    public function testWritesNothingForTheAppliersOwnWrites(): void
    {
        $feed = new ChangeFeed(self::$t->db);
        $result = OwnWrites::during(static function () use ($feed): string {
            $feed->record(new Change('smart_invoice', 42, 'update'));
            OwnWrites::during(static fn () => $feed->record(new Change('company', 1, 'update')));
            $feed->record(new Change('legacy_invoice', 5, 'update'));
            return 'done';
        });
        self::assertSame('done', $result);
        self::assertFalse(OwnWrites::active());
        $feed->record(new Change('legacy_invoice', 6, 'update'));
        self::assertSame([['ENTITY_ID' => '6']], self::$t->db->fetchAll('SELECT ENTITY_ID FROM b_b24xero_change'));
    }

    public function testEndsTheOwnWritesStretchEvenWhenTheWritesThrow(): void
    {
        try {
            OwnWrites::during(static function (): void {
                throw new \RuntimeException('crm refused');
            });
        } catch (\RuntimeException) {
        }
        self::assertFalse(OwnWrites::active());
    }

    public function testARowWrittenInsideARolledBackSaveDisappearsWithIt(): void
    {
        self::$t->db->begin();
        (new ChangeFeed(self::$t->db))->record(new Change('company', 3, 'update'));
        self::$t->db->rollback();
        self::assertSame('0', self::$t->db->fetchAll('SELECT COUNT(*) AS n FROM b_b24xero_change')[0]['n']);
    }
}
