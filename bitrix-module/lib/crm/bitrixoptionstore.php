<?php

declare(strict_types=1);

namespace B24xero\Sync\Crm;

use B24xero\Sync\Module;
use B24xero\Sync\Ui\OptionStore;
use Bitrix\Main\Config\Option;

/** The module's options through Bitrix's Option class, which keeps its managed cache of b_option in step. */
final class BitrixOptionStore implements OptionStore
{
    public function get(string $name): string
    {
        return (string)Option::get(Module::ID, $name, '');
    }

    public function set(string $name, string $value): void
    {
        Option::set(Module::ID, $name, $value);
    }
}
