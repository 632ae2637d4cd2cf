<?php

/**
 * Xero sync dashboard (Services > Xero sync > Dashboard, and CRM > Xero): transactions, outstanding and overdue
 * totals, failing records with Retry / Mark resolved, conflicts, sync runs. Reading needs the module's R right,
 * Retry and Mark resolved its W right and the session token. Served through install/admin/b24xero_sync_dashboard.php.
 *
 * @global CMain $APPLICATION
 * @global CUser $USER
 */

use B24xero\Sync\Module;
use B24xero\Sync\Ui\DashboardPage;
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

$ui = Module::ui((int)$USER->GetID());
$base = $APPLICATION->GetCurPage() . '?lang=' . LANGUAGE_ID;
$notice = null;
$error = null;
if ($_SERVER['REQUEST_METHOD'] === 'POST') {
    $action = (string)($_POST['action'] ?? '');
    $id = (int)($_POST['id'] ?? 0);
    if (!$rights->canWrite()) {
        http_response_code(403);
        $error = Loc::getMessage('B24XERO_SYNC_DASHBOARD_NO_WRITE');
    } elseif (!check_bitrix_sessid()) {
        http_response_code(403);
        $error = Loc::getMessage('B24XERO_SYNC_DASHBOARD_BAD_SESSION');
    } elseif (in_array($action, ['retry', 'resolve'], true)) {
        $done = $action === 'retry' ? $ui->problems()->retry($id) : $ui->problems()->resolve($id);
        $query = array_intersect_key($_GET, array_flip(['from', 'to', 'contact', 'type', 't_page', 't_size', 't_sort', 't_dir',
            'e_page', 'e_size', 'e_sort', 'e_dir', 'c_page', 'c_size', 'c_sort', 'c_dir', 'r_page', 'r_size', 'r_sort', 'r_dir']));
        LocalRedirect(View::url($base, $query + ['done' => $done ? $action : 'missing', 'record' => $id]));
    }
}
if (in_array($_GET['done'] ?? '', ['retry', 'resolve', 'missing'], true)) {
    $notice = Loc::getMessage('B24XERO_SYNC_DASHBOARD_DONE_' . strtoupper((string)$_GET['done']), ['#ID#' => (int)($_GET['record'] ?? 0)]);
}

$APPLICATION->SetTitle(Loc::getMessage('B24XERO_SYNC_DASHBOARD_TITLE'));
require $_SERVER['DOCUMENT_ROOT'] . '/bitrix/modules/main/include/prolog_admin_after.php';

if ($error !== null) {
    echo '<div class="b24x-error" id="b24x-message">' . View::e($error) . '</div>';
} elseif ($notice !== null) {
    echo '<div class="b24x-note" id="b24x-message">' . View::e($notice) . '</div>';
}
$request = array_filter($_GET, 'is_scalar');
echo (new DashboardPage($ui, $request, $base, $rights->canWrite(), bitrix_sessid_post()))->render();

require $_SERVER['DOCUMENT_ROOT'] . '/bitrix/modules/main/include/epilog_admin.php';
