<?php

declare(strict_types=1);

namespace B24xero\Sync\Ui;

use B24xero\Sync\Db\Database;

/**
 * The Xero block of a smart or legacy invoice's detail page: its Xero status and number, amount due, payments and
 * credit notes, the online invoice and the invoice in Xero, and its open errors (with Retry). Null when the user may
 * not read the invoice.
 */
final class InvoicePanel
{
    public const ENTITY_TYPES = ['smart_invoice', 'legacy_invoice'];

    public function __construct(private readonly Database $db, private readonly CrmAccess $access)
    {
    }

    /** @return array<string, mixed>|null */
    public function read(string $entityType, int $entityId): ?array
    {
        if (!in_array($entityType, self::ENTITY_TYPES, true) || !$this->mayRead($entityType, $entityId)) {
            return null;
        }
        $link = $this->db->fetchAll(
            "SELECT XERO_ID, STATE, XERO_STATUS, XERO_NUMBER, XERO_UPDATED_UTC FROM b_b24xero_link
             WHERE ENTITY_TYPE = ? AND ENTITY_ID = ? AND XERO_TYPE = 'invoice'",
            [$entityType, $entityId],
        )[0] ?? null;
        $visibility = new InvoiceVisibility($this->access);
        $rows = $link === null || $link['XERO_ID'] === null ? [] : (new TransactionsView($this->db, $visibility, gmdate('Y-m-d')))->ofInvoice((string)$link['XERO_ID']);
        $balance = null;
        $movements = [];
        foreach ($rows as $row) {
            if ($row['type'] === 'invoice') {
                $balance = $row;
            } else {
                $movements[] = $row;
            }
        }
        return [
            'entityType' => $entityType,
            'entityId' => $entityId,
            'linked' => $link !== null,
            'state' => $link['STATE'] ?? null,
            'xeroId' => $link['XERO_ID'] ?? null,
            'status' => $balance['status'] ?? ($link['XERO_STATUS'] ?? null),
            'number' => $link['XERO_NUMBER'] ?? null,
            'total' => $balance['amount'] ?? null,
            'amountDue' => $balance['amountDue'] ?? null,
            'currency' => $balance['currency'] ?? null,
            'dueDate' => $balance['dueDate'] ?? null,
            'payments' => $movements,
            'onlineUrl' => $this->onlineUrl($entityType, $entityId),
            'xeroUrl' => $link !== null && $link['XERO_ID'] !== null
                ? 'https://go.xero.com/AccountsReceivable/View.aspx?InvoiceID=' . rawurlencode((string)$link['XERO_ID'])
                : null,
            'errors' => (new ProblemsView($this->db, $visibility))->ofRecord($entityType, $entityId),
        ];
    }

    private function mayRead(string $entityType, int $entityId): bool
    {
        $scope = $this->access->invoices($entityType);
        $table = $entityType === 'smart_invoice' ? 'b_crm_dynamic_items_31' : 'b_crm_invoice';
        return $this->db->fetchAll("SELECT i.ID FROM {$table} i WHERE i.ID = ? AND " . $scope->condition('i.ID'), [$entityId]) !== [];
    }

    /** UF_CRM_XERO_URL, which the applier writes from Xero's OnlineInvoiceUrl; only http(s) links are shown. */
    private function onlineUrl(string $entityType, int $entityId): ?string
    {
        $sql = $entityType === 'smart_invoice'
            ? 'SELECT UF_CRM_XERO_URL AS url FROM b_crm_dynamic_items_31 WHERE ID = ?'
            : 'SELECT UF_CRM_XERO_URL AS url FROM b_uts_crm_invoice WHERE VALUE_ID = ?';
        try {
            $url = (string)($this->db->fetchAll($sql, [$entityId])[0]['url'] ?? '');
        } catch (\B24xero\Sync\Db\DatabaseError) {
            return null; // the module's fields are not installed (yet) on this invoice kind
        }
        return preg_match('#^https?://#i', $url) ? $url : null;
    }
}
