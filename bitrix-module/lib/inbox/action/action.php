<?php

declare(strict_types=1);

namespace B24xero\Sync\Inbox\Action;

/**
 * One inbox action of the contract. apply() gets a payload that already passed its schema and the entity rules,
 * changes crm only where it differs from what is asked (so applying twice changes nothing), and returns what an
 * import made — stored in b_b24xero_inbox_result — or null.
 */
interface Action
{
    /**
     * @param array<string, mixed> $payload
     * @return array<string, mixed>|null
     * @throws \B24xero\Sync\Inbox\ApplyFailure
     */
    public function apply(string $entityType, ?int $entityId, array $payload): ?array;
}
