<?php

declare(strict_types=1);

namespace B24xero\Sync\Crm;

use Bitrix\Main\Config\Option;
use Bitrix\Main\Loader;

/** crm's product catalog as the change feed needs it: cheap answers from cached options and one indexed lookup. */
final class BitrixCatalog
{
    /** Whether an infoblock is crm's product catalog or its catalog of offers (SKUs). */
    public static function isProductCatalog(int $iblockId): bool
    {
        if ($iblockId <= 0) {
            return false;
        }
        // Options are held in memory per request: no query in the common case.
        $catalogId = (int)Option::get('crm', 'default_product_catalog_id', '0');
        if ($iblockId === $catalogId) {
            return true;
        }
        if ($catalogId > 0 && Loader::includeModule('catalog')) {
            $sku = \CCatalogSku::GetInfoByProductIBlock($catalogId);
            return is_array($sku) && (int)($sku['IBLOCK_ID'] ?? 0) === $iblockId;
        }
        return false;
    }

    /** The product a catalog price row belongs to, 0 when unknown. */
    public static function productOfPrice(int $priceId): int
    {
        if ($priceId <= 0 || !Loader::includeModule('catalog')) {
            return 0;
        }
        $row = \Bitrix\Catalog\PriceTable::getList([
            'select' => ['PRODUCT_ID'],
            'filter' => ['=ID' => $priceId],
            'limit' => 1,
        ])->fetch();
        return $row ? (int)$row['PRODUCT_ID'] : 0;
    }
}
