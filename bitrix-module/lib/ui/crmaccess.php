<?php

declare(strict_types=1);

namespace B24xero\Sync\Ui;

/**
 * What the current user may read in CRM, for the invoice kinds the module syncs. The portal's implementation asks
 * crm's permission service (Crm\BitrixCrmAccess); tests and the browser stand-in use the responsible user of the
 * fixture's invoices (tests/support/fixturecrmaccess.php).
 */
interface CrmAccess
{
    /** @param 'smart_invoice'|'legacy_invoice' $entityType */
    public function invoices(string $entityType): CrmScope;

    /** True when the user may read every invoice of both kinds: records not tied to an invoice are shown only then. */
    public function readsEverything(): bool;
}
