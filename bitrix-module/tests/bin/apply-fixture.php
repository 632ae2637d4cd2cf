<?php

declare(strict_types=1);

/*
 * The module's applier on a fixture portal (test/fixture) without Bitrix, through FixtureCrmGateway: what the
 * daemon's end-to-end tests and `b24xero demo` run where a portal would run the agent.
 *   php apply-fixture.php <mysql://user:pass@host:port/database> [--limit=N]
 * Prints the run's report as JSON.
 */

use B24xero\Sync\Db\MysqliDatabase;
use B24xero\Sync\Inbox\Applier;
use B24xero\Sync\Inbox\Contract;
use B24xero\Sync\Module;
use B24xero\Sync\Tests\FixtureCrmGateway;

require __DIR__ . '/../bootstrap.php';

$url = '';
$options = [];
foreach (array_slice($argv, 1) as $arg) {
    if (preg_match('/^--limit=(\d+)$/', $arg, $m)) {
        $options['limit'] = $m[1];
    } else {
        $url = $arg;
    }
}
try {
    $db = MysqliDatabase::fromUrl($url);
    $report = (new Applier($db, new FixtureCrmGateway($db), Contract::load(Module::sqlDir() . '/inbox')))
        ->applyPending(isset($options['limit']) ? (int)$options['limit'] : 1000, 600.0);
} catch (Throwable $e) {
    fwrite(STDERR, get_class($e) . ': ' . $e->getMessage() . "\n");
    exit(1);
}
echo json_encode([
    'applied' => $report->applied, 'failed' => $report->failed, 'retrying' => $report->retrying,
    'skipped' => $report->skipped, 'busy' => $report->busy, 'failures' => $report->failures,
], JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE), "\n";
