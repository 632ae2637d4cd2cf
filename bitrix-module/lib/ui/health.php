<?php

declare(strict_types=1);

namespace B24xero\Sync\Ui;

use B24xero\Sync\Db\Database;

/**
 * The Connection tab: how the daemon is doing, read from its state tables — the last pass and its result, the last
 * error, the day's Xero call budget, the last webhook, the schema version and the organisation cache's age.
 */
final class Health
{
    public function __construct(private readonly Database $db)
    {
    }

    /** @return array<string, mixed> */
    public function read(): array
    {
        $lastError = $this->db->fetchAll(
            'SELECT ENTITY_TYPE, ENTITY_ID, CODE, MESSAGE, LAST_SEEN_AT FROM b_b24xero_record_error WHERE RESOLVED_AT IS NULL
             ORDER BY LAST_SEEN_AT DESC, ID DESC LIMIT 1',
        )[0] ?? null;
        $budget = $this->db->fetchAll('SELECT DAY_UTC, DAY_USED, DAY_REMAINING, BLOCKED_UNTIL FROM b_b24xero_governor ORDER BY UPDATED_AT DESC LIMIT 1')[0] ?? null;
        $webhook = $this->db->fetchAll('SELECT MAX(RECEIVED_AT) AS last, COALESCE(SUM(PROCESSED_AT IS NULL), 0) AS pending FROM b_b24xero_webhook_event')[0];
        $schema = $this->db->fetchAll('SELECT MAX(VERSION) AS v FROM b_b24xero_migration')[0]['v'] ?? null;
        $version = null;
        $stats = $this->db->fetchAll("SELECT STATS FROM b_b24xero_run WHERE STATS LIKE '%daemonVersion%' ORDER BY ID DESC LIMIT 1")[0]['STATS'] ?? null;
        if ($stats !== null) {
            $decoded = json_decode($stats, true);
            $version = is_array($decoded) && is_string($decoded['daemonVersion'] ?? null) ? $decoded['daemonVersion'] : null;
        }
        $org = OrgData::load($this->db);
        return [
            'lastRun' => (new RunsView($this->db))->last(),
            'lastError' => $lastError === null ? null : [
                'entityType' => $lastError['ENTITY_TYPE'], 'entityId' => (int)$lastError['ENTITY_ID'], 'code' => $lastError['CODE'],
                'message' => $lastError['MESSAGE'], 'seen' => $lastError['LAST_SEEN_AT'],
            ],
            'budget' => $budget === null ? null : [
                'day' => $budget['DAY_UTC'], 'used' => (int)$budget['DAY_USED'],
                'remaining' => $budget['DAY_REMAINING'] === null ? null : (int)$budget['DAY_REMAINING'],
                'blockedUntil' => $budget['BLOCKED_UNTIL'],
            ],
            'webhookLast' => $webhook['last'],
            'webhookPending' => (int)$webhook['pending'],
            'schemaVersion' => $schema === null ? null : (int)$schema,
            'daemonVersion' => $version,
            'orgFetchedAt' => $org->fetchedAt,
        ];
    }
}
