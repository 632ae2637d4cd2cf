<?php

declare(strict_types=1);

namespace B24xero\Sync\Ui;

use B24xero\Sync\Db\Database;

/**
 * The dashboard's Xero transactions (b_b24xero_transaction, written by the daemon's pull): a filtered, sorted page,
 * and what is outstanding and overdue per currency. A user sees a transaction only when it belongs to an invoice
 * they may read in CRM (through b_b24xero_link); transactions tied to no Bitrix invoice only when they read all.
 */
final class TransactionsView
{
    public const SORTABLE = [
        'date' => 't.TXN_DATE',
        'type' => 't.XERO_TYPE',
        'contact' => 't.CONTACT_NAME',
        'amount' => 't.AMOUNT',
        'currency' => 't.CURRENCY',
        'status' => 't.STATUS',
    ];

    /** The invoice a row belongs to: itself for an invoice balance, INVOICE_XERO_ID for payments and credit notes. */
    private const FROM = "FROM b_b24xero_transaction t
        LEFT JOIN b_b24xero_link l ON l.XERO_TYPE = 'invoice'
            AND l.XERO_ID = CASE WHEN t.XERO_TYPE = 'invoice' THEN t.XERO_ID ELSE t.INVOICE_XERO_ID END";

    public function __construct(
        private readonly Database $db,
        private readonly InvoiceVisibility $visibility,
        private readonly string $today,
    ) {
    }

    public function page(TransactionFilter $filter, ListQuery $query): PageResult
    {
        [$where, $params] = $this->where($filter);
        $total = (int)($this->db->fetchAll('SELECT COUNT(*) AS n ' . self::FROM . " WHERE {$where}", $params)[0]['n'] ?? 0);
        if ($query->offset() >= $total && $total > 0) {
            $query = $query->withPage((int)ceil($total / $query->pageSize));
        }
        $rows = $this->db->fetchAll(
            'SELECT t.ID, t.XERO_TYPE, t.XERO_ID, t.TXN_DATE, t.DUE_DATE, t.CONTACT_NAME, t.REFERENCE, t.AMOUNT, t.AMOUNT_DUE,
                    t.CURRENCY, t.STATUS, l.ENTITY_TYPE, l.ENTITY_ID, l.XERO_NUMBER '
            . self::FROM . " WHERE {$where} ORDER BY " . $query->orderBy('t.ID') . ' ' . $query->limitClause(),
            $params,
        );
        return new PageResult(array_map([$this, 'row'], $rows), $total, $query);
    }

    /**
     * Approved invoices not yet paid, per currency: what is owed, and the part past its due date (before today).
     * The contact filter applies; the date range and type do not (what is owed is owed now).
     *
     * @return list<array{currency: string, outstanding: string, overdue: string, invoices: int, overdueInvoices: int}>
     */
    public function totals(TransactionFilter $filter): array
    {
        [$where, $params] = $this->where(TransactionFilter::fromRequest(['contact' => $filter->contact]));
        $rows = $this->db->fetchAll(
            'SELECT t.CURRENCY,
                    ROUND(SUM(t.AMOUNT_DUE), 2) AS outstanding,
                    ROUND(COALESCE(SUM(CASE WHEN t.DUE_DATE < ? THEN t.AMOUNT_DUE END), 0), 2) AS overdue,
                    COUNT(*) AS invoices,
                    COALESCE(SUM(t.DUE_DATE < ?), 0) AS overdue_invoices '
            . self::FROM . " WHERE {$where} AND t.XERO_TYPE = 'invoice' AND t.STATUS = 'AUTHORISED' AND t.AMOUNT_DUE > 0
              GROUP BY t.CURRENCY ORDER BY t.CURRENCY",
            array_merge([$this->today, $this->today], $params),
        );
        return array_map(static fn (array $r): array => [
            'currency' => (string)$r['CURRENCY'],
            'outstanding' => (string)$r['outstanding'],
            'overdue' => (string)$r['overdue'],
            'invoices' => (int)$r['invoices'],
            'overdueInvoices' => (int)$r['overdue_invoices'],
        ], $rows);
    }

    /** Rows of one invoice, for its Xero panel: its balance and every payment and credit note on it. @return list<array<string, mixed>> */
    public function ofInvoice(string $invoiceXeroId): array
    {
        $rows = $this->db->fetchAll(
            'SELECT t.ID, t.XERO_TYPE, t.XERO_ID, t.TXN_DATE, t.DUE_DATE, t.CONTACT_NAME, t.REFERENCE, t.AMOUNT, t.AMOUNT_DUE,
                    t.CURRENCY, t.STATUS, l.ENTITY_TYPE, l.ENTITY_ID, l.XERO_NUMBER '
            . self::FROM . ' WHERE (t.XERO_ID = ? OR t.INVOICE_XERO_ID = ?) ORDER BY t.TXN_DATE, t.ID',
            [$invoiceXeroId, $invoiceXeroId],
        );
        return array_map([$this, 'row'], $rows);
    }

    /** @return array{0: string, 1: list<scalar>} */
    private function where(TransactionFilter $filter): array
    {
        $where = [$this->visibility->readsEverything() ? '1 = 1' : '(l.ID IS NOT NULL AND ' . $this->visibility->entityCondition('l', false) . ')'];
        $params = [];
        if ($filter->dateFrom !== null) {
            $where[] = 't.TXN_DATE >= ?';
            $params[] = $filter->dateFrom;
        }
        if ($filter->dateTo !== null) {
            $where[] = 't.TXN_DATE <= ?';
            $params[] = $filter->dateTo;
        }
        if ($filter->contact !== '') {
            $where[] = "t.CONTACT_NAME LIKE ? ESCAPE '!'";
            $params[] = '%' . strtr($filter->contact, ['!' => '!!', '%' => '!%', '_' => '!_']) . '%';
        }
        if ($filter->type !== null) {
            $where[] = 't.XERO_TYPE = ?';
            $params[] = $filter->type;
        }
        return [implode(' AND ', $where), $params];
    }

    /** @param array<string, string|null> $r @return array<string, mixed> */
    private function row(array $r): array
    {
        return [
            'id' => (int)$r['ID'],
            'type' => (string)$r['XERO_TYPE'],
            'xeroId' => (string)$r['XERO_ID'],
            'date' => $r['TXN_DATE'],
            'dueDate' => $r['DUE_DATE'],
            'contact' => (string)($r['CONTACT_NAME'] ?? ''),
            'reference' => (string)($r['REFERENCE'] ?? ''),
            'amount' => Money::format((string)$r['AMOUNT']),
            'amountDue' => $r['AMOUNT_DUE'] === null ? null : Money::format((string)$r['AMOUNT_DUE']),
            'currency' => (string)$r['CURRENCY'],
            'status' => (string)$r['STATUS'],
            'overdue' => $r['XERO_TYPE'] === 'invoice' && $r['STATUS'] === 'AUTHORISED' && (float)$r['AMOUNT_DUE'] > 0
                && $r['DUE_DATE'] !== null && $r['DUE_DATE'] < $this->today,
            'entityType' => $r['ENTITY_TYPE'],
            'entityId' => $r['ENTITY_ID'] === null ? null : (int)$r['ENTITY_ID'],
            'invoiceNumber' => $r['XERO_NUMBER'],
        ];
    }
}
