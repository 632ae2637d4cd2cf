<?php

declare(strict_types=1);

namespace B24xero\Sync\Tests\Unit;

use Bitrix\Main\Config\Option;
use Bitrix\Main\Localization\Loc;
use PHPUnit\Framework\TestCase;

/**
 * The thin files Bitrix includes itself — install/index.php, the install pages, admin/menu.php, options.php — run
 * against stand-ins of the few Bitrix globals they use.
 */
final class EntryFilesTest extends TestCase
{
    private const ROOT = __DIR__ . '/../..';

    public static function setUpBeforeClass(): void
    {
        require_once self::ROOT . '/tests/support/bitrixstubs.php';
    }

    protected function setUp(): void
    {
        Loc::$language = 'en';
        $_REQUEST = [];
    }

    public function testTheInstallerClassIsTheModuleIdWithTheDotAsAnUnderscoreAndCarriesVersionNamesAndRights(): void
    {
        require_once self::ROOT . '/install/index.php';
        $module = new \b24xero_sync();
        self::assertInstanceOf(\CModule::class, $module);
        $arModuleVersion = [];
        include self::ROOT . '/install/version.php';
        self::assertSame('b24xero.sync', $module->MODULE_ID);
        self::assertSame($arModuleVersion['VERSION'], $module->MODULE_VERSION);
        self::assertMatchesRegularExpression('/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/', $module->MODULE_VERSION_DATE);
        self::assertSame('Xero sync', $module->MODULE_NAME);
        self::assertNotEmpty($module->MODULE_DESCRIPTION);
        self::assertSame('Y', $module->MODULE_GROUP_RIGHTS);
        self::assertSame(['D', 'R', 'W'], $module->GetModuleRightList()['reference_id']);
    }

    public function testInstallShowsTheQuestionPageUntilAValidSessionTokenComesWithStepTwo(): void
    {
        require_once self::ROOT . '/install/index.php';
        global $APPLICATION, $USER;
        $APPLICATION = new \StubApplication();
        $USER = new \StubUser(false);
        (new \b24xero_sync())->DoInstall();
        self::assertSame([], $APPLICATION->included, 'only administrators install modules');

        $USER = new \StubUser(true);
        (new \b24xero_sync())->DoInstall();
        $_REQUEST = ['step' => '2', 'sessid' => 'forged'];
        (new \b24xero_sync())->DoInstall();
        (new \b24xero_sync())->DoUninstall();
        self::assertSame(['step1.php', 'step1.php', 'unstep1.php'], array_map(static fn (array $i) => basename($i[1]), $APPLICATION->included));
        self::assertSame('Installing Xero sync', $APPLICATION->included[0][0]);
    }

    public function testTheInstallPageOffersTheScanIndexesTickedAndTheUninstallPageKeepsDataByDefault(): void
    {
        $APPLICATION = new \StubApplication();
        ob_start();
        include self::ROOT . '/install/step1.php';
        $install = (string)ob_get_clean();
        self::assertMatchesRegularExpression('/<input type="checkbox" name="scan_indexes" id="b24xero_scan_indexes" value="Y" checked>/', $install);
        self::assertStringContainsString('name="sessid" value="valid"', $install);
        self::assertStringContainsString('name="step" value="2"', $install);
        self::assertStringContainsString('Add the indexes for the safety scan', $install);

        $APPLICATION = new \StubApplication();
        ob_start();
        include self::ROOT . '/install/unstep1.php';
        $uninstall = (string)ob_get_clean();
        self::assertMatchesRegularExpression('/name="remove_data" id="b24xero_keep_data" value="N" checked/', $uninstall);
        self::assertMatchesRegularExpression('/name="remove_data" id="b24xero_remove_data" value="Y">/', $uninstall);
        self::assertStringContainsString('Stop the b24xero daemon first.', $uninstall);
    }

    public function testTheMenuLeadsToTheSettingsPageForUsersWithReadRightAndIsHiddenOtherwise(): void
    {
        $APPLICATION = new \StubApplication();
        $APPLICATION->right = 'D';
        self::assertFalse(include self::ROOT . '/admin/menu.php');

        $APPLICATION->right = 'R';
        $menu = include self::ROOT . '/admin/menu.php';
        self::assertSame('global_menu_services', $menu['parent_menu']);
        self::assertSame('Xero sync', $menu['text']);
        self::assertSame('b24xero_sync_dashboard.php?lang=en', $menu['items'][0]['url']);
        self::assertSame('settings.php?lang=en&mid=b24xero.sync&mid_menu=1', $menu['items'][1]['url']);
        self::assertCount(2, $menu['items'], 'Add product only for the W right');
        $APPLICATION->right = 'W';
        $menu = include self::ROOT . '/admin/menu.php';
        self::assertSame('b24xero_sync_product.php?lang=en', $menu['items'][2]['url']);

        Loc::$language = 'ru';
        Loc::$messages = [];
        $menu = include self::ROOT . '/admin/menu.php';
        self::assertSame('Синхронизация с Xero', $menu['text']);
    }

    /** The page itself is driven in a browser (test/ui/admin-pages.test.ts); here only the right check before anything loads. */
    public function testTheOptionsPageShowsTheLoginFormToAUserWithoutTheModuleRight(): void
    {
        $APPLICATION = new \StubApplication();
        $APPLICATION->right = 'D';
        ob_start();
        include self::ROOT . '/options.php';
        self::assertSame('', trim((string)ob_get_clean()));
        self::assertNotNull($APPLICATION->authForm);
    }
}
