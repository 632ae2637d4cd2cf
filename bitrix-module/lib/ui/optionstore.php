<?php

declare(strict_types=1);

namespace B24xero\Sync\Ui;

/**
 * The module's options (b_option, module b24xero.sync): Bitrix's Option class in a portal (Crm\BitrixOptionStore, which
 * also clears Bitrix's option cache), the table itself in tests (tests/support/dboptionstore.php).
 */
interface OptionStore
{
    /** The stored value, or '' when none is stored. */
    public function get(string $name): string;

    public function set(string $name, string $value): void;
}
