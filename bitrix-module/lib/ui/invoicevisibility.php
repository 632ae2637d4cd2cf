<?php

declare(strict_types=1);

namespace B24xero\Sync\Ui;

/**
 * The SQL conditions that keep a user to the invoices they may read: on a link row (ENTITY_TYPE, ENTITY_ID) and on
 * records keyed by entity type and id (record errors). Records of other entities (contacts, products) are not
 * invoices and stay visible to every reader of the module's pages.
 */
final class InvoiceVisibility
{
    public function __construct(private readonly CrmAccess $access)
    {
    }

    /** Condition on columns `<alias>.ENTITY_TYPE` / `<alias>.ENTITY_ID`, where a NULL type means "no invoice". */
    public function entityCondition(string $alias, bool $otherEntitiesVisible = true): string
    {
        if ($this->access->readsEverything()) {
            return '1 = 1';
        }
        $smart = $this->access->invoices('smart_invoice')->condition("{$alias}.ENTITY_ID");
        $legacy = $this->access->invoices('legacy_invoice')->condition("{$alias}.ENTITY_ID");
        $others = $otherEntitiesVisible
            ? " OR {$alias}.ENTITY_TYPE NOT IN ('smart_invoice', 'legacy_invoice')"
            : '';
        return "(({$alias}.ENTITY_TYPE = 'smart_invoice' AND {$smart}) OR ({$alias}.ENTITY_TYPE = 'legacy_invoice' AND {$legacy}){$others})";
    }

    public function readsEverything(): bool
    {
        return $this->access->readsEverything();
    }
}
