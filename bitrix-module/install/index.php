<?php

use B24xero\Sync\Install\InstallError;
use B24xero\Sync\Install\InstallReport;
use B24xero\Sync\Module;
use Bitrix\Main\Loader;
use Bitrix\Main\Localization\Loc;

Loc::loadMessages(__FILE__);

if (class_exists('b24xero_sync')) {
    return;
}

/**
 * The module's installer, as Bitrix's module pages call it (Settings > Modules > b24xero.sync: Install / Delete).
 * Install asks one question (the optional scan indexes), uninstall one (keep the data, the default, or remove
 * everything); the work itself is B24xero\Sync\Install\Installer.
 */
class b24xero_sync extends CModule
{
    public $MODULE_ID = 'b24xero.sync';
    public $MODULE_VERSION;
    public $MODULE_VERSION_DATE;
    public $MODULE_NAME;
    public $MODULE_DESCRIPTION;
    public $PARTNER_NAME;
    public $PARTNER_URI;
    public $MODULE_GROUP_RIGHTS = 'Y';

    public function __construct()
    {
        $arModuleVersion = [];
        include __DIR__ . '/version.php';
        $this->MODULE_VERSION = $arModuleVersion['VERSION'];
        $this->MODULE_VERSION_DATE = $arModuleVersion['VERSION_DATE'];
        $this->MODULE_NAME = Loc::getMessage('B24XERO_SYNC_MODULE_NAME');
        $this->MODULE_DESCRIPTION = Loc::getMessage('B24XERO_SYNC_MODULE_DESCRIPTION');
        $this->PARTNER_NAME = Loc::getMessage('B24XERO_SYNC_PARTNER_NAME');
        $this->PARTNER_URI = 'https://github.com/b24-xero/b24-xero';
    }

    /** D: no access, R: see the module's pages, W: change its settings and act on failing records. */
    public function GetModuleRightList()
    {
        return [
            'reference_id' => ['D', 'R', 'W'],
            'reference' => [
                '[D] ' . Loc::getMessage('B24XERO_SYNC_RIGHT_DENIED'),
                '[R] ' . Loc::getMessage('B24XERO_SYNC_RIGHT_READ'),
                '[W] ' . Loc::getMessage('B24XERO_SYNC_RIGHT_WRITE'),
            ],
        ];
    }

    public function DoInstall()
    {
        global $APPLICATION, $USER;
        if (!$USER->IsAdmin()) {
            return;
        }
        $title = Loc::getMessage('B24XERO_SYNC_INSTALL_TITLE');
        if ((int)($_REQUEST['step'] ?? 1) < 2 || !check_bitrix_sessid()) {
            $APPLICATION->IncludeAdminFile($title, __DIR__ . '/step1.php');
            return;
        }
        $this->run(static fn (): InstallReport => Module::installer()->install(($_REQUEST['scan_indexes'] ?? '') === 'Y'));
        $APPLICATION->IncludeAdminFile($title, __DIR__ . '/step2.php');
    }

    public function DoUninstall()
    {
        global $APPLICATION, $USER;
        if (!$USER->IsAdmin()) {
            return;
        }
        $title = Loc::getMessage('B24XERO_SYNC_UNINSTALL_TITLE');
        if ((int)($_REQUEST['step'] ?? 1) < 2 || !check_bitrix_sessid()) {
            $APPLICATION->IncludeAdminFile($title, __DIR__ . '/unstep1.php');
            return;
        }
        // Keeping the data is the default: only an explicit "remove everything" deletes tables and field values.
        $removeData = ($_REQUEST['remove_data'] ?? '') === 'Y';
        $this->run(static fn (): InstallReport => Module::installer()->uninstall($removeData));
        $APPLICATION->IncludeAdminFile($title, __DIR__ . '/unstep2.php');
    }

    /** Runs an installer step and leaves its report (or error) for the result page. */
    private function run(callable $step): void
    {
        // Not registered yet (install) or about to stop being (uninstall): make lib/ loadable either way.
        Loader::registerNamespace('B24xero\\Sync', dirname(__DIR__) . '/lib');
        $GLOBALS['B24XERO_SYNC_REPORT'] = null;
        $GLOBALS['B24XERO_SYNC_ERROR'] = null;
        try {
            $GLOBALS['B24XERO_SYNC_REPORT'] = $step();
        } catch (InstallError $e) {
            $GLOBALS['B24XERO_SYNC_ERROR'] = $e;
        } catch (\Throwable $e) {
            $GLOBALS['B24XERO_SYNC_ERROR'] = new InstallError('UNEXPECTED', $e->getMessage(), ['error' => $e->getMessage()], $e);
        }
    }
}
