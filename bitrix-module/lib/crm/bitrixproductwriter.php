<?php

declare(strict_types=1);

namespace B24xero\Sync\Crm;

use B24xero\Sync\Ui\ProductWriter;
use Bitrix\Main\Loader;

/**
 * A product of crm's default catalog through CCrmProduct::Add: the infoblock element, its catalog row (VAT) and its
 * base price in one call, with the iblock and catalog events the module's change feed listens to.
 * Written against crm 23.400's source; not yet run inside a portal.
 */
final class BitrixProductWriter implements ProductWriter
{
    public function create(array $product): int
    {
        if (!Loader::includeModule('crm') || !Loader::includeModule('catalog')) {
            throw new \RuntimeException('the crm and catalog modules are needed to add products');
        }
        $fields = [
            'NAME' => $product['name'],
            'ACTIVE' => 'Y',
            'PRICE' => $product['price'],
            'CURRENCY_ID' => $product['currency'],
            'VAT_INCLUDED' => $product['vatIncluded'] ? 'Y' : 'N',
        ];
        if ($product['vatId'] !== null) {
            $fields['VAT_ID'] = $product['vatId'];
        }
        $id = \CCrmProduct::Add($fields);
        if (!$id) {
            throw new \RuntimeException((string)(\CCrmProduct::GetLastError() ?: 'crm refused the product'));
        }
        return (int)$id;
    }
}
