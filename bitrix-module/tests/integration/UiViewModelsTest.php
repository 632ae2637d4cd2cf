<?php

declare(strict_types=1);

namespace B24xero\Sync\Tests\Integration;

use B24xero\Sync\Tests\FixtureCrmAccess;
use B24xero\Sync\Tests\FixtureDatabase;
use B24xero\Sync\Ui\Health;
use B24xero\Sync\Ui\InvoicePanel;
use B24xero\Sync\Ui\InvoiceVisibility;
use B24xero\Sync\Ui\ListQuery;
use B24xero\Sync\Ui\ProblemsView;
use B24xero\Sync\Ui\RunsView;
use B24xero\Sync\Ui\TransactionFilter;
use B24xero\Sync\Ui\TransactionsView;
use PHPUnit\Framework\TestCase;

/**
 * The dashboard's view models on the UI scenario of the fixture (test/module/ui-scenario.ts) in MariaDB: filters,
 * pagination, sorting, totals per currency, CRM permission filtering, and Retry / Mark resolved as the daemon does them.
 */
final class UiViewModelsTest extends TestCase
{
    private const TODAY = '2026-12-04';
    private static FixtureDatabase $portal;

    public static function setUpBeforeClass(): void
    {
        self::$portal = FixtureDatabase::create('ui_views', ['--migrate', '--scenario', 'ui']);
    }

    public static function tearDownAfterClass(): void
    {
        self::$portal->drop();
    }

    private function transactions(?FixtureCrmAccess $access = null): TransactionsView
    {
        return new TransactionsView(self::$portal->db, new InvoiceVisibility($access ?? FixtureCrmAccess::everything()), self::TODAY);
    }

    private function problems(?FixtureCrmAccess $access = null): ProblemsView
    {
        return new ProblemsView(self::$portal->db, new InvoiceVisibility($access ?? FixtureCrmAccess::everything()));
    }

    /** @param array<string, mixed> $request */
    private static function query(array $request = [], string $sort = 'date', bool $desc = true, array $sortable = TransactionsView::SORTABLE): ListQuery
    {
        return ListQuery::fromRequest($request, '', $sortable, $sort, $desc);
    }

    public function testAReaderOfEverythingSeesEveryTransactionPagedTwentyAtATimeByDefault(): void
    {
        $page = $this->transactions()->page(TransactionFilter::none(), self::query());
        self::assertSame(31, $page->total);
        self::assertCount(20, $page->rows);
        self::assertSame(2, $page->pageCount());
        $second = $this->transactions()->page(TransactionFilter::none(), self::query(['page' => '2']));
        self::assertCount(11, $second->rows);
        self::assertSame([], array_intersect(array_column($page->rows, 'id'), array_column($second->rows, 'id')), 'pages do not overlap');
    }

    public function testPageSizesAreTenTwentyFiftyOrAHundredAndAnythingElseFallsBackToTwenty(): void
    {
        foreach (['10' => 10, '50' => 31, '100' => 31, '7' => 20, 'abc' => 20, '1000' => 20] as $size => $rows) {
            $page = $this->transactions()->page(TransactionFilter::none(), self::query(['size' => (string)$size]));
            self::assertCount($rows, $page->rows, "size {$size}");
        }
        $past = $this->transactions()->page(TransactionFilter::none(), self::query(['size' => '10', 'page' => '99']));
        self::assertSame(4, $past->page(), 'a page past the end shows the last page');
        self::assertCount(1, $past->rows);
    }

    public function testSortsByAnAllowedColumnEitherWayAndIgnoresAnyOther(): void
    {
        $asc = $this->transactions()->page(TransactionFilter::none(), self::query(['sort' => 'amount', 'dir' => 'asc', 'size' => '100']));
        $amounts = array_map('floatval', array_column($asc->rows, 'amount'));
        $sorted = $amounts;
        sort($sorted);
        self::assertSame($sorted, $amounts);
        $desc = $this->transactions()->page(TransactionFilter::none(), self::query(['sort' => 'amount', 'dir' => 'desc', 'size' => '100']));
        self::assertSame('230.00', $desc->rows[0]['amount']);
        $injected = self::query(['sort' => 'ID; DROP TABLE b_b24xero_run', 'size' => '100']);
        self::assertSame('date', $injected->sort);
        self::assertSame(31, $this->transactions()->page(TransactionFilter::none(), $injected)->total);
    }

    public function testFiltersByDateRangeContactAndType(): void
    {
        $view = $this->transactions();
        $byContact = $view->page(TransactionFilter::fromRequest(['contact' => 'hemi']), self::query(['size' => '100']));
        self::assertSame(['Hemi Walker', 'Hemi Walker'], array_column($byContact->rows, 'contact'));
        $range = $view->page(TransactionFilter::fromRequest(['from' => '2026-11-25', 'to' => '2026-11-27']), self::query(['size' => '100']));
        foreach ($range->rows as $row) {
            self::assertTrue($row['date'] >= '2026-11-25' && $row['date'] <= '2026-11-27', (string)$row['date']);
        }
        self::assertSame(3, $range->total);
        $credit = $view->page(TransactionFilter::fromRequest(['type' => 'credit_note']), self::query());
        self::assertSame(1, $credit->total);
        self::assertSame('CN-0001', $credit->rows[0]['reference']);
        $bad = TransactionFilter::fromRequest(['from' => '2026-02-30', 'type' => 'anything', 'contact' => '%']);
        self::assertNull($bad->dateFrom);
        self::assertNull($bad->type);
        self::assertSame(0, $view->page($bad, self::query())->total, "'%' is a literal, not a wildcard");
    }

    public function testOutstandingAndOverdueArePerCurrencyAndCountOnlyApprovedInvoicesWithSomethingDue(): void
    {
        $totals = $this->transactions()->totals(TransactionFilter::none());
        self::assertSame([
            ['currency' => 'AUD', 'outstanding' => '230.00', 'overdue' => '230.00', 'invoices' => 1, 'overdueInvoices' => 1],
            ['currency' => 'NZD', 'outstanding' => '820.00', 'overdue' => '460.00', 'invoices' => 4, 'overdueInvoices' => 2],
            ['currency' => 'USD', 'outstanding' => '460.00', 'overdue' => '230.00', 'invoices' => 2, 'overdueInvoices' => 1],
        ], $totals);
        $hemi = $this->transactions()->totals(TransactionFilter::fromRequest(['contact' => 'Hemi']));
        self::assertSame([['currency' => 'AUD', 'outstanding' => '230.00', 'overdue' => '230.00', 'invoices' => 1, 'overdueInvoices' => 1],
            ['currency' => 'NZD', 'outstanding' => '230.00', 'overdue' => '0.00', 'invoices' => 1, 'overdueInvoices' => 0]], $hemi);
    }

    public function testAUserWhoReadsOnlyTheirOwnInvoicesSeesOnlyTheirTransactionsTotalsAndErrors(): void
    {
        $own = FixtureCrmAccess::ownOnly(2);
        $page = $this->transactions($own)->page(TransactionFilter::none(), self::query(['size' => '100']));
        // Invoices 2, 4, 6 (smart) and 8 (legacy 2) are user 2's, and the credit note on invoice 2; no payment of
        // invoice 1 or 5, and not the bank transaction that belongs to no invoice.
        self::assertSame(5, $page->total);
        self::assertSame(['credit_note', 'invoice', 'invoice', 'invoice', 'invoice'], self::sorted(array_column($page->rows, 'type')));
        self::assertNotContains('<script>alert(1)</script> Ltd', array_column($page->rows, 'contact'));
        self::assertSame([
            ['currency' => 'AUD', 'outstanding' => '230.00', 'overdue' => '230.00', 'invoices' => 1, 'overdueInvoices' => 1],
            ['currency' => 'NZD', 'outstanding' => '460.00', 'overdue' => '460.00', 'invoices' => 2, 'overdueInvoices' => 2],
            ['currency' => 'USD', 'outstanding' => '230.00', 'overdue' => '230.00', 'invoices' => 1, 'overdueInvoices' => 1],
        ], $this->transactions($own)->totals(TransactionFilter::none()));

        $errors = $this->problems($own)->errors(self::query(['size' => '100'], 'seen', true, ProblemsView::SORTABLE));
        $invoiceErrors = array_filter($errors->rows, static fn (array $r): bool => $r['entityType'] !== 'contact');
        self::assertSame([['smart_invoice', self::$portal->scenario['smart2']], ['legacy_invoice', self::$portal->scenario['legacy2']]],
            self::pairs(array_values($invoiceErrors)));
        self::assertSame(22, $errors->total, '20 contact errors and two of their invoices');
        self::assertSame(['errors' => 22, 'conflicts' => 2], $this->problems($own)->counts());
        self::assertSame(['errors' => 23, 'conflicts' => 2], $this->problems()->counts());
        self::assertSame(0, $this->transactions(FixtureCrmAccess::ownOnly(99))->page(TransactionFilter::none(), self::query())->total);
    }

    public function testConflictsCarryBothVersions(): void
    {
        $conflicts = $this->problems()->conflicts(self::query([], 'seen', true, ProblemsView::SORTABLE));
        self::assertSame(2, $conflicts->total);
        $four = array_values(array_filter($conflicts->rows, fn (array $r): bool => $r['entityId'] === (int)self::$portal->scenario['smart4']))[0];
        self::assertSame('Smart 4', $four['bitrix']['title']);
        self::assertSame('230.00', $four['bitrix']['total']);
        self::assertSame('Sent', $four['bitrix']['stage']);
        self::assertSame('AUTHORISED', $four['xero']['status']);
        self::assertSame('INV-0004', $four['xero']['number']);
        self::assertSame('230.00', $four['xero']['amountDue']);
    }

    public function testRetryMakesTheErrorDueNowAndResolveClosesItAsTheDaemonsCommandsDo(): void
    {
        $db = self::$portal->db;
        $id = (int)self::$portal->value("SELECT ID FROM b_b24xero_record_error WHERE CODE = 'xero_unavailable'");
        self::assertTrue($this->problems()->retry($id));
        self::assertSame('1', self::$portal->value('SELECT NEXT_RETRY_AT <= UTC_TIMESTAMP(3) FROM b_b24xero_record_error WHERE ID = ?', [$id]));
        self::assertNull(self::$portal->value('SELECT RESOLVED_AT FROM b_b24xero_record_error WHERE ID = ?', [$id]));

        $legacy = (int)self::$portal->value("SELECT ID FROM b_b24xero_record_error WHERE CODE = 'locked_period'");
        self::assertFalse($this->problems(FixtureCrmAccess::ownOnly(1))->resolve($legacy), 'user 1 may not read legacy invoice 2');
        self::assertTrue($this->problems(FixtureCrmAccess::ownOnly(2))->resolve($legacy));
        self::assertNotNull(self::$portal->value('SELECT RESOLVED_AT FROM b_b24xero_record_error WHERE ID = ?', [$legacy]));
        self::assertNull(self::$portal->value('SELECT NEXT_RETRY_AT FROM b_b24xero_record_error WHERE ID = ?', [$legacy]));
        self::assertFalse($this->problems()->resolve($legacy), 'already resolved');
        self::assertFalse($this->problems()->retry($legacy), 'a resolved error is not retried');
        $db->execute('UPDATE b_b24xero_record_error SET RESOLVED_AT = NULL, NEXT_RETRY_AT = NULL WHERE ID = ?', [$legacy]);
    }

    public function testRunsArePagedNewestFirstWithTheirCounts(): void
    {
        $runs = (new RunsView(self::$portal->db))->page(ListQuery::fromRequest(['size' => '10'], '', RunsView::SORTABLE, 'started', true));
        self::assertSame(25, $runs->total);
        self::assertCount(10, $runs->rows);
        self::assertSame('2026-12-03 10:24:00.000', $runs->rows[0]['started']);
        self::assertSame(24, $runs->rows[0]['counts']['created']);
        self::assertSame(27, $runs->rows[0]['counts']['apiCalls']);
    }

    public function testTheInvoicePanelShowsXeroStatusAmountDuePaymentsLinksAndErrorsToThoseWhoMayReadTheInvoice(): void
    {
        $panel = new InvoicePanel(self::$portal->db, FixtureCrmAccess::everything());
        $one = $panel->read('smart_invoice', (int)self::$portal->scenario['smart1']);
        self::assertSame('AUTHORISED', $one['status']);
        self::assertSame('INV-0001', $one['number']);
        self::assertSame('130.00', $one['amountDue']);
        self::assertCount(20, $one['payments']);
        self::assertSame('https://in.xero.com/online-1', $one['onlineUrl']);
        self::assertStringStartsWith('https://go.xero.com/AccountsReceivable/View.aspx?InvoiceID=', $one['xeroUrl']);
        self::assertSame(['validation'], array_column($one['errors'], 'code'));
        self::assertNull((new InvoicePanel(self::$portal->db, FixtureCrmAccess::ownOnly(2)))->read('smart_invoice', (int)self::$portal->scenario['smart1']));
        self::assertNull($panel->read('contact', 1));
        $legacy = $panel->read('legacy_invoice', (int)self::$portal->scenario['legacy1']);
        self::assertSame('USD', $legacy['currency']);
    }

    public function testTheConnectionHealthReadsTheDaemonsState(): void
    {
        $health = (new Health(self::$portal->db))->read();
        self::assertSame('ok', $health['lastRun']['status']);
        self::assertSame(4880, $health['budget']['remaining']);
        self::assertSame('2026-12-03 22:00:01.000', $health['webhookLast']);
        self::assertGreaterThanOrEqual(3, $health['schemaVersion']);
        self::assertSame('2026-12-03 23:00:00.000', $health['orgFetchedAt']);
        self::assertNotNull($health['lastError']);
    }

    /** @param list<string> $values @return list<string> */
    private static function sorted(array $values): array
    {
        sort($values);
        return $values;
    }

    /** @param list<array<string, mixed>> $rows @return list<array{0: string, 1: int}> */
    private static function pairs(array $rows): array
    {
        $pairs = array_map(static fn (array $r): array => [$r['entityType'], $r['entityId']], $rows);
        usort($pairs, static fn (array $a, array $b): int => strcmp($b[0], $a[0]));
        return $pairs;
    }
}
