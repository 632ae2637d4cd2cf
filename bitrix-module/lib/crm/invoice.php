<?php

declare(strict_types=1);

namespace B24xero\Sync\Crm;

/** A smart or legacy invoice as the applier sees it. */
final class Invoice
{
    /**
     * @param array<string, string|null> $fields XML_ID and the UF_CRM_XERO_* values as stored
     * @param list<ProductRow> $rows
     */
    public function __construct(
        public readonly string $entityType,
        public readonly int $id,
        public readonly string $stageId,
        /** b_crm_item_category.ID of a smart invoice; null for legacy invoices. */
        public readonly ?int $categoryId,
        public readonly string $currency,
        public readonly array $fields,
        /** 'YYYY-MM-DD' or null (BEGINDATE / DATE_BILL). */
        public readonly ?string $issueDate,
        /** 'YYYY-MM-DD' or null (CLOSEDATE / DATE_PAY_BEFORE). */
        public readonly ?string $dueDate,
        public readonly array $rows,
    ) {
    }

    public function label(): string
    {
        return ($this->entityType === 'smart_invoice' ? 'smart invoice ' : 'invoice ') . $this->id;
    }
}
