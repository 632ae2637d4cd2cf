<?php

declare(strict_types=1);

namespace B24xero\Sync\ChangeFeed;

use B24xero\Sync\Db\Database;

/**
 * Writes b_b24xero_change rows, which the daemon claims with a lease and deletes once it has synced the entity.
 * One INSERT, nothing read: it runs inside the user's save. Writes the applier makes (OwnWrites) are not recorded.
 */
final class ChangeFeed
{
    public function __construct(private readonly Database $db)
    {
    }

    public function record(?Change $change): void
    {
        if ($change === null || OwnWrites::active()) {
            return;
        }
        $this->db->execute(
            'INSERT INTO b_b24xero_change (ENTITY_TYPE, ENTITY_ID, ACTION, CREATED_AT) VALUES (?, ?, ?, UTC_TIMESTAMP(3))',
            [$change->entityType, $change->entityId, $change->action],
        );
    }
}
