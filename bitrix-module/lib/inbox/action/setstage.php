<?php

declare(strict_types=1);

namespace B24xero\Sync\Inbox\Action;

use B24xero\Sync\Crm\CrmGateway;
use B24xero\Sync\Crm\Payment;
use B24xero\Sync\Inbox\ApplyFailure;

/** set_stage: the stage (smart) or status (legacy) the daemon's status map chose; nothing if the invoice is there already. */
final class SetStage implements Action
{
    public function __construct(private readonly CrmGateway $crm)
    {
    }

    public function apply(string $entityType, ?int $entityId, array $payload): ?array
    {
        $invoice = Entities::invoice($this->crm, $entityType, (int)$entityId);
        $stageId = (string)$payload['stageId'];
        if ($invoice->stageId === $stageId) {
            return null;
        }
        $stages = $this->crm->stagesOf($invoice);
        if (!in_array($stageId, $stages, true)) {
            $where = $invoice->categoryId !== null ? "category {$invoice->categoryId} of smart invoices" : 'the invoice statuses';
            throw new ApplyFailure("stage {$stageId} does not exist in {$where} (" . implode(', ', $stages) . "), so {$invoice->label()} stays in {$invoice->stageId}");
        }
        $payment = isset($payload['payment']) ? new Payment((string)$payload['payment']['date'], $payload['payment']['reference'] ?? null) : null;
        $this->crm->setInvoiceStage($invoice, $stageId, $entityType === 'legacy_invoice' ? $payment : null);
        return null;
    }
}
