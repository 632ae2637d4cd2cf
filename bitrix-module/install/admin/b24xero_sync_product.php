<?php
// Copied to /bitrix/admin/ by the installer: the page itself lives in the module (local/ first, as Bitrix's Loader looks).
$page = '/modules/b24xero.sync/admin/product.php';
require is_file($_SERVER['DOCUMENT_ROOT'] . '/local' . $page) ? $_SERVER['DOCUMENT_ROOT'] . '/local' . $page : $_SERVER['DOCUMENT_ROOT'] . '/bitrix' . $page;
