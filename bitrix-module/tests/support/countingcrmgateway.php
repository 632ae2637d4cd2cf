<?php

declare(strict_types=1);

namespace B24xero\Sync\Tests;

use B24xero\Sync\Crm\CrmGateway;
use B24xero\Sync\Crm\Invoice;
use B24xero\Sync\Crm\Party;
use B24xero\Sync\Crm\Payment;

/** Passes every call to another gateway and counts the writes, so a test can tell "applied again, changed nothing". */
final class CountingCrmGateway implements CrmGateway
{
    /** @var list<string> names of the write methods called, in order */
    public array $writes = [];

    /** Called before each write; a test makes it throw to stand for crm or the database failing mid-row. */
    public ?\Closure $beforeWrite = null;

    public function __construct(private readonly CrmGateway $inner)
    {
    }

    public function findInvoice(string $entityType, int $id): ?Invoice
    {
        return $this->inner->findInvoice($entityType, $id);
    }

    public function stagesOf(Invoice $invoice): array
    {
        return $this->inner->stagesOf($invoice);
    }

    public function setInvoiceStage(Invoice $invoice, string $stageId, ?Payment $payment): void
    {
        $this->write(__FUNCTION__);
        $this->inner->setInvoiceStage($invoice, $stageId, $payment);
    }

    public function setInvoiceFields(Invoice $invoice, array $fields): void
    {
        $this->write(__FUNCTION__);
        $this->inner->setInvoiceFields($invoice, $fields);
    }

    public function replaceInvoiceRows(Invoice $invoice, array $rows): void
    {
        $this->write(__FUNCTION__);
        $this->inner->replaceInvoiceRows($invoice, $rows);
    }

    public function findParty(string $entityType, int $id): ?Party
    {
        return $this->inner->findParty($entityType, $id);
    }

    public function findPartyByXeroId(string $entityType, string $xeroId): ?Party
    {
        return $this->inner->findPartyByXeroId($entityType, $xeroId);
    }

    public function companyContacts(int $companyId): array
    {
        return $this->inner->companyContacts($companyId);
    }

    public function createParty(string $entityType, array $change): int
    {
        $this->write(__FUNCTION__);
        return $this->inner->createParty($entityType, $change);
    }

    public function updateParty(Party $party, array $change): void
    {
        $this->write(__FUNCTION__);
        $this->inner->updateParty($party, $change);
    }

    public function attachContact(int $companyId, int $contactId, bool $primary): void
    {
        $this->write(__FUNCTION__);
        $this->inner->attachContact($companyId, $contactId, $primary);
    }

    private function write(string $method): void
    {
        $this->writes[] = $method;
        if ($this->beforeWrite !== null) {
            ($this->beforeWrite)($method);
        }
    }
}
