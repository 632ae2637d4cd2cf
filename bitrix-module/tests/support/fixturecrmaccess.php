<?php

declare(strict_types=1);

namespace B24xero\Sync\Tests;

use B24xero\Sync\Ui\CrmAccess;
use B24xero\Sync\Ui\CrmScope;

/**
 * CRM read permission on the fixture: a user who reads everything (an administrator), or one who reads only the
 * invoices they are responsible for (crm's "own" level: ASSIGNED_BY_ID on smart invoices, RESPONSIBLE_ID on legacy).
 */
final class FixtureCrmAccess implements CrmAccess
{
    public function __construct(private readonly int $userId, private readonly bool $readsAll)
    {
    }

    public static function everything(): self
    {
        return new self(1, true);
    }

    public static function ownOnly(int $userId): self
    {
        return new self($userId, false);
    }

    public function invoices(string $entityType): CrmScope
    {
        if ($this->readsAll) {
            return CrmScope::all();
        }
        return match ($entityType) {
            'smart_invoice' => CrmScope::ids('SELECT ID FROM b_crm_dynamic_items_31 WHERE ASSIGNED_BY_ID = ' . $this->userId),
            'legacy_invoice' => CrmScope::ids('SELECT ID FROM b_crm_invoice WHERE RESPONSIBLE_ID = ' . $this->userId),
            default => CrmScope::none(),
        };
    }

    public function readsEverything(): bool
    {
        return $this->readsAll;
    }
}
