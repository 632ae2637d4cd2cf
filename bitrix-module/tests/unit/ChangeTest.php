<?php

declare(strict_types=1);

namespace B24xero\Sync\Tests\Unit;

use B24xero\Sync\ChangeFeed\Change;
use PHPUnit\Framework\TestCase;

/** What each Bitrix event's arguments become as a change-feed row (the arguments as crm, iblock and catalog pass them). */
final class ChangeTest extends TestCase
{
    private static function event(array $parameters): object
    {
        // The part of \Bitrix\Main\Event the handlers use.
        return new class ($parameters) {
            public function __construct(private readonly array $parameters)
            {
            }

            public function getParameter(string $key): mixed
            {
                return $this->parameters[$key] ?? null;
            }
        };
    }

    public function testReadsTheIdOfCrmsSmartInvoiceItemEvents(): void
    {
        self::assertEquals(new Change('smart_invoice', 42, 'update'), Change::fromItemEvent(self::event(['id' => 42, 'item' => new \stdClass()]), 'update'));
        self::assertEquals(new Change('smart_invoice', 7, 'delete'), Change::fromItemEvent(self::event(['id' => '7']), 'delete'));
        self::assertNull(Change::fromItemEvent(self::event([]), 'add'));
    }

    public function testReadsTheIdFromSavedFieldsOrFromTheDeletedId(): void
    {
        self::assertEquals(new Change('legacy_invoice', 5, 'update'), Change::fromFields('legacy_invoice', ['ID' => 5, 'STATUS_ID' => 'P', 'RESULT' => true], 'update'));
        self::assertEquals(new Change('contact', 9, 'add'), Change::fromFields('contact', ['ID' => '9', 'NAME' => 'Aroha'], 'add'));
        self::assertEquals(new Change('company', 3, 'delete'), Change::fromId('company', 3, 'delete'));
        self::assertNull(Change::fromFields('contact', ['NAME' => 'no id'], 'add'));
        self::assertNull(Change::fromFields('contact', null, 'add'));
        self::assertNull(Change::fromId('company', 0, 'delete'));
        self::assertNull(Change::fromId('company', 'abc', 'delete'));
    }

    public function testTakesOnlyElementsOfCrmsCatalogAndNotFailedSaves(): void
    {
        $isCatalog = static fn (int $iblockId): bool => $iblockId === 14;
        self::assertEquals(new Change('product', 100, 'update'), Change::fromElement(['ID' => 100, 'IBLOCK_ID' => 14, 'RESULT' => true], 'update', $isCatalog));
        self::assertEquals(new Change('product', 101, 'delete'), Change::fromElement(['ID' => '101', 'IBLOCK_ID' => '14'], 'delete', $isCatalog));
        self::assertNull(Change::fromElement(['ID' => 100, 'IBLOCK_ID' => 3, 'RESULT' => true], 'update', $isCatalog));
        self::assertNull(Change::fromElement(['ID' => 100, 'IBLOCK_ID' => 14, 'RESULT' => false], 'add', $isCatalog));
    }

    public function testRefusesEntityTypesAndActionsTheDaemonDoesNotKnow(): void
    {
        $this->expectException(\InvalidArgumentException::class);
        new Change('deal', 1, 'update');
    }
}
