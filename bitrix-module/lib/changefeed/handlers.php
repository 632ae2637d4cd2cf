<?php

declare(strict_types=1);

namespace B24xero\Sync\ChangeFeed;

use B24xero\Sync\Crm\BitrixCatalog;
use B24xero\Sync\Crm\BitrixDatabase;
use B24xero\Sync\Module;

/**
 * The event handlers registered by the installer (Install\EventHandlers). Each turns Bitrix's arguments into a
 * Change and records it. A handler never throws into the user's save: whatever goes wrong is logged and the save
 * goes on (the daemon's safety scan still finds the change).
 */
final class Handlers
{
    public static function onSmartInvoiceAdd(object $event): void
    {
        self::record(static fn () => Change::fromItemEvent($event, 'add'));
    }

    public static function onSmartInvoiceUpdate(object $event): void
    {
        self::record(static fn () => Change::fromItemEvent($event, 'update'));
    }

    public static function onSmartInvoiceDelete(object $event): void
    {
        self::record(static fn () => Change::fromItemEvent($event, 'delete'));
    }

    public static function onInvoiceAdd(mixed $fields = null): void
    {
        self::record(static fn () => Change::fromFields('legacy_invoice', $fields, 'add'));
    }

    public static function onInvoiceUpdate(mixed $fields = null): void
    {
        self::record(static fn () => Change::fromFields('legacy_invoice', $fields, 'update'));
    }

    public static function onInvoiceSetStatus(mixed $fields = null): void
    {
        self::record(static fn () => Change::fromFields('legacy_invoice', $fields, 'update'));
    }

    public static function onInvoiceDelete(mixed $id = null): void
    {
        self::record(static fn () => Change::fromId('legacy_invoice', $id, 'delete'));
    }

    public static function onContactAdd(mixed $fields = null): void
    {
        self::record(static fn () => Change::fromFields('contact', $fields, 'add'));
    }

    public static function onContactUpdate(mixed $fields = null): void
    {
        self::record(static fn () => Change::fromFields('contact', $fields, 'update'));
    }

    public static function onContactDelete(mixed $id = null): void
    {
        self::record(static fn () => Change::fromId('contact', $id, 'delete'));
    }

    public static function onCompanyAdd(mixed $fields = null): void
    {
        self::record(static fn () => Change::fromFields('company', $fields, 'add'));
    }

    public static function onCompanyUpdate(mixed $fields = null): void
    {
        self::record(static fn () => Change::fromFields('company', $fields, 'update'));
    }

    public static function onCompanyDelete(mixed $id = null): void
    {
        self::record(static fn () => Change::fromId('company', $id, 'delete'));
    }

    public static function onElementAdd(mixed $fields = null): void
    {
        self::record(static fn () => Change::fromElement($fields, 'add', BitrixCatalog::isProductCatalog(...)));
    }

    public static function onElementUpdate(mixed $fields = null): void
    {
        self::record(static fn () => Change::fromElement($fields, 'update', BitrixCatalog::isProductCatalog(...)));
    }

    public static function onElementDelete(mixed $fields = null): void
    {
        self::record(static fn () => Change::fromElement($fields, 'delete', BitrixCatalog::isProductCatalog(...)));
    }

    /** catalog's OnProductAdd / OnProductUpdate ($id, $fields): VAT, measure or type changed. */
    public static function onCatalogProductSave(mixed $id = null, mixed $fields = null): void
    {
        self::record(static fn () => Change::fromId('product', $id, 'update'));
    }

    /** catalog's OnPriceAdd / OnPriceUpdate ($priceId, $fields): PRODUCT_ID is there unless it did not change. */
    public static function onPriceSave(mixed $priceId = null, mixed $fields = null): void
    {
        self::record(static function () use ($priceId, $fields): ?Change {
            $productId = is_array($fields) && isset($fields['PRODUCT_ID'])
                ? (int)$fields['PRODUCT_ID']
                : BitrixCatalog::productOfPrice((int)$priceId);
            return Change::fromId('product', $productId, 'update');
        });
    }

    /** @param callable(): ?Change $change */
    private static function record(callable $change): void
    {
        if (OwnWrites::active()) {
            return;
        }
        try {
            (new ChangeFeed(BitrixDatabase::main()))->record($change());
        } catch (\Throwable $e) {
            Module::log('change feed: ' . $e->getMessage());
        }
    }
}
