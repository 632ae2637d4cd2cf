<?php
// php -S router of the browser tests' stand-in portal (test-only). DOCUMENT_ROOT is a temporary folder holding
// local/modules/b24xero.sync (the module) and bitrix (this stand-in); the module's admin pages are served through
// its own install/admin proxies, as /bitrix/admin/ serves them on a portal.
define('B24X_STANDIN_MODULE', dirname(__DIR__, 3) . '/bitrix-module');
$path = (string)parse_url((string)$_SERVER['REQUEST_URI'], PHP_URL_PATH);
if (preg_match('#^/bitrix/admin/(b24xero_sync_[a-z_]+\.php)$#', $path, $m) && is_file(B24X_STANDIN_MODULE . '/install/admin/' . $m[1])) {
    require B24X_STANDIN_MODULE . '/install/admin/' . $m[1];
    return true;
}
if ($path === '/bitrix/admin/settings.php') {
    require __DIR__ . '/bitrix/admin/settings.php';
    return true;
}
http_response_code(404);
echo 'not found';
return true;
