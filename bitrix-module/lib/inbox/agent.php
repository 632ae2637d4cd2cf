<?php

declare(strict_types=1);

namespace B24xero\Sync\Inbox;

use B24xero\Sync\Module;
use Bitrix\Main\Config\Option;

/**
 * The applier as a Bitrix agent (added by the installer, every minute). Returns its own call so Bitrix keeps it;
 * never throws, since an exception would stop the other agents of the hit.
 */
final class Agent
{
    public static function run(): string
    {
        try {
            $report = Module::applier()->applyPending(max(1, (int)Option::get(Module::ID, 'applier_batch', '200')), 50.0);
            foreach ($report->failures as $failure) {
                Module::log("inbox row {$failure['id']}: {$failure['error']}");
            }
        } catch (\Throwable $e) {
            Module::log('applier agent: ' . $e->getMessage());
        }
        return '\\' . self::class . '::run();';
    }
}
