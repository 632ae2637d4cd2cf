<?php

declare(strict_types=1);

namespace B24xero\Sync\Inbox;

/** What one applier run did. */
final class ApplyReport
{
    public int $applied = 0;
    public int $failed = 0;
    /** Left pending after a transient error (deadlock, lost connection); tried again next run. */
    public int $retrying = 0;
    /** Superseded or settled by someone else between reading and locking. */
    public int $skipped = 0;
    /** Another applier held the lock: this run did nothing. */
    public bool $busy = false;
    /** @var list<array{id: int, error: string}> */
    public array $failures = [];

    public function summary(): string
    {
        if ($this->busy) {
            return 'another applier is running; nothing done';
        }
        return sprintf('%d applied, %d failed, %d to retry, %d skipped', $this->applied, $this->failed, $this->retrying, $this->skipped);
    }
}
