<?php

declare(strict_types=1);

namespace B24xero\Sync\ChangeFeed;

/**
 * Marks the stretch of a request in which the applier itself writes to crm. Bitrix calls event handlers statically
 * and synchronously inside the save, so a per-request flag is the only channel from the applier to the handlers; the
 * daemon asked for those writes and needs no change row for them (its content hashes make them no-ops anyway).
 */
final class OwnWrites
{
    private static int $depth = 0;

    /**
     * @template T
     * @param callable(): T $writes
     * @return T
     */
    public static function during(callable $writes): mixed
    {
        self::$depth++;
        try {
            return $writes();
        } finally {
            self::$depth--;
        }
    }

    public static function active(): bool
    {
        return self::$depth > 0;
    }
}
