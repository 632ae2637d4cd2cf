<?php

/*
 * Applies the pending inbox rows once, for cron instead of (or besides) the agent, e.g.
 *   * * * * * www-data php /home/bitrix/www/local/modules/b24xero.sync/tools/apply.php
 *   php apply.php [--limit=N]     at most N rows (default: the applier_batch option, 200)
 * Prints what it did. Exit 0 when the run happened (rows that failed are stored with their error), 1 when it could
 * not run. The agent and this script never apply at the same time (they share one lock).
 */

if (PHP_SAPI !== 'cli') {
    http_response_code(403);
    exit;
}

// tools/ -> b24xero.sync -> modules -> local (or bitrix) -> the site's document root.
$_SERVER['DOCUMENT_ROOT'] = realpath(__DIR__ . '/../../../..');
define('NO_KEEP_STATISTIC', true);
define('NOT_CHECK_PERMISSIONS', true);
define('BX_NO_ACCELERATOR_RESET', true);
define('BX_CRONTAB', true);
define('STOP_STATISTICS', true);

$prolog = $_SERVER['DOCUMENT_ROOT'] . '/bitrix/modules/main/include/prolog_before.php';
if (!is_file($prolog)) {
    fwrite(STDERR, "apply.php: no Bitrix at {$_SERVER['DOCUMENT_ROOT']} (the module must be in local/modules/b24xero.sync)\n");
    exit(1);
}
require $prolog;

if (!\Bitrix\Main\Loader::includeModule('b24xero.sync')) {
    fwrite(STDERR, "apply.php: the b24xero.sync module is not installed\n");
    exit(1);
}

$options = getopt('', ['limit:']);
$limit = isset($options['limit']) ? (int)$options['limit'] : (int)\Bitrix\Main\Config\Option::get('b24xero.sync', 'applier_batch', '200');
try {
    $report = \B24xero\Sync\Module::applier()->applyPending(max(1, $limit), 600.0);
} catch (\Throwable $e) {
    fwrite(STDERR, 'apply.php: ' . $e->getMessage() . "\n");
    exit(1);
}
echo $report->summary(), "\n";
foreach ($report->failures as $failure) {
    echo "  row {$failure['id']}: {$failure['error']}\n";
}
