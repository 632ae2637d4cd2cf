<?php

declare(strict_types=1);

namespace B24xero\Sync\Crm;

use B24xero\Sync\Module;
use B24xero\Sync\Ui\Rights;
use Bitrix\Main\Event;
use Bitrix\Main\EventResult;
use Bitrix\Main\Localization\Loc;

Loc::loadMessages(__FILE__);

/**
 * The "Xero" tab of an invoice's detail page. crm's entity details component raises onEntityDetailsTabsInitialized
 * (entityTypeID, entityID, tabs) and takes the tabs an event result hands back; a tab with a loader fetches its content
 * from serviceUrl when opened — here the module's invoice panel without the admin frame. Smart invoices (31) use that
 * component; whether crm 23's legacy invoice page (5) raises the event was not confirmed, so the panel also has its
 * own admin page. Written against crm 23.400's source; not yet run inside a portal.
 */
final class DetailTab
{
    private const ENTITY_TYPES = [31 => 'smart_invoice', 5 => 'legacy_invoice'];

    public static function onTabsInitialized(Event $event): ?EventResult
    {
        global $APPLICATION;
        $entityType = self::ENTITY_TYPES[(int)$event->getParameter('entityTypeID')] ?? null;
        $id = (int)$event->getParameter('entityID');
        $tabs = $event->getParameter('tabs');
        if ($entityType === null || $id <= 0 || !is_array($tabs) || !Rights::of((string)$APPLICATION->GetGroupRight(Module::ID))->canRead()) {
            return null;
        }
        $tabs[] = [
            'id' => 'tab_b24xero',
            'name' => Loc::getMessage('B24XERO_SYNC_DETAIL_TAB'),
            'loader' => [
                'serviceUrl' => '/bitrix/admin/b24xero_sync_invoice.php?' . http_build_query([
                    'entity' => $entityType, 'id' => $id, 'bare' => 'Y', 'lang' => LANGUAGE_ID,
                ]) . '&' . bitrix_sessid_get(),
            ],
        ];
        return new EventResult(EventResult::SUCCESS, ['tabs' => $tabs], Module::ID);
    }
}
