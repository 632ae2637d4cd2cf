<?php

declare(strict_types=1);

namespace B24xero\Sync\Ui;

/** Creates a product in Bitrix's CRM catalog (Crm\BitrixProductWriter: CCrmProduct::Add, which fires the catalog's events). */
interface ProductWriter
{
    /**
     * @param array{name: string, price: string, currency: string, vatId: int|null, vatIncluded: bool} $product
     * @return int the new product's id
     * @throws \RuntimeException with crm's reason when it refuses
     */
    public function create(array $product): int;
}
