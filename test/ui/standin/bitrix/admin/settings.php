<?php
// Stand-in of /bitrix/admin/settings.php?mid=<module> (test-only): the admin frame around the module's options.php.
require_once $_SERVER['DOCUMENT_ROOT'] . '/bitrix/modules/main/include/prolog_admin_before.php';
if (($_GET['mid'] ?? '') !== 'b24xero.sync') {
    http_response_code(404);
    exit;
}
require_once B24X_STANDIN_MODULE . '/install/index.php';
$APPLICATION->SetTitle('Module settings');
require $_SERVER['DOCUMENT_ROOT'] . '/bitrix/modules/main/include/prolog_admin_after.php';
require $_SERVER['DOCUMENT_ROOT'] . '/local/modules/b24xero.sync/options.php';
require $_SERVER['DOCUMENT_ROOT'] . '/bitrix/modules/main/include/epilog_admin.php';
