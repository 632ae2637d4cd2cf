<?php

declare(strict_types=1);

namespace B24xero\Sync\Tests\Integration;

use B24xero\Sync\Tests\DbOptionStore;
use B24xero\Sync\Tests\FixtureDatabase;
use B24xero\Sync\Ui\ProductForm;
use B24xero\Sync\Ui\ProductWriter;
use B24xero\Sync\Ui\SettingsForm;
use PHPUnit\Framework\TestCase;

/** "Add product": what is checked before crm is asked, and the sales account it leaves for the daemon. */
final class UiProductFormTest extends TestCase
{
    private static FixtureDatabase $portal;

    public static function setUpBeforeClass(): void
    {
        self::$portal = FixtureDatabase::create('ui_product', ['--migrate', '--scenario', 'ui']);
    }

    public static function tearDownAfterClass(): void
    {
        self::$portal->drop();
    }

    /** @param list<array<string, mixed>> $created */
    private function form(array &$created, ?\RuntimeException $refuse = null): ProductForm
    {
        $writer = new class ($created, $refuse) implements ProductWriter {
            /** @param list<array<string, mixed>> $created */
            public function __construct(private array &$created, private readonly ?\RuntimeException $refuse)
            {
            }

            public function create(array $product): int
            {
                if ($this->refuse !== null) {
                    throw $this->refuse;
                }
                $this->created[] = $product;
                return 500 + count($this->created);
            }
        };
        $options = new DbOptionStore(self::$portal->db);
        return new ProductForm(self::$portal->db, $writer, SettingsForm::load($options, self::$portal->db));
    }

    public function testCreatesTheProductAndGivesItItsSalesAccountKeepingTheOthers(): void
    {
        (new DbOptionStore(self::$portal->db))->set('product_accounts', '{"7":"200"}');
        $created = [];
        $result = $this->form($created)->submit(['name' => ' Tree survey ', 'price' => '450,5', 'currency' => 'nzd', 'vat_id' => (string)self::$portal->info['vat']['gst15'], 'vat_included' => 'Y', 'account' => '260']);
        self::assertSame(['id' => 501, 'problems' => []], $result);
        self::assertSame([['name' => 'Tree survey', 'price' => '450.5', 'currency' => 'NZD', 'vatId' => self::$portal->info['vat']['gst15'], 'vatIncluded' => true]], $created);
        self::assertSame('{"7":"200","501":"260"}', (new DbOptionStore(self::$portal->db))->get('product_accounts'));
    }

    public function testRefusesWhatCrmOrXeroWouldNotTakeWithoutCreatingAnything(): void
    {
        $created = [];
        $result = $this->form($created)->submit(['name' => '', 'price' => '-1', 'currency' => 'XXX', 'vat_id' => '999', 'account' => '400']);
        self::assertSame(['BAD_NAME', 'BAD_PRICE', 'BAD_CURRENCY', 'BAD_VAT', 'BAD_ACCOUNT'], array_column($result['problems'], 'code'));
        self::assertSame([], $created);
        $refused = $this->form($created, new \RuntimeException('Catalog is read-only'))->submit(['name' => 'X', 'price' => '1', 'currency' => 'NZD', 'account' => '200']);
        self::assertSame([['code' => 'CRM_REFUSED', 'field' => 'name', 'value' => 'Catalog is read-only']], $refused['problems']);
    }
}
