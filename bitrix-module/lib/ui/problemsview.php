<?php

declare(strict_types=1);

namespace B24xero\Sync\Ui;

use B24xero\Sync\Db\Database;

/**
 * Failing records and conflicts (open rows of b_b24xero_record_error; a conflict is the open error of operation
 * 'conflict'), and the two things a person can do about them. Retry and Mark resolved write exactly what the daemon's
 * `b24xero retry` / `b24xero resolve` write (daemon/src/state/record-errors.ts retryNow / resolveErrorById), so the
 * daemon honours them on its next pass: NEXT_RETRY_AT = now makes the record due, RESOLVED_AT closes the error.
 */
final class ProblemsView
{
    public const SORTABLE = [
        'seen' => 'e.LAST_SEEN_AT', 'first' => 'e.FIRST_SEEN_AT', 'entity' => 'e.ENTITY_TYPE', 'class' => 'e.CLASS',
        'code' => 'e.CODE', 'attempts' => 'e.ATTEMPTS',
    ];

    public function __construct(private readonly Database $db, private readonly InvoiceVisibility $visibility)
    {
    }

    public function errors(ListQuery $query): PageResult
    {
        return $this->page("e.OPERATION <> 'conflict'", $query);
    }

    /**
     * Conflicts with both versions: Bitrix's invoice as it is now, and Xero's as the daemon last saw it (the link's
     * status and number, the stored invoice balance).
     */
    public function conflicts(ListQuery $query): PageResult
    {
        $page = $this->page("e.OPERATION = 'conflict'", $query);
        $rows = [];
        foreach ($page->rows as $row) {
            $row['bitrix'] = $this->bitrixVersion((string)$row['entityType'], (int)$row['entityId']);
            $row['xero'] = $this->xeroVersion((string)$row['entityType'], (int)$row['entityId'], $row['details']);
            $rows[] = $row;
        }
        return new PageResult($rows, $page->total, $page->query);
    }

    /** The open errors of one record (for the invoice panel). @return list<array<string, mixed>> */
    public function ofRecord(string $entityType, int $entityId): array
    {
        $rows = $this->db->fetchAll(
            'SELECT e.* FROM b_b24xero_record_error e WHERE e.RESOLVED_AT IS NULL AND e.ENTITY_TYPE = ? AND e.ENTITY_ID = ?
             ORDER BY e.LAST_SEEN_AT DESC, e.ID DESC',
            [$entityType, $entityId],
        );
        return array_map([$this, 'row'], $rows);
    }

    /** Makes an open error due now, whatever its back-off; true when one was open and visible to this user. */
    public function retry(int $id): bool
    {
        if (!$this->isVisibleOpen($id)) {
            return false;
        }
        return $this->db->execute(
            'UPDATE b_b24xero_record_error SET NEXT_RETRY_AT = UTC_TIMESTAMP(3) WHERE ID = ? AND RESOLVED_AT IS NULL',
            [$id],
        ) > 0;
    }

    /** Closes an open error: no longer listed or retried (it opens again if the record fails again). */
    public function resolve(int $id): bool
    {
        if (!$this->isVisibleOpen($id)) {
            return false;
        }
        return $this->db->execute(
            'UPDATE b_b24xero_record_error SET RESOLVED_AT = UTC_TIMESTAMP(3), NEXT_RETRY_AT = NULL WHERE ID = ? AND RESOLVED_AT IS NULL',
            [$id],
        ) > 0;
    }

    /** @return array{errors: int, conflicts: int} */
    public function counts(): array
    {
        $row = $this->db->fetchAll(
            "SELECT COALESCE(SUM(e.OPERATION <> 'conflict'), 0) AS errors, COALESCE(SUM(e.OPERATION = 'conflict'), 0) AS conflicts
             FROM b_b24xero_record_error e WHERE e.RESOLVED_AT IS NULL AND " . $this->visibility->entityCondition('e'),
        )[0];
        return ['errors' => (int)$row['errors'], 'conflicts' => (int)$row['conflicts']];
    }

    private function isVisibleOpen(int $id): bool
    {
        return $this->db->fetchAll(
            'SELECT e.ID FROM b_b24xero_record_error e WHERE e.ID = ? AND e.RESOLVED_AT IS NULL AND ' . $this->visibility->entityCondition('e'),
            [$id],
        ) !== [];
    }

    private function page(string $condition, ListQuery $query): PageResult
    {
        $where = "e.RESOLVED_AT IS NULL AND {$condition} AND " . $this->visibility->entityCondition('e');
        $total = (int)($this->db->fetchAll("SELECT COUNT(*) AS n FROM b_b24xero_record_error e WHERE {$where}")[0]['n'] ?? 0);
        if ($query->offset() >= $total && $total > 0) {
            $query = $query->withPage((int)ceil($total / $query->pageSize));
        }
        $rows = $this->db->fetchAll(
            "SELECT e.* FROM b_b24xero_record_error e WHERE {$where} ORDER BY " . $query->orderBy('e.ID') . ' ' . $query->limitClause(),
        );
        return new PageResult(array_map([$this, 'row'], $rows), $total, $query);
    }

    /** @param array<string, string|null> $r @return array<string, mixed> */
    private function row(array $r): array
    {
        $details = json_decode((string)($r['DETAILS'] ?? ''), true);
        return [
            'id' => (int)$r['ID'], 'entityType' => (string)$r['ENTITY_TYPE'], 'entityId' => (int)$r['ENTITY_ID'],
            'operation' => (string)$r['OPERATION'], 'severity' => (string)$r['SEVERITY'], 'class' => (string)$r['CLASS'],
            'code' => (string)$r['CODE'], 'message' => (string)$r['MESSAGE'], 'attempts' => (int)$r['ATTEMPTS'],
            'firstSeen' => (string)$r['FIRST_SEEN_AT'], 'lastSeen' => (string)$r['LAST_SEEN_AT'],
            'nextRetry' => $r['NEXT_RETRY_AT'], 'details' => is_array($details) ? $details : [],
        ];
    }

    /** @return array<string, mixed>|null */
    private function bitrixVersion(string $entityType, int $id): ?array
    {
        $sql = match ($entityType) {
            'smart_invoice' => 'SELECT i.TITLE AS title, i.ACCOUNT_NUMBER AS number, i.OPPORTUNITY AS total, i.CURRENCY_ID AS currency,
                    i.STAGE_ID AS stage, s.NAME AS stage_name, i.UPDATED_TIME AS updated
                FROM b_crm_dynamic_items_31 i
                LEFT JOIN b_crm_status s ON s.STATUS_ID = i.STAGE_ID AND s.ENTITY_ID = CONCAT(\'SMART_INVOICE_STAGE_\', i.CATEGORY_ID)
                WHERE i.ID = ?',
            'legacy_invoice' => 'SELECT i.ORDER_TOPIC AS title, i.ACCOUNT_NUMBER AS number, i.PRICE AS total, i.CURRENCY AS currency,
                    i.STATUS_ID AS stage, s.NAME AS stage_name, i.DATE_UPDATE AS updated
                FROM b_crm_invoice i LEFT JOIN b_crm_status s ON s.STATUS_ID = i.STATUS_ID AND s.ENTITY_ID = \'INVOICE_STATUS\'
                WHERE i.ID = ?',
            default => null,
        };
        $row = $sql === null ? null : ($this->db->fetchAll($sql, [$id])[0] ?? null);
        return $row === null ? null : [
            'title' => (string)$row['title'], 'number' => (string)($row['number'] ?? ''),
            'total' => Money::format((string)$row['total']), 'currency' => (string)$row['currency'],
            'stage' => (string)($row['stage_name'] ?? $row['stage']), 'updated' => (string)$row['updated'],
        ];
    }

    /** @param array<string, mixed> $details @return array<string, mixed>|null */
    private function xeroVersion(string $entityType, int $id, array $details): ?array
    {
        $link = $this->db->fetchAll(
            "SELECT XERO_ID, XERO_STATUS, XERO_NUMBER, XERO_UPDATED_UTC FROM b_b24xero_link WHERE ENTITY_TYPE = ? AND ENTITY_ID = ? AND XERO_TYPE = 'invoice'",
            [$entityType, $id],
        )[0] ?? null;
        if ($link === null) {
            return null;
        }
        $balance = $link['XERO_ID'] === null ? null : ($this->db->fetchAll(
            "SELECT AMOUNT, AMOUNT_DUE, CURRENCY, STATUS FROM b_b24xero_transaction WHERE XERO_TYPE = 'invoice' AND XERO_ID = ? LIMIT 1",
            [$link['XERO_ID']],
        )[0] ?? null);
        return [
            'xeroId' => (string)$link['XERO_ID'], 'number' => (string)($link['XERO_NUMBER'] ?? ''),
            'status' => (string)($balance['STATUS'] ?? $details['xeroStatus'] ?? $link['XERO_STATUS'] ?? ''),
            'total' => $balance === null ? null : Money::format((string)$balance['AMOUNT']),
            'amountDue' => $balance === null || $balance['AMOUNT_DUE'] === null ? null : Money::format((string)$balance['AMOUNT_DUE']),
            'currency' => (string)($balance['CURRENCY'] ?? ''), 'updated' => (string)($link['XERO_UPDATED_UTC'] ?? ''),
        ];
    }
}
