<?php

declare(strict_types=1);

namespace B24xero\Sync;

use B24xero\Sync\Crm\BitrixCrmGateway;
use B24xero\Sync\Crm\CrmReader;
use B24xero\Sync\Crm\BitrixDatabase;
use B24xero\Sync\Crm\BitrixInstallApi;
use B24xero\Sync\Crm\BitrixCrmAccess;
use B24xero\Sync\Crm\BitrixLog;
use B24xero\Sync\Crm\BitrixOptionStore;
use B24xero\Sync\Crm\BitrixProductWriter;
use B24xero\Sync\Inbox\Applier;
use B24xero\Sync\Inbox\Contract;
use B24xero\Sync\Install\Installer;
use B24xero\Sync\Ui\UiContext;
use Bitrix\Main\Config\Option;

/**
 * The module's name, where its files are, and how its parts are put together inside a portal. This is the one place
 * that picks the Bitrix implementations; everything else receives what it needs.
 */
final class Module
{
    public const ID = 'b24xero.sync';

    /** The module folder (local/modules/b24xero.sync, or bitrix-module/ in a checkout). */
    public static function dir(): string
    {
        return dirname(__DIR__);
    }

    /**
     * sql/ — the migrations and the inbox JSON Schemas. The package carries a copy (npm run build:module); a
     * checkout uses the repository's own sql/, so there is one source of truth for the daemon and the module.
     */
    public static function sqlDir(): string
    {
        $packaged = self::dir() . '/sql';
        return is_dir($packaged) ? $packaged : dirname(self::dir()) . '/sql';
    }

    public static function installer(): Installer
    {
        return new Installer(new BitrixInstallApi(BitrixDatabase::main()), self::sqlDir());
    }

    /** The applier on Bitrix's API; what it creates is assigned to the user of the option applier_user_id. */
    public static function applier(): Applier
    {
        $db = BitrixDatabase::main();
        $userId = max(1, (int)Option::get(self::ID, 'applier_user_id', '1'));
        return new Applier($db, new BitrixCrmGateway(new CrmReader($db), $userId), Contract::load(self::sqlDir() . '/inbox'));
    }

    /** The admin pages' context for the user of this request: CRM read permission is theirs, dates are UTC. */
    public static function ui(int $userId): UiContext
    {
        return new UiContext(BitrixDatabase::main(), new BitrixCrmAccess($userId), new BitrixOptionStore(), new BitrixProductWriter(), gmdate('Y-m-d'));
    }

    public static function log(string $message): void
    {
        BitrixLog::error($message);
    }
}
