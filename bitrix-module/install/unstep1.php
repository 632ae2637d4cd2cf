<?php

use Bitrix\Main\Localization\Loc;

/** @global CMain $APPLICATION */
Loc::loadMessages(__FILE__);
?>
<form action="<?= $APPLICATION->GetCurPage() ?>" method="post" name="b24xero_sync_uninstall">
    <?= bitrix_sessid_post() ?>
    <input type="hidden" name="lang" value="<?= LANGUAGE_ID ?>">
    <input type="hidden" name="id" value="b24xero.sync">
    <input type="hidden" name="uninstall" value="Y">
    <input type="hidden" name="step" value="2">
    <?php CAdminMessage::ShowMessage(Loc::getMessage('B24XERO_SYNC_UNSTEP1_WARNING')) ?>
    <p>
        <input type="radio" name="remove_data" id="b24xero_keep_data" value="N" checked>
        <label for="b24xero_keep_data"><?= Loc::getMessage('B24XERO_SYNC_UNSTEP1_KEEP') ?></label>
    </p>
    <p>
        <input type="radio" name="remove_data" id="b24xero_remove_data" value="Y">
        <label for="b24xero_remove_data"><?= Loc::getMessage('B24XERO_SYNC_UNSTEP1_REMOVE') ?></label>
    </p>
    <input type="submit" name="inst" value="<?= Loc::getMessage('B24XERO_SYNC_UNSTEP1_SUBMIT') ?>">
</form>
