<?php

declare(strict_types=1);

namespace B24xero\Sync\Db;

/**
 * GET_LOCK names as the daemon builds them (daemon/src/db/lock-name.ts): `<prefix><key>`, with a key that would pass
 * MySQL's 64-character limit replaced by the first 40 hex digits of its sha256. Lock names are server-wide, so the
 * key names the database whenever two portals could share a server.
 */
final class LockName
{
    private const MAX = 64;

    public static function forServer(string $prefix, string $key): string
    {
        $name = $prefix . $key;
        if (strlen($name) <= self::MAX) {
            return $name;
        }
        return $prefix . substr(hash('sha256', $key), 0, 40);
    }
}
