<?php

declare(strict_types=1);

namespace B24xero\Sync\Install;

/**
 * What an install or uninstall did, as message codes with parameters: the admin pages render each through the lang
 * files (B24XERO_SYNC_REPORT_<CODE>), the tests read the codes.
 */
final class InstallReport
{
    /** @var list<array{code: string, params: array<string, string>, warning: bool}> */
    private array $lines = [];

    /** @param array<string, string|int> $params */
    public function add(string $code, array $params = []): void
    {
        $this->lines[] = ['code' => $code, 'params' => array_map('strval', $params), 'warning' => false];
    }

    /** @param array<string, string|int> $params */
    public function warn(string $code, array $params = []): void
    {
        $this->lines[] = ['code' => $code, 'params' => array_map('strval', $params), 'warning' => true];
    }

    /** @return list<array{code: string, params: array<string, string>, warning: bool}> */
    public function lines(): array
    {
        return $this->lines;
    }

    /** @return list<string> */
    public function codes(): array
    {
        return array_map(static fn (array $l): string => $l['code'], $this->lines);
    }
}
