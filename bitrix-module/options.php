<?php

/**
 * Settings > Product settings > Module settings > Xero sync (settings.php?mid=b24xero.sync): tabs Connection, Status
 * map, Accounts and tax, Sync, Access. Saved in b_option in the format the daemon reads; a save with any invalid
 * value saves nothing and says why. Reading needs the module's R right; saving its W right and the session token.
 *
 * @global CMain $APPLICATION
 * @global CUser $USER
 */

use B24xero\Sync\Module;
use B24xero\Sync\Ui\Health;
use B24xero\Sync\Ui\OptionsPage;
use B24xero\Sync\Ui\Rights;
use B24xero\Sync\Ui\View;
use Bitrix\Main\Loader;
use Bitrix\Main\Localization\Loc;

defined('B_PROLOG_INCLUDED') && B_PROLOG_INCLUDED === true || die();

$module_id = 'b24xero.sync';
Loc::loadMessages(__FILE__);

$rights = Rights::of((string)$APPLICATION->GetGroupRight($module_id));
if (!$rights->canRead() || !Loader::includeModule($module_id)) {
    $APPLICATION->AuthForm(Loc::getMessage('ACCESS_DENIED'));
    return;
}

$aTabs = [
    ['DIV' => 'b24x_connection', 'TAB' => Loc::getMessage('B24XERO_SYNC_OPTIONS_TAB_CONNECTION'), 'TITLE' => Loc::getMessage('B24XERO_SYNC_OPTIONS_TAB_CONNECTION_TITLE')],
    ['DIV' => 'b24x_status', 'TAB' => Loc::getMessage('B24XERO_SYNC_OPTIONS_TAB_STATUS'), 'TITLE' => Loc::getMessage('B24XERO_SYNC_OPTIONS_TAB_STATUS_TITLE')],
    ['DIV' => 'b24x_accounts', 'TAB' => Loc::getMessage('B24XERO_SYNC_OPTIONS_TAB_ACCOUNTS'), 'TITLE' => Loc::getMessage('B24XERO_SYNC_OPTIONS_TAB_ACCOUNTS_TITLE')],
    ['DIV' => 'b24x_sync', 'TAB' => Loc::getMessage('B24XERO_SYNC_OPTIONS_TAB_SYNC'), 'TITLE' => Loc::getMessage('B24XERO_SYNC_OPTIONS_TAB_SYNC_TITLE')],
    ['DIV' => 'b24x_rights', 'TAB' => Loc::getMessage('B24XERO_SYNC_OPTIONS_TAB_RIGHTS'), 'TITLE' => Loc::getMessage('B24XERO_SYNC_OPTIONS_TAB_RIGHTS_TITLE')],
];
$tabControl = new CAdminTabControl('b24xTabControl', $aTabs);
$ui = Module::ui((int)$USER->GetID());
$form = $ui->settings();
$self = $APPLICATION->GetCurPage() . '?mid=' . urlencode($module_id) . '&lang=' . urlencode(LANGUAGE_ID);

$message = '';
if ($_SERVER['REQUEST_METHOD'] === 'POST' && ($_POST['Update'] ?? '') !== '') {
    if (!$rights->canWrite()) {
        http_response_code(403);
        $message = '<div class="b24x-error" id="b24x-message">' . View::e(Loc::getMessage('B24XERO_SYNC_OPTIONS_NO_WRITE')) . '</div>';
    } elseif (!check_bitrix_sessid()) {
        http_response_code(403);
        $message = '<div class="b24x-error" id="b24x-message">' . View::e(Loc::getMessage('B24XERO_SYNC_OPTIONS_BAD_SESSION')) . '</div>';
    } else {
        $problems = $form->submit($_POST);
        if ($problems === []) {
            // Bitrix's own rights tab saves the group rights from the same form.
            $Update = $_POST['Update'];
            $REQUEST_METHOD = 'POST';
            ob_start();
            require_once $_SERVER['DOCUMENT_ROOT'] . '/bitrix/modules/main/admin/group_rights.php';
            ob_end_clean();
            LocalRedirect($self . '&saved=Y&' . $tabControl->ActiveTabParam());
        }
        $message = OptionsPage::problems($problems);
        $shown = $form->valuesFrom($_POST);
    }
} elseif (($_GET['saved'] ?? '') === 'Y') {
    $message = '<div class="b24x-note" id="b24x-message">' . View::e(Loc::getMessage('B24XERO_SYNC_OPTIONS_SAVED')) . '</div>';
}

$page = new OptionsPage($form, $shown ?? $form->values(), $rights->canWrite());
echo View::styles() . $message;
$tabControl->Begin();
?>
<form method="post" action="<?= View::e($self) ?>" id="b24x-options" class="b24x">
<?php
$tabControl->BeginNextTab();
echo $page->connection((new Health($ui->db))->read());
$tabControl->BeginNextTab();
echo $page->statusMap();
$tabControl->BeginNextTab();
echo $page->accounts();
$tabControl->BeginNextTab();
echo $page->sync();
$tabControl->BeginNextTab();
require_once $_SERVER['DOCUMENT_ROOT'] . '/bitrix/modules/main/admin/group_rights.php';
$tabControl->Buttons();
if ($rights->canWrite()) {
    echo '<input type="submit" name="Update" value="' . View::e(Loc::getMessage('B24XERO_SYNC_OPTIONS_SAVE')) . '" class="adm-btn-save" id="b24x-save">';
    echo bitrix_sessid_post();
}
$tabControl->End();
?>
</form>
