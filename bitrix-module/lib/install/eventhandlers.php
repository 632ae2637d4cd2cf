<?php

declare(strict_types=1);

namespace B24xero\Sync\Install;

use B24xero\Sync\ChangeFeed\Handlers;
use B24xero\Sync\Crm\DetailTab;
use B24xero\Sync\Module;

/**
 * The event handlers the module registers: the change feed, and the invoice detail page's Xero tab. Smart invoices raise D7 events from crm's factory operations
 * (version 2, one \Bitrix\Main\Event with `id`); legacy invoices, contacts, companies, catalog elements and prices
 * raise old-style events with positional arguments (version 1, registerEventHandlerCompatible).
 */
final class EventHandlers
{
    /** @return list<HandlerRegistration> */
    public static function all(): array
    {
        $d7 = [
            ['crm', 'onCrmDynamicItemAdd_31', 'onSmartInvoiceAdd'],
            ['crm', 'onCrmDynamicItemUpdate_31', 'onSmartInvoiceUpdate'],
            ['crm', 'onCrmDynamicItemDelete_31', 'onSmartInvoiceDelete'],
        ];
        $compatible = [
            ['crm', 'OnAfterCrmInvoiceAdd', 'onInvoiceAdd'],
            ['crm', 'OnAfterCrmInvoiceUpdate', 'onInvoiceUpdate'],
            ['crm', 'OnAfterCrmInvoiceSetStatus', 'onInvoiceSetStatus'],
            ['crm', 'OnAfterCrmInvoiceDelete', 'onInvoiceDelete'],
            ['crm', 'OnAfterCrmContactAdd', 'onContactAdd'],
            ['crm', 'OnAfterCrmContactUpdate', 'onContactUpdate'],
            ['crm', 'OnAfterCrmContactDelete', 'onContactDelete'],
            ['crm', 'OnAfterCrmCompanyAdd', 'onCompanyAdd'],
            ['crm', 'OnAfterCrmCompanyUpdate', 'onCompanyUpdate'],
            ['crm', 'OnAfterCrmCompanyDelete', 'onCompanyDelete'],
            ['iblock', 'OnAfterIBlockElementAdd', 'onElementAdd'],
            ['iblock', 'OnAfterIBlockElementUpdate', 'onElementUpdate'],
            ['iblock', 'OnAfterIBlockElementDelete', 'onElementDelete'],
            ['catalog', 'OnProductAdd', 'onCatalogProductSave'],
            ['catalog', 'OnProductUpdate', 'onCatalogProductSave'],
            ['catalog', 'OnPriceAdd', 'onPriceSave'],
            ['catalog', 'OnPriceUpdate', 'onPriceSave'],
        ];
        $out = [];
        foreach ($d7 as [$from, $event, $method]) {
            $out[] = new HandlerRegistration($from, $event, Module::ID, Handlers::class, $method, 2);
        }
        foreach ($compatible as [$from, $event, $method]) {
            $out[] = new HandlerRegistration($from, $event, Module::ID, Handlers::class, $method, 1);
        }
        // Not the change feed: the "Xero" tab of the invoice detail page.
        $out[] = new HandlerRegistration('crm', 'onEntityDetailsTabsInitialized', Module::ID, DetailTab::class, 'onTabsInitialized', 2);
        return $out;
    }
}
