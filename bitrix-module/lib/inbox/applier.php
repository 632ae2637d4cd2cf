<?php

declare(strict_types=1);

namespace B24xero\Sync\Inbox;

use B24xero\Sync\ChangeFeed\OwnWrites;
use B24xero\Sync\Crm\CrmGateway;
use B24xero\Sync\Db\Database;
use B24xero\Sync\Db\DatabaseError;
use B24xero\Sync\Db\LockName;
use B24xero\Sync\Inbox\Action\Action;
use B24xero\Sync\Inbox\Action\ImportCompany;
use B24xero\Sync\Inbox\Action\ImportContact;
use B24xero\Sync\Inbox\Action\SetFields;
use B24xero\Sync\Inbox\Action\SetInvoiceContent;
use B24xero\Sync\Inbox\Action\SetStage;
use B24xero\Sync\Inbox\Action\UpdateParty;

/**
 * Applies pending inbox rows in ID order, each in a transaction of its own: lock the row, check it against the
 * contract, make the change through the CrmGateway (marked as the applier's own writes, so the change feed skips
 * them), store what an import made, settle the row — all or nothing. A row that cannot be applied is settled as
 * failed with the reason; a transient database error (deadlock, lost connection) leaves it pending for the next
 * run, up to MAX_ATTEMPTS. Either way the rows after it go on. One applier at a time per database
 * (GET_LOCK 'b24xero:apply:<database>'), so the agent and tools/apply.php from cron never interleave.
 */
final class Applier
{
    public const MAX_ATTEMPTS = 5;

    /** @var array<string, Action> */
    private readonly array $actions;

    public function __construct(
        private readonly Database $db,
        CrmGateway $crm,
        private readonly Contract $contract,
    ) {
        $this->actions = [
            'set_fields' => new SetFields($crm),
            'set_stage' => new SetStage($crm),
            'set_invoice_content' => new SetInvoiceContent($crm),
            'import_contact' => new ImportContact($crm),
            'import_company' => new ImportCompany($crm),
            'update_party' => new UpdateParty($crm),
        ];
    }

    /** Works through at most $limit rows, stopping early after $maxSeconds (an agent must not hold a hit for long). */
    public function applyPending(int $limit = 200, float $maxSeconds = 50.0): ApplyReport
    {
        $report = new ApplyReport();
        $lock = LockName::forServer('b24xero:apply:', $this->db->databaseName());
        if (($this->db->fetchAll('SELECT GET_LOCK(?, 0) AS got', [$lock])[0]['got'] ?? null) !== '1') {
            $report->busy = true;
            return $report;
        }
        $store = new InboxStore($this->db);
        $deadline = microtime(true) + $maxSeconds;
        try {
            $lastId = 0;
            $done = 0;
            while ($done < $limit && microtime(true) < $deadline) {
                $rows = $store->pendingAfter($lastId, min(50, $limit - $done));
                if ($rows === []) {
                    break;
                }
                foreach ($rows as $row) {
                    $lastId = (int)$row['ID'];
                    $this->applyRow($store, $row, $report);
                    if (++$done >= $limit || microtime(true) >= $deadline) {
                        break;
                    }
                }
            }
        } finally {
            $this->db->fetchAll('SELECT RELEASE_LOCK(?) AS r', [$lock]);
        }
        return $report;
    }

    /** @param array{ID: string, ENTITY_TYPE: string, ENTITY_ID: ?string, ACTION: string, PAYLOAD: string, ATTEMPTS: string} $row */
    private function applyRow(InboxStore $store, array $row, ApplyReport $report): void
    {
        $id = (int)$row['ID'];
        $entityId = $row['ENTITY_ID'] === null ? null : (int)$row['ENTITY_ID'];
        try {
            $payload = $this->contract->check($row['ACTION'], $row['ENTITY_TYPE'], $entityId, $row['PAYLOAD']);
        } catch (ApplyFailure $e) {
            $this->fail($store, $id, $e->getMessage(), false, $report);
            return;
        }
        $action = $this->actions[$row['ACTION']];
        $this->db->begin();
        try {
            if (!$store->lockPending($id)) {
                $this->db->rollback();
                $report->skipped++;
                return;
            }
            $result = OwnWrites::during(static fn () => $action->apply($row['ENTITY_TYPE'], $entityId, $payload));
            if ($result !== null) {
                $store->saveResult($id, $result);
            }
            $store->markApplied($id);
            $this->db->commit();
            $report->applied++;
        } catch (\Throwable $e) {
            $this->rollbackQuietly();
            $transient = $e instanceof DatabaseError && $e->isTransient();
            $retry = $transient && (int)$row['ATTEMPTS'] + 1 < self::MAX_ATTEMPTS;
            $message = $e instanceof ApplyFailure ? $e->getMessage() : self::describe($e);
            $this->fail($store, $id, $message, $retry, $report);
        }
    }

    private function fail(InboxStore $store, int $id, string $message, bool $retry, ApplyReport $report): void
    {
        $store->markFailed($id, $message, $retry);
        if ($retry) {
            $report->retrying++;
        } else {
            $report->failed++;
        }
        $report->failures[] = ['id' => $id, 'error' => $message];
    }

    private function rollbackQuietly(): void
    {
        try {
            $this->db->rollback();
        } catch (\Throwable) {
            // A connection that is gone has rolled back on its own.
        }
    }

    /** An unexpected error, named so an admin can act on it (crm's own exceptions carry its message). */
    private static function describe(\Throwable $e): string
    {
        $class = (new \ReflectionClass($e))->getShortName();
        return "{$class}: {$e->getMessage()}";
    }
}
