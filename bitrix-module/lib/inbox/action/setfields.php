<?php

declare(strict_types=1);

namespace B24xero\Sync\Inbox\Action;

use B24xero\Sync\Crm\CrmGateway;
use B24xero\Sync\Inbox\ApplyFailure;

/** set_fields: binding and status fields on an invoice, contact or company; only the values that differ are written. */
final class SetFields implements Action
{
    public const INVOICE_FIELDS = ['XML_ID', 'UF_CRM_XERO_STATUS', 'UF_CRM_XERO_URL', 'UF_CRM_XERO_AMOUNT_DUE', 'UF_CRM_XERO_REFERENCE'];
    public const PARTY_FIELDS = ['UF_CRM_XERO_ID', 'UF_CRM_XERO_STATUS'];

    public function __construct(private readonly CrmGateway $crm)
    {
    }

    public function apply(string $entityType, ?int $entityId, array $payload): ?array
    {
        $wanted = $payload['fields'];
        $isInvoice = Entities::isInvoice($entityType);
        $allowed = $isInvoice ? self::INVOICE_FIELDS : self::PARTY_FIELDS;
        $foreign = array_diff(array_keys($wanted), $allowed);
        if ($foreign !== []) {
            throw new ApplyFailure(sprintf(
                '%s has no field %s (it takes %s)',
                Entities::name($entityType) . " {$entityId}",
                implode(', ', $foreign),
                implode(', ', $allowed),
            ));
        }
        if ($isInvoice) {
            $invoice = Entities::invoice($this->crm, $entityType, (int)$entityId);
            $changed = $this->changed($invoice->fields, $wanted);
            if ($changed !== []) {
                $this->crm->setInvoiceFields($invoice, $changed);
            }
            return null;
        }
        $party = Entities::party($this->crm, $entityType, (int)$entityId);
        $changed = $this->changed($party->fields, $wanted);
        if ($changed !== []) {
            $this->crm->updateParty($party, ['fields' => $changed]);
        }
        return null;
    }

    /**
     * @param array<string, string|null> $stored
     * @param array<string, mixed> $wanted
     * @return array<string, string|float|null>
     */
    private function changed(array $stored, array $wanted): array
    {
        $out = [];
        foreach ($wanted as $name => $value) {
            if (!Entities::same($stored[$name] ?? null, $value)) {
                $out[$name] = is_int($value) ? (float)$value : $value;
            }
        }
        return $out;
    }
}
