<?php

declare(strict_types=1);

/*
 * The module's PHP pieces for the daemon-side (vitest) tests that compare both languages on the same input:
 *   php module-cli.php migrate <mysql-url>     run the installer's migrator; prints the files applied (JSON)
 *   php module-cli.php split <file.sql>        the statements the installer would run (JSON)
 *   php module-cli.php user-fields             every module field as CUserTypeEntity::Add gets it, SETTINGS serialized (JSON)
 *   php module-cli.php default-options         default_option.php (JSON)
 */

use B24xero\Sync\Db\Migrator;
use B24xero\Sync\Db\MysqliDatabase;
use B24xero\Sync\Db\SqlSplitter;
use B24xero\Sync\Install\UserFields;
use B24xero\Sync\Module;

require __DIR__ . '/../bootstrap.php';

function out(mixed $value): void
{
    echo json_encode($value, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_PRESERVE_ZERO_FRACTION | JSON_THROW_ON_ERROR), "\n";
}

try {
    switch ($argv[1] ?? '') {
        case 'migrate':
            $db = MysqliDatabase::fromUrl($argv[2] ?? '');
            out((new Migrator($db, Module::sqlDir()))->migrate());
            break;
        case 'split':
            out(SqlSplitter::split((string)file_get_contents($argv[2] ?? '')));
            break;
        case 'user-fields':
            out(array_map(static function ($spec): array {
                $fields = $spec->toAddFields();
                $fields['SETTINGS'] = serialize($fields['SETTINGS']);
                return $fields;
            }, UserFields::all()));
            break;
        case 'default-options':
            $b24xero_sync_default_option = [];
            include Module::dir() . '/default_option.php';
            out($b24xero_sync_default_option);
            break;
        default:
            fwrite(STDERR, "usage: module-cli.php migrate URL | split FILE | user-fields | default-options\n");
            exit(2);
    }
} catch (Throwable $e) {
    fwrite(STDERR, get_class($e) . ': ' . $e->getMessage() . "\n");
    exit(1);
}
