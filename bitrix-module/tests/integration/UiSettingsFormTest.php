<?php

declare(strict_types=1);

namespace B24xero\Sync\Tests\Integration;

use B24xero\Sync\Tests\DbOptionStore;
use B24xero\Sync\Tests\FixtureDatabase;
use B24xero\Sync\Ui\SettingsForm;
use PHPUnit\Framework\TestCase;

/**
 * The options page's form on the fixture: stages of every category and the legacy statuses, drop-downs from the
 * organisation cache, values saved in the daemon's b_option format, invalid values refused with nothing saved.
 */
final class UiSettingsFormTest extends TestCase
{
    private static FixtureDatabase $portal;

    public static function setUpBeforeClass(): void
    {
        self::$portal = FixtureDatabase::create('ui_settings', ['--migrate', '--scenario', 'ui']);
    }

    public static function tearDownAfterClass(): void
    {
        self::$portal->drop();
    }

    protected function setUp(): void
    {
        self::$portal->db->execute("DELETE FROM b_option WHERE MODULE_ID = 'b24xero.sync'");
    }

    private function form(): SettingsForm
    {
        return SettingsForm::load(new DbOptionStore(self::$portal->db), self::$portal->db);
    }

    /** @return array<string, mixed> a complete, valid submission */
    private function valid(): array
    {
        $cat = self::$portal->info['smartInvoiceCategoryId'];
        $push = [];
        foreach (['N', 'S', 'UC_APPROVAL', 'P'] as $code) {
            $push["DT31_{$cat}:{$code}"] = 'Y';
        }
        $push['N'] = 'Y';
        $push['S'] = 'Y';
        return [
            'create_as' => 'AUTHORISED',
            'pull' => ['smart' => ['PAID' => "DT31_{$cat}:P", 'AUTHORISED' => "DT31_{$cat}:UC_APPROVAL", 'VOIDED' => ''], 'legacy' => ['SENT' => 'S', 'PAID' => 'P']],
            'push_stage' => $push,
            'default_sales_account' => '200',
            'tax_map' => ['15' => 'OUTPUT2', '0' => 'ZERORATEDOUTPUT', 'none' => 'NONE'],
            'product_accounts' => [],
            'new_product_id' => (string)self::$portal->scenario['product'],
            'new_product_account' => '260',
            'invoice_kinds' => ['smart'],
            'contact_import' => 'customers',
            'invoice_number_policy' => 'xero',
            'sync_schedule' => '*/5  * * * *',
            'scan_schedule' => '0 * * * *',
            'start_date' => '2026-12-01',
        ];
    }

    public function testListsEveryStageOfEveryCategoryAndTheChoicesTheDaemonCached(): void
    {
        $form = $this->form();
        $cat = self::$portal->info['smartInvoiceCategoryId'];
        self::assertSame(["DT31_{$cat}:N", "DT31_{$cat}:S", "DT31_{$cat}:UC_APPROVAL", "DT31_{$cat}:P", "DT31_{$cat}:D"], $form->stages->ids('smart'));
        self::assertSame(['N', 'S', 'P', 'D'], $form->stages->ids('legacy'));
        self::assertSame(['200', '260'], array_column($form->org->salesAccounts, 'code'), 'active revenue accounts only');
        self::assertSame(['OUTPUT2', 'ZERORATEDOUTPUT', 'NONE'], array_column($form->org->salesTaxRates, 'taxType'));
        self::assertContains('15', $form->vatRates);
    }

    public function testSavesExactlyTheFormatTheDaemonParses(): void
    {
        self::assertSame([], $this->form()->submit($this->valid()));
        $stored = [];
        foreach (self::$portal->db->fetchAll("SELECT NAME, VALUE FROM b_option WHERE MODULE_ID = 'b24xero.sync'") as $r) {
            $stored[$r['NAME']] = $r['VALUE'];
        }
        $cat = self::$portal->info['smartInvoiceCategoryId'];
        self::assertSame(
            ['push' => ['createAs' => 'AUTHORISED'], 'pull' => ['smart' => ['AUTHORISED' => "DT31_{$cat}:UC_APPROVAL", 'PAID' => "DT31_{$cat}:P"], 'legacy' => ['SENT' => 'S', 'PAID' => 'P']],
                'skipStages' => ["DT31_{$cat}:D", 'P', 'D']],
            json_decode($stored['status_map'], true),
        );
        self::assertSame('200', $stored['default_sales_account']);
        self::assertSame('{"15":"OUTPUT2","0":"ZERORATEDOUTPUT","none":"NONE"}', $stored['tax_map']);
        self::assertSame('{"' . self::$portal->scenario['product'] . '":"260"}', $stored['product_accounts']);
        self::assertSame('["smart"]', $stored['invoice_kinds']);
        self::assertSame('customers', $stored['contact_import']);
        self::assertSame('xero', $stored['invoice_number_policy']);
        self::assertSame('*/5 * * * *', $stored['sync_schedule']);
        self::assertSame('2026-12-01', $stored['start_date']);

        $values = $this->form()->values();
        self::assertSame('AUTHORISED', $values['createAs']);
        self::assertSame('260', $values['productAccounts'][(string)self::$portal->scenario['product']]);
        self::assertSame('Existing product', $values['productNames'][(string)self::$portal->scenario['product']]);
    }

    public function testRefusesWhatIsNotAChoiceAndSavesNothing(): void
    {
        $post = $this->valid();
        $post['pull']['smart']['PAID'] = 'DT31_99:P';
        $post['default_sales_account'] = '400';
        $post['tax_map']['15'] = 'INPUT2';
        $post['tax_map']['33'] = 'OUTPUT2';
        $post['new_product_id'] = '999999';
        $post['sync_schedule'] = 'every minute';
        $post['start_date'] = '2026-13-01';
        $post['create_as'] = 'PAID';
        $codes = array_map(static fn (array $p): string => "{$p['code']} {$p['field']}", $this->form()->submit($post));
        sort($codes);
        self::assertSame([
            'BAD_CHOICE create_as', 'BAD_CRON sync_schedule', 'BAD_DATE start_date', 'UNKNOWN_ACCOUNT default_sales_account',
            'UNKNOWN_PRODUCT product_accounts', 'UNKNOWN_RATE tax_map[33]', 'UNKNOWN_STAGE pull[smart][PAID]', 'UNKNOWN_TAX_TYPE tax_map[15]',
        ], $codes);
        self::assertSame('0', self::$portal->value("SELECT COUNT(*) FROM b_option WHERE MODULE_ID = 'b24xero.sync'"));
    }

    public function testARefusedSubmissionIsShownAgainAsTyped(): void
    {
        $post = $this->valid();
        $post['sync_schedule'] = 'every minute';
        $form = $this->form();
        self::assertNotSame([], $form->submit($post));
        $shown = $form->valuesFrom($post);
        $cat = self::$portal->info['smartInvoiceCategoryId'];
        self::assertSame('every minute', $shown['syncSchedule']);
        self::assertSame('AUTHORISED', $shown['createAs']);
        self::assertSame("DT31_{$cat}:P", $shown['pull']['smart']['PAID']);
        self::assertSame(['smart'], $shown['invoiceKinds']);
        self::assertSame('OUTPUT2', $shown['taxMap']['15']);
        self::assertContains("DT31_{$cat}:D", $shown['skipStages']);
        self::assertNotContains("DT31_{$cat}:N", $shown['skipStages']);
    }

    public function testPercentKeysAreWrittenAsTheShortestNumber(): void
    {
        self::assertSame('15', SettingsForm::percent('15.00'));
        self::assertSame('12.5', SettingsForm::percent('12.5000'));
        self::assertSame('0', SettingsForm::percent('0.00'));
    }
}
