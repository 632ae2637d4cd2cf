<?php

declare(strict_types=1);

namespace B24xero\Sync\Ui;

use B24xero\Sync\Db\Database;

/**
 * Every stage an invoice can be in: each smart-invoice category's stages (b_crm_status SMART_INVOICE_STAGE_<cat>,
 * custom ones included) and the legacy invoice statuses (INVOICE_STATUS), in crm's order.
 */
final class StageCatalog
{
    /**
     * @param list<array{id: int, name: string, stages: list<array{id: string, name: string, semantics: string}>}> $smartCategories
     * @param list<array{id: string, name: string, semantics: string}> $legacy
     */
    private function __construct(public readonly array $smartCategories, public readonly array $legacy)
    {
    }

    public static function load(Database $db): self
    {
        $categories = [];
        foreach ($db->fetchAll('SELECT ID, NAME FROM b_crm_item_category WHERE ENTITY_TYPE_ID = 31 ORDER BY SORT, ID') as $c) {
            $categories[] = [
                'id' => (int)$c['ID'], 'name' => (string)$c['NAME'],
                'stages' => self::stages($db, 'SMART_INVOICE_STAGE_' . (int)$c['ID']),
            ];
        }
        return new self($categories, self::stages($db, 'INVOICE_STATUS'));
    }

    /** @return list<string> the stage ids of one kind ('smart' or 'legacy') */
    public function ids(string $kind): array
    {
        if ($kind === 'legacy') {
            return array_column($this->legacy, 'id');
        }
        $ids = [];
        foreach ($this->smartCategories as $category) {
            array_push($ids, ...array_column($category['stages'], 'id'));
        }
        return $ids;
    }

    /** @return list<array{id: string, name: string, semantics: string}> */
    private static function stages(Database $db, string $entityId): array
    {
        return array_map(static fn (array $s): array => [
            'id' => (string)$s['STATUS_ID'], 'name' => (string)$s['NAME'], 'semantics' => (string)($s['SEMANTICS'] ?? ''),
        ], $db->fetchAll('SELECT STATUS_ID, NAME, SEMANTICS FROM b_crm_status WHERE ENTITY_ID = ? ORDER BY SORT, ID', [$entityId]));
    }
}
