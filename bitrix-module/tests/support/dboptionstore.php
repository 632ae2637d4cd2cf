<?php

declare(strict_types=1);

namespace B24xero\Sync\Tests;

use B24xero\Sync\Db\Database;
use B24xero\Sync\Ui\OptionStore;

/** b_option itself, written as Option::set writes it (SITE_ID NULL): what the daemon's readSettings reads. */
final class DbOptionStore implements OptionStore
{
    public function __construct(private readonly Database $db, private readonly string $moduleId = 'b24xero.sync')
    {
    }

    public function get(string $name): string
    {
        return (string)($this->db->fetchAll('SELECT VALUE FROM b_option WHERE MODULE_ID = ? AND NAME = ?', [$this->moduleId, $name])[0]['VALUE'] ?? '');
    }

    public function set(string $name, string $value): void
    {
        $this->db->execute(
            'INSERT INTO b_option (MODULE_ID, NAME, VALUE, DESCRIPTION, SITE_ID) VALUES (?, ?, ?, NULL, NULL)
             ON DUPLICATE KEY UPDATE VALUE = VALUES(VALUE)',
            [$this->moduleId, $name, $value],
        );
    }
}
