<?php

declare(strict_types=1);

namespace B24xero\Sync\Tests\Integration;

use B24xero\Sync\Db\DatabaseError;
use B24xero\Sync\Db\LockName;
use B24xero\Sync\Inbox\Applier;
use B24xero\Sync\Inbox\ApplyReport;
use B24xero\Sync\Inbox\Contract;
use B24xero\Sync\Module;
use B24xero\Sync\Tests\CountingCrmGateway;
use B24xero\Sync\Tests\FixtureCrmGateway;
use B24xero\Sync\Tests\FixtureDatabase;
use PHPUnit\Framework\TestCase;

/**
 * The applier with FixtureCrmGateway on a fixture portal in MariaDB: every action of the contract, with the
 * contract's own examples where they fit, their failures, and applying twice.
 */
final class ApplierTest extends TestCase
{
    private const INVOICE_XERO_ID = '3f1c2a9e-5b7d-4e21-9a0b-8c6d4e2f1a37';
    private const CONTACT_XERO_ID = '9a0b8c6d-4e2f-4a37-8c1d-2e3f4a5b6c7d';
    private const COMPANY_XERO_ID = '1d2e3f4a-5b6c-4d7e-8f90-a1b2c3d4e5f6';

    private static FixtureDatabase $portal;
    private static Contract $contract;
    private CountingCrmGateway $crm;

    public static function setUpBeforeClass(): void
    {
        self::$portal = FixtureDatabase::create('applier', ['--migrate', '--scenario', 'applier']);
        self::$contract = Contract::load(Module::sqlDir() . '/inbox');
    }

    public static function tearDownAfterClass(): void
    {
        self::$portal->drop();
    }

    protected function setUp(): void
    {
        $this->crm = new CountingCrmGateway(new FixtureCrmGateway(self::$portal->db));
        self::$portal->db->execute('DELETE FROM b_b24xero_change');
    }

    private function id(string $key): int
    {
        return (int)self::$portal->scenario[$key];
    }

    /** Queues a row the way the daemon does (daemon/src/state/inbox.ts). @param array<string, mixed>|string $payload */
    private function enqueue(string $entityType, ?int $entityId, string $action, array|string $payload): int
    {
        self::$portal->db->execute(
            "INSERT INTO b_b24xero_inbox (ENTITY_TYPE, ENTITY_ID, ACTION, PAYLOAD, STATE, DEDUPE_KEY, ATTEMPTS, CREATED_AT)
             VALUES (?, ?, ?, ?, 'pending', ?, 0, UTC_TIMESTAMP(3))",
            [$entityType, $entityId, $action, is_string($payload) ? $payload : json_encode($payload),
                $entityId === null ? null : "{$action}:{$entityType}:{$entityId}:" . bin2hex(random_bytes(4))],
        );
        return self::$portal->db->lastInsertId();
    }

    private function apply(): ApplyReport
    {
        return (new Applier(self::$portal->db, $this->crm, self::$contract))->applyPending();
    }

    /** @return array<string, string|null> */
    private function row(int $inboxId): array
    {
        return self::$portal->db->fetchAll('SELECT STATE, ERROR, ATTEMPTS, DEDUPE_KEY, APPLIED_AT FROM b_b24xero_inbox WHERE ID = ?', [$inboxId])[0];
    }

    /** @return array<string, string|null> */
    private function record(string $sql, array $params): array
    {
        return self::$portal->db->fetchAll($sql, $params)[0];
    }

    private function example(string $action, int $index): array
    {
        return json_decode((string)json_encode(self::$contract->examples($action)[$index]), true);
    }

    private function assertApplied(int $inboxId): void
    {
        $row = $this->row($inboxId);
        self::assertSame(['STATE' => 'applied', 'ERROR' => null, 'ATTEMPTS' => '1', 'DEDUPE_KEY' => null], array_diff_key($row, ['APPLIED_AT' => 1]), "inbox row {$inboxId}");
        self::assertNotNull($row['APPLIED_AT']);
    }

    private function assertFailed(int $inboxId, string $error): void
    {
        $row = $this->row($inboxId);
        self::assertSame('failed', $row['STATE'], "inbox row {$inboxId}: {$row['ERROR']}");
        self::assertStringContainsString($error, (string)$row['ERROR']);
        self::assertSame('1', $row['ATTEMPTS']);
        self::assertNull($row['DEDUPE_KEY']);
    }

    public function testSetFieldsBindsASmartInvoiceAndWritesNothingWhenAppliedAgain(): void
    {
        $id = $this->id('smart1');
        $first = $this->enqueue('smart_invoice', $id, 'set_fields', $this->example('set_fields', 0));
        $report = $this->apply();
        self::assertSame(1, $report->applied);
        $this->assertApplied($first);
        self::assertSame(
            ['XML_ID' => self::INVOICE_XERO_ID, 'UF_CRM_XERO_STATUS' => 'DRAFT', 'UF_CRM_XERO_URL' => 'https://go.xero.com/AccountsReceivable/View.aspx?InvoiceID=' . self::INVOICE_XERO_ID, 'fresh' => '1'],
            $this->record('SELECT XML_ID, UF_CRM_XERO_STATUS, UF_CRM_XERO_URL, UPDATED_TIME > ? AS fresh FROM b_crm_dynamic_items_31 WHERE ID = ?', ['2026-11-20 10:00:00', $id]),
        );
        self::assertSame('0', self::$portal->value('SELECT COUNT(*) FROM b_b24xero_change'), 'the applier\'s own writes are no changes');
        self::assertSame(['setInvoiceFields'], $this->crm->writes);

        $this->crm->writes = [];
        $again = $this->enqueue('smart_invoice', $id, 'set_fields', $this->example('set_fields', 0));
        $this->apply();
        $this->assertApplied($again);
        self::assertSame([], $this->crm->writes);
    }

    public function testSetFieldsWritesLegacyInvoiceFieldsToTheInvoiceAndItsUserFieldRow(): void
    {
        $id = $this->id('legacy1');
        $a = $this->enqueue('legacy_invoice', $id, 'set_fields', ['fields' => ['XML_ID' => self::INVOICE_XERO_ID]]);
        $b = $this->enqueue('legacy_invoice', $id, 'set_fields', $this->example('set_fields', 1));
        $this->apply();
        $this->assertApplied($a);
        $this->assertApplied($b);
        self::assertSame(
            ['XML_ID' => self::INVOICE_XERO_ID, 'UF_CRM_XERO_STATUS' => 'AUTHORISED', 'UF_CRM_XERO_AMOUNT_DUE' => '57.5', 'UF_CRM_XERO_SYNC' => '1'],
            $this->record('SELECT i.XML_ID, u.UF_CRM_XERO_STATUS, u.UF_CRM_XERO_AMOUNT_DUE, u.UF_CRM_XERO_SYNC FROM b_crm_invoice i JOIN b_uts_crm_invoice u ON u.VALUE_ID = i.ID WHERE i.ID = ?', [$id]),
        );
        $this->crm->writes = [];
        $this->enqueue('legacy_invoice', $id, 'set_fields', ['fields' => ['UF_CRM_XERO_AMOUNT_DUE' => 57.50]]);
        $this->apply();
        self::assertSame([], $this->crm->writes, '57.5 stored equals 57.50 asked');
    }

    public function testSetFieldsBindsContactsAndCompaniesAndRefusesInvoiceFieldsOnThemWithoutBlockingTheNextRow(): void
    {
        $contact = $this->id('plainContact');
        $company = $this->id('plainCompany');
        $bad = $this->enqueue('contact', $contact, 'set_fields', ['fields' => ['XML_ID' => 'x']]);
        $a = $this->enqueue('contact', $contact, 'set_fields', $this->example('set_fields', 2));
        $b = $this->enqueue('company', $company, 'set_fields', $this->example('set_fields', 3));
        $report = $this->apply();
        self::assertSame([2, 1], [$report->applied, $report->failed]);
        $this->assertFailed($bad, "contact {$contact} has no field XML_ID (it takes UF_CRM_XERO_ID, UF_CRM_XERO_STATUS)");
        $this->assertApplied($a);
        $this->assertApplied($b);
        self::assertSame(self::CONTACT_XERO_ID, self::$portal->value('SELECT UF_CRM_XERO_ID FROM b_uts_crm_contact WHERE VALUE_ID = ?', [$contact]));
        self::assertSame('ARCHIVED', self::$portal->value('SELECT UF_CRM_XERO_STATUS FROM b_uts_crm_company WHERE VALUE_ID = ?', [$company]));
    }

    public function testSetStageMovesASmartInvoiceThroughItsCategoryAndRefusesStagesItDoesNotHave(): void
    {
        $id = $this->id('smart2');
        $cat = self::$portal->info['smartInvoiceCategoryId'];
        $sent = $this->enqueue('smart_invoice', $id, 'set_stage', ['stageId' => "DT31_{$cat}:S", 'xeroStatus' => 'AUTHORISED', 'reason' => 'sent']);
        $gone = $this->enqueue('smart_invoice', $id, 'set_stage', ['stageId' => "DT31_{$cat}:UC_GONE", 'xeroStatus' => 'PAID', 'reason' => 'paid']);
        $other = $this->enqueue('smart_invoice', $id, 'set_stage', $this->example('set_stage', 0)); // DT31_1:S, another category
        $this->apply();
        $this->assertApplied($sent);
        self::assertSame(
            ['STAGE_ID' => "DT31_{$cat}:S", 'PREVIOUS_STAGE_ID' => "DT31_{$cat}:N", 'MOVED_BY' => '1', 'moved' => '1'],
            $this->record('SELECT STAGE_ID, PREVIOUS_STAGE_ID, MOVED_BY, MOVED_TIME > ? AS moved FROM b_crm_dynamic_items_31 WHERE ID = ?', ['2026-11-20 10:00:00', $id]),
        );
        $this->assertFailed($gone, "stage DT31_{$cat}:UC_GONE does not exist in category {$cat} of smart invoices (DT31_{$cat}:N, DT31_{$cat}:S, DT31_{$cat}:P, DT31_{$cat}:D), so smart invoice {$id} stays in DT31_{$cat}:S");
        $this->assertFailed($other, 'stage DT31_1:S does not exist in category');

        $this->crm->writes = [];
        $this->enqueue('smart_invoice', $id, 'set_stage', ['stageId' => "DT31_{$cat}:S", 'xeroStatus' => 'AUTHORISED', 'reason' => 'sent']);
        $this->apply();
        self::assertSame([], $this->crm->writes, 'already in that stage');
    }

    public function testSetStagePaysALegacyInvoiceWithTheVoucherAndThenCancelsIt(): void
    {
        $id = $this->id('legacy2');
        $paid = $this->enqueue('legacy_invoice', $id, 'set_stage', $this->example('set_stage', 1));
        $this->apply();
        $this->assertApplied($paid);
        self::assertSame(
            ['STATUS_ID' => 'P', 'PAYED' => 'Y', 'CANCELED' => 'N', 'PAY_VOUCHER_NUM' => 'DD 4471', 'PAY_VOUCHER_DATE' => '2026-11-30', 'paid_all' => '1', 'dated' => '1'],
            $this->record('SELECT STATUS_ID, PAYED, CANCELED, PAY_VOUCHER_NUM, PAY_VOUCHER_DATE, SUM_PAID = PRICE AS paid_all, DATE_PAYED IS NOT NULL AS dated FROM b_crm_invoice WHERE ID = ?', [$id]),
        );
        $void = $this->enqueue('legacy_invoice', $id, 'set_stage', ['stageId' => 'D', 'xeroStatus' => 'VOIDED', 'reason' => 'voided']);
        $this->apply();
        $this->assertApplied($void);
        self::assertSame(['STATUS_ID' => 'D', 'PAYED' => 'N', 'CANCELED' => 'Y', 'SUM_PAID' => '0.00'],
            $this->record('SELECT STATUS_ID, PAYED, CANCELED, SUM_PAID FROM b_crm_invoice WHERE ID = ?', [$id]));
    }

    public function testSetInvoiceContentReplacesSmartInvoiceRowsAsCrmPricesThemAndTheTotalFollows(): void
    {
        $id = $this->id('smart3');
        self::$portal->db->execute('UPDATE b_crm_dynamic_items_31 SET XML_ID = ? WHERE ID = ?', [self::INVOICE_XERO_ID, $id]);
        $row = $this->enqueue('smart_invoice', $id, 'set_invoice_content', $this->example('set_invoice_content', 0));
        $this->apply();
        $this->assertApplied($row);
        $rows = self::$portal->db->fetchAll(
            "SELECT PRODUCT_ID, PRODUCT_NAME, ROUND(PRICE, 2) AS PRICE, ROUND(PRICE_EXCLUSIVE, 2) AS EXCL, ROUND(PRICE_NETTO, 2) AS NETTO,
               ROUND(PRICE_BRUTTO, 2) AS BRUTTO, QUANTITY, DISCOUNT_TYPE_ID, ROUND(DISCOUNT_RATE, 2) AS RATE, ROUND(DISCOUNT_SUM, 2) AS SUM,
               ROUND(TAX_RATE, 2) AS TAX, TAX_INCLUDED, MEASURE_CODE, MEASURE_NAME, SORT
             FROM b_crm_product_row WHERE OWNER_TYPE = 'SI' AND OWNER_ID = ? ORDER BY SORT",
            [$id],
        );
        self::assertSame([
            ['PRODUCT_ID' => '12', 'PRODUCT_NAME' => 'Consulting, hour', 'PRICE' => '103.50', 'EXCL' => '90.00', 'NETTO' => '100.00', 'BRUTTO' => '115.00',
                'QUANTITY' => '3.0000', 'DISCOUNT_TYPE_ID' => '2', 'RATE' => '10.00', 'SUM' => '10.00', 'TAX' => '15.00', 'TAX_INCLUDED' => 'Y',
                'MEASURE_CODE' => '796', 'MEASURE_NAME' => 'pcs.', 'SORT' => '10'],
            ['PRODUCT_ID' => '0', 'PRODUCT_NAME' => 'Travel', 'PRICE' => '40.00', 'EXCL' => '40.00', 'NETTO' => '40.00', 'BRUTTO' => '40.00',
                'QUANTITY' => '1.0000', 'DISCOUNT_TYPE_ID' => '2', 'RATE' => '0.00', 'SUM' => '0.00', 'TAX' => '0.00', 'TAX_INCLUDED' => 'N',
                'MEASURE_CODE' => '796', 'MEASURE_NAME' => 'pcs.', 'SORT' => '20'],
        ], $rows);
        self::assertSame(['OPPORTUNITY' => '350.50', 'TAX_VALUE' => '40.50', 'CLOSEDATE' => '2026-12-31'],
            $this->record('SELECT OPPORTUNITY, TAX_VALUE, CLOSEDATE FROM b_crm_dynamic_items_31 WHERE ID = ?', [$id]));

        $this->crm->writes = [];
        $again = $this->enqueue('smart_invoice', $id, 'set_invoice_content', $this->example('set_invoice_content', 0));
        $reference = $this->enqueue('smart_invoice', $id, 'set_invoice_content', $this->example('set_invoice_content', 1));
        $this->apply();
        $this->assertApplied($again);
        $this->assertApplied($reference);
        self::assertSame(['setInvoiceFields'], $this->crm->writes, 'the same lines again are no change; only the reference is');
        self::assertSame('PO 7781', self::$portal->value('SELECT UF_CRM_XERO_REFERENCE FROM b_crm_dynamic_items_31 WHERE ID = ?', [$id]));
    }

    public function testSetInvoiceContentRefusesAnInvoiceBoundToAnotherXeroInvoice(): void
    {
        $id = $this->id('smart4');
        self::$portal->db->execute("UPDATE b_crm_dynamic_items_31 SET XML_ID = 'aaaaaaaa-5b7d-4e21-9a0b-8c6d4e2f1a37' WHERE ID = ?", [$id]);
        $row = $this->enqueue('smart_invoice', $id, 'set_invoice_content', $this->example('set_invoice_content', 0));
        $this->apply();
        $this->assertFailed($row, "smart invoice {$id} is bound to Xero invoice aaaaaaaa-5b7d-4e21-9a0b-8c6d4e2f1a37, not " . self::INVOICE_XERO_ID);
        self::assertSame([], $this->crm->writes);
    }

    public function testSetInvoiceContentRewritesALegacyBasketAndRollsEverythingBackWhenCrmRefusesPart(): void
    {
        $id = $this->id('legacy3');
        $row = $this->enqueue('legacy_invoice', $id, 'set_invoice_content', [
            'xeroInvoiceId' => self::INVOICE_XERO_ID, 'xeroUpdatedUtc' => '2026-12-01 09:15:02',
            'fields' => ['issueDate' => '2026-12-01', 'dueDate' => '2026-12-15', 'reference' => 'PO 1'],
            'rows' => [['productId' => 0, 'name' => 'Design', 'price' => 200, 'quantity' => 2, 'discountType' => 'amount', 'discountRate' => 10,
                'discountSum' => 20, 'taxRate' => 15, 'taxIncluded' => false, 'measureName' => null, 'sort' => 10]],
        ]);
        $this->apply();
        $this->assertApplied($row);
        self::assertSame(['NAME' => 'Design', 'PRICE' => '180.0000', 'BASE_PRICE' => '200.0000', 'DISCOUNT_PRICE' => '20.0000', 'VAT_RATE' => '0.1500', 'VAT_INCLUDED' => 'N', 'QUANTITY' => '2.0000'],
            $this->record('SELECT NAME, PRICE, BASE_PRICE, DISCOUNT_PRICE, VAT_RATE, VAT_INCLUDED, QUANTITY FROM b_crm_invoice_basket WHERE ORDER_ID = ?', [$id]));
        self::assertSame(['PRICE' => '414.0000', 'TAX_VALUE' => '54.00', 'DATE_BILL' => '2026-12-01 00:00:00', 'DATE_PAY_BEFORE' => '2026-12-15 00:00:00', 'UF_CRM_XERO_REFERENCE' => 'PO 1'],
            $this->record('SELECT i.PRICE, i.TAX_VALUE, i.DATE_BILL, i.DATE_PAY_BEFORE, u.UF_CRM_XERO_REFERENCE FROM b_crm_invoice i JOIN b_uts_crm_invoice u ON u.VALUE_ID = i.ID WHERE i.ID = ?', [$id]));

        $empty = $this->enqueue('legacy_invoice', $id, 'set_invoice_content', [
            'xeroInvoiceId' => self::INVOICE_XERO_ID, 'xeroUpdatedUtc' => '2026-12-02 09:15:02', 'fields' => ['dueDate' => '2027-01-31'], 'rows' => [],
        ]);
        $this->apply();
        $this->assertFailed($empty, "invoice {$id}: an invoice must have at least one product");
        self::assertSame('2026-12-15 00:00:00', self::$portal->value('SELECT DATE_PAY_BEFORE FROM b_crm_invoice WHERE ID = ?', [$id]), 'the due date written before the refusal was rolled back');
    }

    public function testImportContactCreatesABoundContactWithItsDetailsAndFindsItTheSecondTime(): void
    {
        $payload = $this->example('import_contact', 0);
        $payload['xeroContactId'] = '0a0b8c6d-4e2f-4a37-8c1d-2e3f4a5b6c7d';
        $first = $this->enqueue('contact', null, 'import_contact', $payload);
        $this->apply();
        $this->assertApplied($first);
        $result = json_decode((string)self::$portal->value('SELECT RESULT FROM b_b24xero_inbox_result WHERE INBOX_ID = ?', [$first]), true);
        self::assertTrue($result['created']);
        $id = $result['entityId'];
        self::assertSame(['FULL_NAME' => 'Aroha Ngata', 'HAS_EMAIL' => 'Y', 'HAS_PHONE' => 'Y', 'UF_CRM_XERO_ID' => $payload['xeroContactId']],
            $this->record('SELECT c.FULL_NAME, c.HAS_EMAIL, c.HAS_PHONE, u.UF_CRM_XERO_ID FROM b_crm_contact c JOIN b_uts_crm_contact u ON u.VALUE_ID = c.ID WHERE c.ID = ?', [$id]));
        self::assertSame(
            [['TYPE_ID' => 'EMAIL', 'VALUE_TYPE' => 'WORK', 'VALUE' => 'aroha@example.co.nz'], ['TYPE_ID' => 'PHONE', 'VALUE_TYPE' => 'MOBILE', 'VALUE' => '+64 21 555 0101'], ['TYPE_ID' => 'PHONE', 'VALUE_TYPE' => 'WORK', 'VALUE' => '+64 9 555 0100']],
            self::$portal->db->fetchAll("SELECT TYPE_ID, VALUE_TYPE, VALUE FROM b_crm_field_multi WHERE ENTITY_ID = 'CONTACT' AND ELEMENT_ID = ? ORDER BY ID", [$id]),
        );
        // crm keeps a contact's address on its default requisite (EntityAddress, contact/company compatibility).
        self::assertSame(['TYPE_ID' => '1', 'ENTITY_TYPE_ID' => '8', 'ANCHOR_TYPE_ID' => '3', 'ADDRESS_1' => '12 Queen Street', 'CITY' => 'Auckland', 'POSTAL_CODE' => '1010', 'COUNTRY' => 'New Zealand', 'ADDRESS_ONLY' => 'Y'],
            $this->record('SELECT a.TYPE_ID, a.ENTITY_TYPE_ID, a.ANCHOR_TYPE_ID, a.ADDRESS_1, a.CITY, a.POSTAL_CODE, a.COUNTRY, r.ADDRESS_ONLY FROM b_crm_addr a JOIN b_crm_requisite r ON r.ID = a.ENTITY_ID WHERE a.ANCHOR_ID = ? AND a.ANCHOR_TYPE_ID = 3', [$id]));

        $this->crm->writes = [];
        $second = $this->enqueue('contact', null, 'import_contact', $payload);
        $this->apply();
        $this->assertApplied($second);
        self::assertSame(['entityId' => $id, 'created' => false], json_decode((string)self::$portal->value('SELECT RESULT FROM b_b24xero_inbox_result WHERE INBOX_ID = ?', [$second]), true));
        self::assertSame([], $this->crm->writes);
        self::assertSame('1', self::$portal->value('SELECT COUNT(*) FROM b_uts_crm_contact WHERE UF_CRM_XERO_ID = ?', [$payload['xeroContactId']]));
    }

    public function testImportCompanyMatchesPeopleByEmailThenNameCreatesTheRestAsPersonsAndNeverDuplicates(): void
    {
        $company = $this->id('boundCompany');
        $row = $this->enqueue('company', null, 'import_company', $this->example('import_company', 0));
        $this->apply();
        $this->assertApplied($row);
        $result = json_decode((string)self::$portal->value('SELECT RESULT FROM b_b24xero_inbox_result WHERE INBOX_ID = ?', [$row]), true);
        self::assertSame($company, $result['entityId']);
        self::assertFalse($result['created']);
        [$mere, $tom, $ana] = $result['persons'];
        self::assertSame(['contactId' => $this->id('mere'), 'created' => false, 'primary' => true, 'email' => 'accounts@kauri.example', 'firstName' => 'Mere', 'lastName' => 'Parata'], $mere, 'by email, whatever its case');
        self::assertSame(['contactId' => $this->id('tom'), 'created' => false, 'primary' => false], array_slice($tom, 0, 3, true), 'by name');
        self::assertTrue($ana['created']);
        self::assertSame(['UF_CRM_XERO_ID' => 'person:' . self::COMPANY_XERO_ID, 'FULL_NAME' => 'Ana Silva'],
            $this->record('SELECT u.UF_CRM_XERO_ID, c.FULL_NAME FROM b_crm_contact c JOIN b_uts_crm_contact u ON u.VALUE_ID = c.ID WHERE c.ID = ?', [$ana['contactId']]));
        // As crm's bindContacts leaves them: every binding the contact's main company ('Y'), the primary contact first by SORT.
        self::assertSame(
            [(string)$this->id('mere'), (string)$this->id('tom'), (string)$ana['contactId']],
            array_column(self::$portal->db->fetchAll('SELECT CONTACT_ID FROM b_crm_contact_company WHERE COMPANY_ID = ? ORDER BY IS_PRIMARY DESC, SORT', [$company]), 'CONTACT_ID'),
        );
        self::assertSame('123-456-789', self::$portal->value('SELECT RQ_VAT_ID FROM b_crm_requisite WHERE ENTITY_TYPE_ID = 4 AND ENTITY_ID = ?', [$company]));
        self::assertSame(['https://kauri.example'], array_column(self::$portal->db->fetchAll("SELECT VALUE FROM b_crm_field_multi WHERE ENTITY_ID = 'COMPANY' AND ELEMENT_ID = ? AND TYPE_ID = 'WEB'", [$company]), 'VALUE'));
        self::assertSame(['1' => '8 Mill Road', '8' => 'PO Box 4410'], array_column(self::$portal->db->fetchAll(
            'SELECT TYPE_ID, ADDRESS_1 FROM b_crm_addr WHERE ANCHOR_TYPE_ID = 4 AND ANCHOR_ID = ? ORDER BY TYPE_ID', [$company]), 'ADDRESS_1', 'TYPE_ID'));

        $contacts = self::$portal->value('SELECT COUNT(*) FROM b_crm_contact');
        $this->crm->writes = [];
        $again = $this->enqueue('company', null, 'import_company', $this->example('import_company', 0));
        $this->apply();
        $this->assertApplied($again);
        self::assertSame([], $this->crm->writes);
        self::assertSame($contacts, self::$portal->value('SELECT COUNT(*) FROM b_crm_contact'));
    }

    public function testImportCompanyCreatesANewBoundCompanyWhenNoneIsBoundEvenIfOneHasTheSameName(): void
    {
        $row = $this->enqueue('company', null, 'import_company', $this->example('import_company', 1));
        $this->apply();
        $this->assertApplied($row);
        $result = json_decode((string)self::$portal->value('SELECT RESULT FROM b_b24xero_inbox_result WHERE INBOX_ID = ?', [$row]), true);
        self::assertTrue($result['created']);
        self::assertNotSame($this->id('plainCompany'), $result['entityId']);
        self::assertSame([], $result['persons']);
        self::assertSame(['TITLE' => 'Harbour Cafe', 'UF_CRM_XERO_ID' => '2e3f4a5b-6c7d-4e8f-90a1-b2c3d4e5f6a7', 'HAS_EMAIL' => 'N'],
            $this->record('SELECT c.TITLE, u.UF_CRM_XERO_ID, c.HAS_EMAIL FROM b_crm_company c JOIN b_uts_crm_company u ON u.VALUE_ID = c.ID WHERE c.ID = ?', [$result['entityId']]));
    }

    public function testUpdatePartyWritesWhatChangedInXeroOntoContactsAndCompaniesAndTheirPeople(): void
    {
        $contact = $this->id('boundContact');
        $a = $this->enqueue('contact', $contact, 'update_party', $this->example('update_party', 0));
        $company = $this->id('boundCompany');
        $b = $this->enqueue('company', $company, 'update_party', $this->example('update_party', 1));
        $this->apply();
        $this->assertApplied($a);
        $this->assertApplied($b);
        self::assertSame(['FULL_NAME' => 'Aroha Ngata-Smith', 'LAST_NAME' => 'Ngata-Smith'], $this->record('SELECT FULL_NAME, LAST_NAME FROM b_crm_contact WHERE ID = ?', [$contact]));
        self::assertSame(['aroha.ns@example.co.nz'], array_column(self::$portal->db->fetchAll("SELECT VALUE FROM b_crm_field_multi WHERE ENTITY_ID = 'CONTACT' AND ELEMENT_ID = ? AND TYPE_ID = 'EMAIL'", [$contact]), 'VALUE'));
        self::assertSame(['+64 9 555 0200'], array_column(self::$portal->db->fetchAll("SELECT VALUE FROM b_crm_field_multi WHERE ENTITY_ID = 'COMPANY' AND ELEMENT_ID = ? AND TYPE_ID = 'PHONE'", [$company]), 'VALUE'));
        $lee = self::$portal->db->fetchAll("SELECT c.ID, cc.IS_PRIMARY FROM b_crm_contact c JOIN b_crm_contact_company cc ON cc.CONTACT_ID = c.ID AND cc.COMPANY_ID = ? WHERE c.FULL_NAME = 'Lee Chen'", [$company]);
        self::assertCount(1, $lee);
        self::assertSame((string)$this->id('mere'), self::$portal->value('SELECT CONTACT_ID FROM b_crm_contact_company WHERE COMPANY_ID = ? ORDER BY IS_PRIMARY DESC, SORT LIMIT 1', [$company]));

        $this->crm->writes = [];
        $this->enqueue('contact', $contact, 'update_party', $this->example('update_party', 0));
        $this->enqueue('company', $company, 'update_party', $this->example('update_party', 1));
        $this->apply();
        self::assertSame([], $this->crm->writes);
    }

    public function testUpdatePartyRefusesAnotherBindingAndNamesOfTheOtherKind(): void
    {
        $contact = $this->id('boundContact');
        $other = $this->enqueue('contact', $contact, 'update_party', ['xeroContactId' => self::COMPANY_XERO_ID, 'xeroUpdatedUtc' => '2026-12-02 08:00:00', 'set' => ['lastName' => 'X']]);
        $title = $this->enqueue('contact', $contact, 'update_party', ['xeroContactId' => self::CONTACT_XERO_ID, 'xeroUpdatedUtc' => '2026-12-02 08:00:00', 'set' => ['title' => 'X']]);
        $persons = $this->enqueue('contact', $contact, 'update_party', ['xeroContactId' => self::CONTACT_XERO_ID, 'xeroUpdatedUtc' => '2026-12-02 08:00:00', 'set' => new \stdClass(), 'persons' => ['primary' => null, 'others' => []]]);
        $this->apply();
        $this->assertFailed($other, "contact {$contact} is bound to Xero contact " . self::CONTACT_XERO_ID . ', not ' . self::COMPANY_XERO_ID);
        $this->assertFailed($title, "contact {$contact} has no title (contacts take firstName, lastName)");
        $this->assertFailed($persons, 'persons belong to companies');
        self::assertSame([], $this->crm->writes);
    }

    public function testFailsClearlyForAnEntityDeletedInBitrixAndForAPayloadOutsideItsSchema(): void
    {
        $gone = $this->enqueue('smart_invoice', 987654, 'set_stage', ['stageId' => 'DT31_7:P', 'xeroStatus' => 'PAID', 'reason' => 'paid']);
        $goneContact = $this->enqueue('contact', 987654, 'set_fields', ['fields' => ['UF_CRM_XERO_STATUS' => 'ACTIVE']]);
        $bad = $this->enqueue('smart_invoice', $this->id('smart5'), 'set_stage', ['stageId' => 'DT31_7:P', 'xeroStatus' => 'PAYED', 'reason' => 'paid']);
        $notJson = $this->enqueue('smart_invoice', $this->id('smart5'), 'set_fields', '{"fields": {');
        $wrongType = $this->enqueue('product', 5, 'set_stage', ['stageId' => 'P', 'xeroStatus' => 'PAID', 'reason' => 'paid']);
        $report = $this->apply();
        self::assertSame(5, $report->failed);
        $this->assertFailed($gone, 'smart invoice 987654 does not exist in Bitrix (deleted?)');
        $this->assertFailed($goneContact, 'contact 987654 does not exist in Bitrix (deleted?)');
        $this->assertFailed($bad, 'PAYLOAD does not match set_stage.schema.json: /xeroStatus: must be one of');
        $this->assertFailed($notJson, 'PAYLOAD is not JSON');
        $this->assertFailed($wrongType, 'set_stage applies to smart_invoice or legacy_invoice, not to ENTITY_TYPE product');
        self::assertSame(array_column($report->failures, 'id'), [$gone, $goneContact, $bad, $notJson, $wrongType], 'in ID order');
    }

    public function testKeepsARowPendingAfterADeadlockUntilItsAttemptsRunOutThenFailsIt(): void
    {
        $id = $this->id('smart6');
        $this->crm->beforeWrite = static function (): void {
            throw new DatabaseError('Deadlock found when trying to get lock; try restarting transaction', 1213);
        };
        $row = $this->enqueue('smart_invoice', $id, 'set_fields', ['fields' => ['UF_CRM_XERO_STATUS' => 'PAID']]);
        $next = $this->enqueue('smart_invoice', $this->id('smart7'), 'set_fields', ['fields' => ['UF_CRM_XERO_STATUS' => 'PAID']]);
        for ($i = 1; $i < Applier::MAX_ATTEMPTS; $i++) {
            $report = $this->apply();
            self::assertSame(2, $report->retrying);
            self::assertSame(['STATE' => 'pending', 'ATTEMPTS' => (string)$i], array_intersect_key($this->row($row), ['STATE' => 1, 'ATTEMPTS' => 1]));
        }
        $this->apply();
        self::assertSame('failed', $this->row($row)['STATE']);
        self::assertSame((string)Applier::MAX_ATTEMPTS, $this->row($row)['ATTEMPTS']);
        self::assertStringContainsString('Deadlock found', (string)$this->row($next)['ERROR']);
        self::assertNotSame('PAID', self::$portal->value('SELECT UF_CRM_XERO_STATUS FROM b_crm_dynamic_items_31 WHERE ID = ?', [$id]));
    }

    public function testLeavesSettledRowsAloneAndDoesNothingWhileAnotherApplierRuns(): void
    {
        $id = $this->id('smart8');
        $row = $this->enqueue('smart_invoice', $id, 'set_fields', ['fields' => ['UF_CRM_XERO_STATUS' => 'SUBMITTED']]);
        $holder = self::$portal->connect();
        $lock = LockName::forServer('b24xero:apply:', self::$portal->name);
        $holder->fetchAll('SELECT GET_LOCK(?, 0) AS got', [$lock]);
        try {
            self::assertTrue($this->apply()->busy);
            self::assertSame('pending', $this->row($row)['STATE']);
        } finally {
            $holder->fetchAll('SELECT RELEASE_LOCK(?) AS r', [$lock]);
            $holder->close();
        }
        $this->apply();
        $appliedAt = $this->row($row)['APPLIED_AT'];
        self::$portal->db->execute("UPDATE b_crm_dynamic_items_31 SET UF_CRM_XERO_STATUS = 'EDITED' WHERE ID = ?", [$id]);
        $report = $this->apply();
        self::assertSame(0, $report->applied);
        self::assertSame($appliedAt, $this->row($row)['APPLIED_AT']);
        self::assertSame('EDITED', self::$portal->value('SELECT UF_CRM_XERO_STATUS FROM b_crm_dynamic_items_31 WHERE ID = ?', [$id]), 'an applied row is never applied again');
    }

    public function testAppliesTheRemainingContractExamplesToRecordsTheyFit(): void
    {
        // set_stage example 2 names category 7, the fixture's; import_contact's example is the contact already bound.
        $void = $this->enqueue('smart_invoice', $this->id('smart7'), 'set_stage', $this->example('set_stage', 2));
        $import = $this->enqueue('contact', null, 'import_contact', $this->example('import_contact', 0));
        $this->apply();
        $this->assertApplied($void);
        $this->assertApplied($import);
        self::assertSame('DT31_7:D', self::$portal->value('SELECT STAGE_ID FROM b_crm_dynamic_items_31 WHERE ID = ?', [$this->id('smart7')]));
        self::assertSame(['entityId' => $this->id('boundContact'), 'created' => false],
            json_decode((string)self::$portal->value('SELECT RESULT FROM b_b24xero_inbox_result WHERE INBOX_ID = ?', [$import]), true));
    }

    public function testRecordsAChangeForASaveThatIsNotTheAppliers(): void
    {
        $gateway = new FixtureCrmGateway(self::$portal->db);
        $invoice = $gateway->findInvoice('legacy_invoice', $this->id('legacy4'));
        $gateway->setInvoiceFields($invoice, ['XML_ID' => 'user-typed']);
        self::assertSame([['ENTITY_TYPE' => 'legacy_invoice', 'ENTITY_ID' => (string)$this->id('legacy4'), 'ACTION' => 'update']],
            self::$portal->db->fetchAll('SELECT ENTITY_TYPE, ENTITY_ID, ACTION FROM b_b24xero_change'));
    }
}
