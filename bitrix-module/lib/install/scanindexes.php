<?php

declare(strict_types=1);

namespace B24xero\Sync\Install;

use B24xero\Sync\Db\Database;

/**
 * The optional indexes for the daemon's safety scan. A stock portal has no index on b_crm_dynamic_items_31.UPDATED_TIME
 * nor on b_crm_contact / b_crm_company.DATE_MODIFY, so every scan page reads the whole table; (time, ID) makes a page an
 * index range. Legacy invoices need none (crm indexes DATE_UPDATE). The names are the ones `doctor` and the fixture use.
 */
final class ScanIndexes
{
    /** @var list<array{table: string, name: string, columns: list<string>}> */
    public const ALL = [
        ['table' => 'b_crm_dynamic_items_31', 'name' => 'IX_B24XERO_UPDATED_TIME_ID', 'columns' => ['UPDATED_TIME', 'ID']],
        ['table' => 'b_crm_contact', 'name' => 'IX_B24XERO_DATE_MODIFY_ID', 'columns' => ['DATE_MODIFY', 'ID']],
        ['table' => 'b_crm_company', 'name' => 'IX_B24XERO_DATE_MODIFY_ID', 'columns' => ['DATE_MODIFY', 'ID']],
    ];

    public function __construct(private readonly Database $db)
    {
    }

    /**
     * Creates the indexes that are missing on tables that exist (the smart-invoice table appears with crm's type).
     * @return list<string> "table.index" of each index created
     */
    public function add(): array
    {
        $created = [];
        foreach (self::ALL as $ix) {
            if (!$this->tableExists($ix['table']) || $this->indexExists($ix['table'], $ix['name'])) {
                continue;
            }
            // InnoDB builds a secondary index online (reads and writes go on); on a million rows it takes seconds.
            $this->db->execute(sprintf('CREATE INDEX %s ON %s (%s)', $ix['name'], $ix['table'], implode(', ', $ix['columns'])));
            $created[] = $ix['table'] . '.' . $ix['name'];
        }
        return $created;
    }

    /** @return list<string> "table.index" of each index dropped */
    public function drop(): array
    {
        $dropped = [];
        foreach (self::ALL as $ix) {
            if ($this->tableExists($ix['table']) && $this->indexExists($ix['table'], $ix['name'])) {
                $this->db->execute(sprintf('DROP INDEX %s ON %s', $ix['name'], $ix['table']));
                $dropped[] = $ix['table'] . '.' . $ix['name'];
            }
        }
        return $dropped;
    }

    /** @return array<string, bool> "table.index" => present */
    public function status(): array
    {
        $out = [];
        foreach (self::ALL as $ix) {
            $out[$ix['table'] . '.' . $ix['name']] = $this->tableExists($ix['table']) && $this->indexExists($ix['table'], $ix['name']);
        }
        return $out;
    }

    private function tableExists(string $table): bool
    {
        return $this->db->fetchAll(
            'SELECT 1 AS x FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?',
            [$table],
        ) !== [];
    }

    private function indexExists(string $table, string $name): bool
    {
        return $this->db->fetchAll(
            'SELECT 1 AS x FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND INDEX_NAME = ?',
            [$table, $name],
        ) !== [];
    }
}
