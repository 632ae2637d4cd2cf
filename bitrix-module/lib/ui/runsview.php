<?php

declare(strict_types=1);

namespace B24xero\Sync\Ui;

use B24xero\Sync\Db\Database;

/** Recent sync runs of the daemon (b_b24xero_run) with their counts, newest first by default. */
final class RunsView
{
    public const SORTABLE = ['started' => 'STARTED_AT', 'kind' => 'KIND', 'status' => 'STATUS'];
    /** The counters a run's STATS JSON carries that the dashboard shows (daemon/src/sync/push/push-stats.ts). */
    public const COUNTS = ['created', 'updated', 'unchanged', 'skipped', 'conflicts', 'failed', 'apiCalls'];

    public function __construct(private readonly Database $db)
    {
    }

    public function page(ListQuery $query): PageResult
    {
        $total = (int)($this->db->fetchAll('SELECT COUNT(*) AS n FROM b_b24xero_run')[0]['n'] ?? 0);
        $rows = $this->db->fetchAll(
            'SELECT ID, INSTANCE, KIND, STATUS, DRY_RUN, STARTED_AT, FINISHED_AT, STATS, ERROR FROM b_b24xero_run
             ORDER BY ' . $query->orderBy('ID') . ' ' . $query->limitClause(),
        );
        return new PageResult(array_map(static function (array $r): array {
            $stats = json_decode((string)($r['STATS'] ?? ''), true);
            $counts = [];
            foreach (self::COUNTS as $key) {
                $counts[$key] = is_array($stats) && is_numeric($stats[$key] ?? null) ? (int)$stats[$key] : null;
            }
            return [
                'id' => (int)$r['ID'], 'instance' => (string)$r['INSTANCE'], 'kind' => (string)$r['KIND'],
                'status' => (string)$r['STATUS'], 'dryRun' => $r['DRY_RUN'] === 'Y',
                'started' => (string)$r['STARTED_AT'], 'finished' => $r['FINISHED_AT'], 'error' => $r['ERROR'],
                'counts' => $counts,
            ];
        }, $rows), $total, $query);
    }

    /** The last finished run (for the Connection tab): @return array<string, mixed>|null */
    public function last(): ?array
    {
        $row = $this->db->fetchAll(
            "SELECT ID, KIND, STATUS, STARTED_AT, FINISHED_AT, ERROR FROM b_b24xero_run WHERE STATUS <> 'running'
             ORDER BY STARTED_AT DESC, ID DESC LIMIT 1",
        )[0] ?? null;
        return $row === null ? null : [
            'id' => (int)$row['ID'], 'kind' => $row['KIND'], 'status' => $row['STATUS'], 'started' => $row['STARTED_AT'],
            'finished' => $row['FINISHED_AT'], 'error' => $row['ERROR'],
        ];
    }
}
