<?php

/**
 * Settings > Product settings > Module settings > b24xero.sync. The settings page itself (Xero connection health,
 * status map, account codes, tax map, schedules) comes with the admin UI; until then this page shows what the module
 * has stored and where the daemon is configured. Read access needs the module's "R" right.
 *
 * @global CMain $APPLICATION
 */

use Bitrix\Main\Config\Option;
use Bitrix\Main\Localization\Loc;

defined('B_PROLOG_INCLUDED') && B_PROLOG_INCLUDED === true || die();

$moduleId = 'b24xero.sync';
Loc::loadMessages(__FILE__);

if ($APPLICATION->GetGroupRight($moduleId) < 'R') {
    $APPLICATION->AuthForm(Loc::getMessage('ACCESS_DENIED'));
    return;
}

$startDate = (string)Option::get($moduleId, 'start_date', '');
?>
<div class="adm-info-message-wrap">
    <div class="adm-info-message">
        <p><?= Loc::getMessage('B24XERO_SYNC_OPTIONS_PLACEHOLDER') ?></p>
        <p><?= Loc::getMessage('B24XERO_SYNC_OPTIONS_START_DATE', ['#DATE#' => htmlspecialcharsbx($startDate !== '' ? $startDate : '-')]) ?></p>
        <p><?= Loc::getMessage('B24XERO_SYNC_OPTIONS_DAEMON') ?></p>
    </div>
</div>
