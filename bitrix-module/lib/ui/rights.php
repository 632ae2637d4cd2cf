<?php

declare(strict_types=1);

namespace B24xero\Sync\Ui;

/**
 * The module's access levels (install/index.php GetModuleRightList): D no access, R see the pages, W also change
 * settings, retry and resolve records, add products. Bitrix gives an administrator the highest letter.
 */
final class Rights
{
    private function __construct(public readonly string $letter)
    {
    }

    public static function of(string $letter): self
    {
        return new self(strtoupper(trim($letter)) ?: 'D');
    }

    public function canRead(): bool
    {
        return $this->letter >= 'R';
    }

    public function canWrite(): bool
    {
        return $this->letter >= 'W';
    }
}
