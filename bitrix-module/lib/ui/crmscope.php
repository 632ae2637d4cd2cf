<?php

declare(strict_types=1);

namespace B24xero\Sync\Ui;

/**
 * Which invoices of one kind a user may read under CRM permissions: all of them, none, or those whose ID an SQL
 * subquery returns (crm's own permission query builder produces such a subquery over b_crm_access_attr).
 */
final class CrmScope
{
    private function __construct(public readonly string $kind, public readonly string $idsSql = '')
    {
    }

    public static function all(): self
    {
        return new self('all');
    }

    public static function none(): self
    {
        return new self('none');
    }

    /** @param string $idsSql a SELECT of one column of readable IDs; built by the CRM, never from user input */
    public static function ids(string $idsSql): self
    {
        return new self('ids', $idsSql);
    }

    /** An SQL condition on an ID column: TRUE, FALSE or `column IN (subquery)`. */
    public function condition(string $idColumn): string
    {
        return match ($this->kind) {
            'all' => '1 = 1',
            'none' => '1 = 0',
            default => "{$idColumn} IN ({$this->idsSql})",
        };
    }
}
