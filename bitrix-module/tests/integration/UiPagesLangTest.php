<?php

declare(strict_types=1);

namespace B24xero\Sync\Tests\Integration;

use B24xero\Sync\Tests\DbOptionStore;
use B24xero\Sync\Tests\FixtureCrmAccess;
use B24xero\Sync\Tests\FixtureDatabase;
use B24xero\Sync\Ui\DashboardPage;
use B24xero\Sync\Ui\Health;
use B24xero\Sync\Ui\InvoicePanelPage;
use B24xero\Sync\Ui\OptionsPage;
use B24xero\Sync\Ui\ProductWriter;
use B24xero\Sync\Ui\UiContext;
use Bitrix\Main\Localization\Loc;
use PHPUnit\Framework\TestCase;

/**
 * Every text the admin pages draw — including the ones whose key is built from a value (transaction types, error
 * classes, Xero states, problems) — is in lang/en and lang/ru: each page is rendered on the fixture in both languages
 * with every problem code, and no message is missing.
 */
final class UiPagesLangTest extends TestCase
{
    private static FixtureDatabase $portal;

    public static function setUpBeforeClass(): void
    {
        require_once dirname(__DIR__) . '/support/bitrixstubs.php';
        self::$portal = FixtureDatabase::create('ui_lang', ['--migrate', '--scenario', 'ui']);
    }

    public static function tearDownAfterClass(): void
    {
        self::$portal->drop();
    }

    /** @return list<array{0: string}> */
    public static function languages(): array
    {
        return [['en'], ['ru']];
    }

    /** @dataProvider languages */
    public function testEveryPageHasEveryTextInTheLanguage(string $language): void
    {
        Loc::$language = $language;
        Loc::$messages = [];
        Loc::$missing = [];
        foreach (glob(dirname(__DIR__, 2) . '/lib/ui/*.php') ?: [] as $file) {
            Loc::loadMessages($file);
        }
        $ui = new UiContext(self::$portal->db, FixtureCrmAccess::everything(), new DbOptionStore(self::$portal->db), new class () implements ProductWriter {
            public function create(array $product): int
            {
                return 0;
            }
        }, '2026-12-04');
        $html = (new DashboardPage($ui, ['t_size' => '100', 'e_size' => '100'], '/bitrix/admin/b24xero_sync_dashboard.php?lang=' . $language, true, ''))->render();
        $form = $ui->settings();
        $page = new OptionsPage($form, $form->values(), true);
        $html .= $page->connection((new Health($ui->db))->read()) . $page->statusMap() . $page->accounts() . $page->sync();
        $codes = ['BAD_CHOICE', 'UNKNOWN_STAGE', 'UNKNOWN_ACCOUNT', 'UNKNOWN_RATE', 'UNKNOWN_TAX_TYPE', 'UNKNOWN_PRODUCT', 'BAD_CRON', 'BAD_DATE'];
        $html .= OptionsPage::problems(array_map(static fn (string $c): array => ['code' => $c, 'field' => 'f', 'value' => 'v'], $codes));
        $panel = $ui->invoicePanel()->read('smart_invoice', (int)self::$portal->scenario['smart1']);
        $html .= (new InvoicePanelPage($panel, '/x', true, ''))->render();

        self::assertSame([], array_keys(Loc::$missing), "lang/{$language} lacks these");
        self::assertStringNotContainsString('#COUNT#', $html);
        foreach (['credit_note', 'bank_transaction', 'needs_person'] as $raw) {
            self::assertStringNotContainsString(">{$raw}<", $html, 'values are shown by their label');
        }
        self::assertStringContainsString('&lt;script&gt;alert(1)&lt;/script&gt; Ltd', $html);
        self::assertStringNotContainsString('<script>alert', $html);
    }
}
