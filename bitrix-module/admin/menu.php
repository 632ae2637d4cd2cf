<?php

/**
 * The module's entry in the admin menu (Bitrix includes admin/menu.php of every installed module): the dashboard and
 * the settings for users with at least the module's "R" right, Add product for those with "W".
 *
 * @global CMain $APPLICATION
 */

use Bitrix\Main\Localization\Loc;

Loc::loadMessages(__FILE__);

if ($APPLICATION->GetGroupRight('b24xero.sync') < 'R') {
    return false;
}

return [
    'parent_menu' => 'global_menu_services',
    'section' => 'b24xero_sync',
    'sort' => 600,
    'text' => Loc::getMessage('B24XERO_SYNC_MENU_TEXT'),
    'title' => Loc::getMessage('B24XERO_SYNC_MENU_TITLE'),
    'icon' => 'sys_menu_icon',
    'items_id' => 'menu_b24xero_sync',
    'items' => [
        [
            'text' => Loc::getMessage('B24XERO_SYNC_MENU_DASHBOARD'),
            'title' => Loc::getMessage('B24XERO_SYNC_MENU_DASHBOARD'),
            'url' => 'b24xero_sync_dashboard.php?lang=' . LANGUAGE_ID,
        ],
        [
            'text' => Loc::getMessage('B24XERO_SYNC_MENU_SETTINGS'),
            'title' => Loc::getMessage('B24XERO_SYNC_MENU_SETTINGS'),
            'url' => 'settings.php?lang=' . LANGUAGE_ID . '&mid=b24xero.sync&mid_menu=1',
        ],
        ...($APPLICATION->GetGroupRight('b24xero.sync') >= 'W' ? [[
            'text' => Loc::getMessage('B24XERO_SYNC_MENU_PRODUCT'),
            'title' => Loc::getMessage('B24XERO_SYNC_MENU_PRODUCT'),
            'url' => 'b24xero_sync_product.php?lang=' . LANGUAGE_ID,
        ]] : []),
    ],
];
