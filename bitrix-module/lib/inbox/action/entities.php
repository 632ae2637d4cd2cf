<?php

declare(strict_types=1);

namespace B24xero\Sync\Inbox\Action;

use B24xero\Sync\Crm\CrmGateway;
use B24xero\Sync\Crm\Invoice;
use B24xero\Sync\Crm\Party;
use B24xero\Sync\Inbox\ApplyFailure;

/** Loading the row's entity, with the one message every action gives when Bitrix no longer has it. */
final class Entities
{
    public static function invoice(CrmGateway $crm, string $entityType, int $id): Invoice
    {
        return $crm->findInvoice($entityType, $id)
            ?? throw new ApplyFailure(self::name($entityType) . " {$id} does not exist in Bitrix (deleted?)");
    }

    public static function party(CrmGateway $crm, string $entityType, int $id): Party
    {
        return $crm->findParty($entityType, $id)
            ?? throw new ApplyFailure(self::name($entityType) . " {$id} does not exist in Bitrix (deleted?)");
    }

    public static function isInvoice(string $entityType): bool
    {
        return $entityType === 'smart_invoice' || $entityType === 'legacy_invoice';
    }

    public static function name(string $entityType): string
    {
        return match ($entityType) {
            'smart_invoice' => 'smart invoice',
            'legacy_invoice' => 'invoice',
            default => $entityType,
        };
    }

    /** Stored values and wished ones are equal: null and '' alike, numbers by value. */
    public static function same(mixed $stored, mixed $wanted): bool
    {
        if (is_int($wanted) || is_float($wanted)) {
            return $stored !== null && $stored !== '' && is_numeric($stored) && abs((float)$stored - (float)$wanted) < 0.00005;
        }
        return (string)($stored ?? '') === (string)($wanted ?? '');
    }
}
