<?php

declare(strict_types=1);

namespace B24xero\Sync\ChangeFeed;

/**
 * One change-feed row to write: which entity changed and how. The named constructors read the arguments each Bitrix
 * event passes (crm's D7 item events, the old-style crm/iblock/catalog events) and return null when there is nothing
 * to record (no id, a failed save, an element of another infoblock).
 */
final class Change
{
    public const ENTITY_TYPES = ['smart_invoice', 'legacy_invoice', 'contact', 'company', 'product'];
    public const ACTIONS = ['add', 'update', 'delete'];

    public function __construct(
        public readonly string $entityType,
        public readonly int $entityId,
        public readonly string $action,
    ) {
        if (!in_array($entityType, self::ENTITY_TYPES, true) || !in_array($action, self::ACTIONS, true)) {
            throw new \InvalidArgumentException("unknown change {$entityType}/{$action}");
        }
    }

    /** crm's onCrmDynamicItem{Add,Update,Delete}_31: a \Bitrix\Main\Event with an `id` parameter. */
    public static function fromItemEvent(object $event, string $action): ?self
    {
        $id = method_exists($event, 'getParameter') ? $event->getParameter('id') : null;
        return self::of('smart_invoice', $id, $action);
    }

    /** OnAfterCrm{Invoice,Contact,Company}{Add,Update} and OnAfterCrmInvoiceSetStatus pass the saved fields with ID. */
    public static function fromFields(string $entityType, mixed $fields, string $action): ?self
    {
        return self::of($entityType, is_array($fields) ? ($fields['ID'] ?? null) : null, $action);
    }

    /** OnAfterCrm…Delete passes the id alone. */
    public static function fromId(string $entityType, mixed $id, string $action): ?self
    {
        return self::of($entityType, $id, $action);
    }

    /**
     * iblock's OnAfterIBlockElement{Add,Update,Delete}: the element's fields (RESULT false after a failed save); only
     * elements of crm's product catalog are products.
     * @param callable(int): bool $isCrmCatalog
     */
    public static function fromElement(mixed $fields, string $action, callable $isCrmCatalog): ?self
    {
        if (!is_array($fields) || (array_key_exists('RESULT', $fields) && !$fields['RESULT'])) {
            return null;
        }
        if (!$isCrmCatalog((int)($fields['IBLOCK_ID'] ?? 0))) {
            return null;
        }
        return self::of('product', $fields['ID'] ?? null, $action);
    }

    private static function of(string $entityType, mixed $id, string $action): ?self
    {
        $id = is_numeric($id) ? (int)$id : 0;
        return $id > 0 ? new self($entityType, $id, $action) : null;
    }
}
