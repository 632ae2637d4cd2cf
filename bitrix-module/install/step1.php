<?php

use Bitrix\Main\Localization\Loc;

/** @global CMain $APPLICATION */
Loc::loadMessages(__FILE__);
?>
<form action="<?= $APPLICATION->GetCurPage() ?>" method="post" name="b24xero_sync_install">
    <?= bitrix_sessid_post() ?>
    <input type="hidden" name="lang" value="<?= LANGUAGE_ID ?>">
    <input type="hidden" name="id" value="b24xero.sync">
    <input type="hidden" name="install" value="Y">
    <input type="hidden" name="step" value="2">
    <p><?= Loc::getMessage('B24XERO_SYNC_STEP1_INTRO') ?></p>
    <p>
        <input type="checkbox" name="scan_indexes" id="b24xero_scan_indexes" value="Y" checked>
        <label for="b24xero_scan_indexes"><?= Loc::getMessage('B24XERO_SYNC_STEP1_SCAN_INDEXES') ?></label>
    </p>
    <p class="notes"><?= Loc::getMessage('B24XERO_SYNC_STEP1_SCAN_INDEXES_HINT') ?></p>
    <input type="submit" name="inst" value="<?= Loc::getMessage('B24XERO_SYNC_STEP1_SUBMIT') ?>" class="adm-btn-save">
</form>
