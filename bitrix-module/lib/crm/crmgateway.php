<?php

declare(strict_types=1);

namespace B24xero\Sync\Crm;

/**
 * Everything the applier does to crm, and nothing more. BitrixCrmGateway does it through Bitrix's API (the factory
 * of smart invoices, CCrmInvoice, CCrmContact / CCrmCompany and their helpers) so events, automation, timeline and
 * caches stay right; FixtureCrmGateway (tests) writes the fixture tables the way those calls write a real portal.
 * Entity types are the daemon's: 'smart_invoice', 'legacy_invoice', 'contact', 'company'.
 * Every method throws \B24xero\Sync\Inbox\ApplyFailure when crm refuses, with crm's own message.
 */
interface CrmGateway
{
    /** The invoice as the applier compares it, or null when there is none with that id (deleted). */
    public function findInvoice(string $entityType, int $id): ?Invoice;

    /** Stage ids the invoice can be in: its category's stages (smart), INVOICE_STATUS (legacy). @return list<string> */
    public function stagesOf(Invoice $invoice): array;

    /** Moves the invoice (smart: factory update operation, automation runs; legacy: CCrmInvoice::SetStatus). */
    public function setInvoiceStage(Invoice $invoice, string $stageId, ?Payment $payment): void;

    /**
     * Writes fields of the invoice. Keys: XML_ID, the UF_CRM_XERO_* fields, and ISSUE_DATE / DUE_DATE ('YYYY-MM-DD',
     * BEGINDATE / CLOSEDATE on smart invoices, DATE_BILL / DATE_PAY_BEFORE on legacy ones). null clears a field.
     * @param array<string, string|float|null> $fields
     */
    public function setInvoiceFields(Invoice $invoice, array $fields): void;

    /** Replaces all product rows; the invoice total follows them as crm computes it. @param list<ProductRow> $rows */
    public function replaceInvoiceRows(Invoice $invoice, array $rows): void;

    public function findParty(string $entityType, int $id): ?Party;

    /** The contact or company whose UF_CRM_XERO_ID is exactly $xeroId (the lowest id if several are). */
    public function findPartyByXeroId(string $entityType, string $xeroId): ?Party;

    /** The contacts attached to a company, the primary one first. @return list<Party> */
    public function companyContacts(int $companyId): array;

    /**
     * Creates a contact or company. $change keys: firstName, lastName (contact), title (company), emails, phones
     * (lists of ['value' => …, 'type' => VALUE_TYPE]), website (?string), addresses (list of address arrays with
     * 'type' street|postal), taxNumber (?string), fields (UF_CRM_XERO_ID / UF_CRM_XERO_STATUS). Returns the new id.
     * @param array<string, mixed> $change
     */
    public function createParty(string $entityType, array $change): int;

    /** Writes the keys of $change (as for createParty) that are present; emails / phones replace all values. @param array<string, mixed> $change */
    public function updateParty(Party $party, array $change): void;

    /** Attaches a contact to a company (b_crm_contact_company), as its primary contact if asked. */
    public function attachContact(int $companyId, int $contactId, bool $primary): void;
}
