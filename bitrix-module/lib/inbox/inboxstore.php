<?php

declare(strict_types=1);

namespace B24xero\Sync\Inbox;

use B24xero\Sync\Db\Database;

/**
 * The applier's statements on b_b24xero_inbox and b_b24xero_inbox_result (the daemon's side is
 * daemon/src/state/inbox.ts). A row is settled only from STATE 'pending', and settling frees its DEDUPE_KEY, so the
 * daemon's next wish for the entity is queued fresh instead of superseding a row that is done.
 */
final class InboxStore
{
    /** ERROR is TEXT: 65,535 bytes. */
    private const ERROR_MAX_BYTES = 65535;

    public function __construct(private readonly Database $db)
    {
    }

    /** @return list<array{ID: string, ENTITY_TYPE: string, ENTITY_ID: ?string, ACTION: string, PAYLOAD: string, ATTEMPTS: string}> */
    public function pendingAfter(int $afterId, int $limit): array
    {
        return $this->db->fetchAll(
            "SELECT ID, ENTITY_TYPE, ENTITY_ID, ACTION, PAYLOAD, ATTEMPTS FROM b_b24xero_inbox
             WHERE STATE = 'pending' AND ID > ? ORDER BY ID LIMIT " . max(1, $limit),
            [$afterId],
        );
    }

    /** Locks the row for this transaction; false when it is no longer pending (superseded or settled meanwhile). */
    public function lockPending(int $id): bool
    {
        $rows = $this->db->fetchAll('SELECT STATE FROM b_b24xero_inbox WHERE ID = ? FOR UPDATE', [$id]);
        return ($rows[0]['STATE'] ?? null) === 'pending';
    }

    /** @param array<string, mixed> $result */
    public function saveResult(int $id, array $result): void
    {
        $json = json_encode($result, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_THROW_ON_ERROR);
        $this->db->execute(
            'INSERT INTO b_b24xero_inbox_result (INBOX_ID, RESULT, CREATED_AT) VALUES (?, ?, UTC_TIMESTAMP(3))
             ON DUPLICATE KEY UPDATE RESULT = VALUES(RESULT), CREATED_AT = VALUES(CREATED_AT)',
            [$id, $json],
        );
    }

    public function markApplied(int $id): bool
    {
        return $this->db->execute(
            "UPDATE b_b24xero_inbox SET STATE = 'applied', APPLIED_AT = UTC_TIMESTAMP(3), DEDUPE_KEY = NULL, ERROR = NULL,
             ATTEMPTS = ATTEMPTS + 1 WHERE ID = ? AND STATE = 'pending'",
            [$id],
        ) > 0;
    }

    /** With $retry the row stays pending for the next run (ATTEMPTS counts up); without, it is settled as failed. */
    public function markFailed(int $id, string $error, bool $retry): bool
    {
        $settle = $retry ? '' : ", STATE = 'failed', DEDUPE_KEY = NULL";
        return $this->db->execute(
            "UPDATE b_b24xero_inbox SET ATTEMPTS = ATTEMPTS + 1, ERROR = ?{$settle} WHERE ID = ? AND STATE = 'pending'",
            [self::truncate($error), $id],
        ) > 0;
    }

    private static function truncate(string $text): string
    {
        if (strlen($text) <= self::ERROR_MAX_BYTES) {
            return $text;
        }
        return mb_strcut($text, 0, self::ERROR_MAX_BYTES - 3, 'UTF-8') . '…';
    }
}
