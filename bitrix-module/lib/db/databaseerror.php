<?php

declare(strict_types=1);

namespace B24xero\Sync\Db;

/** A statement the server refused. `getCode()` is the MySQL error number when the driver told it, else 0. */
final class DatabaseError extends \RuntimeException
{
    /** ER_LOCK_WAIT_TIMEOUT, ER_LOCK_DEADLOCK, CR_SERVER_GONE_ERROR, CR_SERVER_LOST: worth trying again later. */
    private const TRANSIENT = [1205, 1213, 2006, 2013];

    public function isTransient(): bool
    {
        if (in_array($this->getCode(), self::TRANSIENT, true)) {
            return true;
        }
        // Bitrix's SqlQueryException carries no error number; its message carries the server's text.
        return (bool)preg_match('/Deadlock found|Lock wait timeout exceeded|server has gone away|Lost connection/i', $this->getMessage());
    }
}
