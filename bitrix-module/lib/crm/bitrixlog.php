<?php

declare(strict_types=1);

namespace B24xero\Sync\Crm;

/**
 * Where the module reports what it cannot show anywhere else (a change-feed handler that failed inside a user's
 * save): Bitrix's own log file (AddMessage2Log, LOG_FILENAME) when the portal is loaded, PHP's error log otherwise.
 */
final class BitrixLog
{
    public static function error(string $message): void
    {
        $line = 'b24xero.sync: ' . $message;
        if (function_exists('AddMessage2Log')) {
            AddMessage2Log($line, 'b24xero.sync');
            return;
        }
        error_log($line);
    }
}
