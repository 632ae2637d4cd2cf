<?php

declare(strict_types=1);

namespace B24xero\Sync\Inbox\Action;

use B24xero\Sync\Crm\CrmGateway;
use B24xero\Sync\Crm\ProductRow;
use B24xero\Sync\Inbox\ApplyFailure;

/** set_invoice_content: lines, dates and reference edited in Xero, written where they differ from the invoice. */
final class SetInvoiceContent implements Action
{
    public function __construct(private readonly CrmGateway $crm)
    {
    }

    public function apply(string $entityType, ?int $entityId, array $payload): ?array
    {
        $invoice = Entities::invoice($this->crm, $entityType, (int)$entityId);
        $bound = (string)($invoice->fields['XML_ID'] ?? '');
        if ($bound !== '' && strtolower($bound) !== $payload['xeroInvoiceId']) {
            throw new ApplyFailure("{$invoice->label()} is bound to Xero invoice {$bound}, not {$payload['xeroInvoiceId']}: nothing was changed");
        }
        $given = $payload['fields'] ?? [];
        $fields = [];
        if (isset($given['issueDate']) && $given['issueDate'] !== $invoice->issueDate) {
            $fields['ISSUE_DATE'] = $given['issueDate'];
        }
        if (isset($given['dueDate']) && $given['dueDate'] !== $invoice->dueDate) {
            $fields['DUE_DATE'] = $given['dueDate'];
        }
        if (array_key_exists('reference', $given) && !Entities::same($invoice->fields['UF_CRM_XERO_REFERENCE'] ?? null, $given['reference'])) {
            $fields['UF_CRM_XERO_REFERENCE'] = $given['reference'];
        }
        if ($fields !== []) {
            $this->crm->setInvoiceFields($invoice, $fields);
        }
        if (isset($payload['rows'])) {
            $rows = array_map(ProductRow::fromPayload(...), $payload['rows']);
            if (!ProductRow::sameRows($rows, $invoice->rows)) {
                $this->crm->replaceInvoiceRows($invoice, $rows);
            }
        }
        return null;
    }
}
