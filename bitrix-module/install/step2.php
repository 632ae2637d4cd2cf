<?php

use Bitrix\Main\Localization\Loc;

/** @global CMain $APPLICATION */
Loc::loadMessages(__FILE__);
require_once __DIR__ . '/report.php';

b24xero_sync_show_report($GLOBALS['B24XERO_SYNC_REPORT'] ?? null, $GLOBALS['B24XERO_SYNC_ERROR'] ?? null, 'B24XERO_SYNC_STEP2_DONE');
?>
<form action="<?= $APPLICATION->GetCurPage() ?>">
    <input type="hidden" name="lang" value="<?= LANGUAGE_ID ?>">
    <input type="submit" value="<?= Loc::getMessage('B24XERO_SYNC_BACK') ?>">
</form>
