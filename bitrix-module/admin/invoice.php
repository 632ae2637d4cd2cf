<?php

/**
 * The Xero panel of one invoice (?entity=smart_invoice|legacy_invoice&id=N): shown as the "Xero" tab of crm's invoice
 * detail page (Crm\DetailTab loads it with bare=Y) and as an admin page of its own. Needs the module's R right and CRM
 * read permission on the invoice; Retry needs the W right and the session token.
 *
 * @global CMain $APPLICATION
 * @global CUser $USER
 */

use B24xero\Sync\Module;
use B24xero\Sync\Ui\InvoicePanel;
use B24xero\Sync\Ui\InvoicePanelPage;
use B24xero\Sync\Ui\Rights;
use B24xero\Sync\Ui\View;
use Bitrix\Main\Loader;
use Bitrix\Main\Localization\Loc;

require_once $_SERVER['DOCUMENT_ROOT'] . '/bitrix/modules/main/include/prolog_admin_before.php';
Loc::loadMessages(__FILE__);

$rights = Rights::of((string)$APPLICATION->GetGroupRight('b24xero.sync'));
if (!$rights->canRead() || !Loader::includeModule('b24xero.sync')) {
    $APPLICATION->AuthForm(Loc::getMessage('ACCESS_DENIED'));
}
$entity = (string)($_GET['entity'] ?? '');
$id = (int)($_GET['id'] ?? 0);
$bare = ($_GET['bare'] ?? '') === 'Y';
$ui = Module::ui((int)$USER->GetID());
$panel = in_array($entity, InvoicePanel::ENTITY_TYPES, true) ? $ui->invoicePanel()->read($entity, $id) : null;
if ($panel === null) {
    $APPLICATION->AuthForm(Loc::getMessage('B24XERO_SYNC_INVOICE_NOT_READABLE'));
}
$self = View::url($APPLICATION->GetCurPage(), ['lang' => LANGUAGE_ID, 'entity' => $entity, 'id' => $id, 'bare' => $bare ? 'Y' : null]);
$message = '';
if ($_SERVER['REQUEST_METHOD'] === 'POST' && ($_POST['action'] ?? '') === 'retry') {
    if (!$rights->canWrite() || !check_bitrix_sessid()) {
        http_response_code(403);
        $message = '<div class="b24x-error" id="b24x-message">' . View::e(Loc::getMessage('B24XERO_SYNC_INVOICE_REFUSED')) . '</div>';
    } else {
        // Only an error of this invoice: the id comes from the form, the invoice from the page the user may read.
        $own = array_column($panel['errors'], 'id');
        $errorId = (int)($_POST['id'] ?? 0);
        $done = in_array($errorId, $own, true) && $ui->problems()->retry($errorId);
        LocalRedirect($self . '&retried=' . ($done ? 'Y' : 'N'));
    }
} elseif (isset($_GET['retried'])) {
    $message = '<div class="b24x-note" id="b24x-message">' . View::e(Loc::getMessage($_GET['retried'] === 'Y' ? 'B24XERO_SYNC_INVOICE_RETRIED' : 'B24XERO_SYNC_INVOICE_NOT_RETRIED')) . '</div>';
}

$html = $message . (new InvoicePanelPage($panel, $self, $rights->canWrite(), bitrix_sessid_post()))->render();
if ($bare) {
    echo $html;
    return;
}
$APPLICATION->SetTitle(Loc::getMessage('B24XERO_SYNC_INVOICE_TITLE', ['#ID#' => $id]));
require $_SERVER['DOCUMENT_ROOT'] . '/bitrix/modules/main/include/prolog_admin_after.php';
echo $html;
require $_SERVER['DOCUMENT_ROOT'] . '/bitrix/modules/main/include/epilog_admin.php';
