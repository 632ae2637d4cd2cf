<?php

declare(strict_types=1);

namespace B24xero\Sync\Tests\Integration;

use B24xero\Sync\ChangeFeed\Handlers;
use B24xero\Sync\Install\HandlerRegistration;
use B24xero\Sync\Install\InstallError;
use B24xero\Sync\Install\Installer;
use B24xero\Sync\Module;
use B24xero\Sync\Tests\FixtureDatabase;
use B24xero\Sync\Tests\RecordingInstallApi;
use PHPUnit\Framework\TestCase;

/**
 * The installer against a recording stand-in of Bitrix's install API, with the SQL half (migrations, scan indexes)
 * on a real fixture portal (without the module's fields, as before an install).
 */
final class InstallerTest extends TestCase
{
    private const AGENT = '\\B24xero\\Sync\\Inbox\\Agent::run();';
    private const MODULE_TABLES = [
        'b_b24xero_change', 'b_b24xero_contact_name', 'b_b24xero_contact_seen', 'b_b24xero_cursor', 'b_b24xero_governor', 'b_b24xero_inbox', 'b_b24xero_inbox_result', 'b_b24xero_invoice_seen',
        'b_b24xero_link', 'b_b24xero_migration', 'b_b24xero_org_cache', 'b_b24xero_record_error', 'b_b24xero_run',
        'b_b24xero_token', 'b_b24xero_transaction', 'b_b24xero_webhook_event',
    ];

    private static FixtureDatabase $portal;

    public static function setUpBeforeClass(): void
    {
        self::$portal = FixtureDatabase::create('installer', ['--no-module-fields']);
    }

    public static function tearDownAfterClass(): void
    {
        self::$portal->drop();
    }

    private function installer(RecordingInstallApi $api): Installer
    {
        return new Installer($api, Module::sqlDir(), static fn (): string => '2026-12-03');
    }

    /** Every module field as CUserTypeEntity::Add receives it: entity, name, type, SORT, XML_ID, SHOW_FILTER, EDIT_IN_LIST, SETTINGS, en, ru. */
    private static function expectedFields(): array
    {
        $bool = ['DEFAULT_VALUE' => 1, 'DISPLAY' => 'CHECKBOX', 'LABEL' => ['', ''], 'LABEL_CHECKBOX' => ''];
        $string = ['SIZE' => 20, 'ROWS' => 1, 'REGEXP' => '', 'MIN_LENGTH' => 0, 'MAX_LENGTH' => 0, 'DEFAULT_VALUE' => ''];
        $double = ['PRECISION' => 2, 'SIZE' => 20, 'MIN_VALUE' => 0.0, 'MAX_VALUE' => 0.0, 'DEFAULT_VALUE' => null];
        $invoice = static fn (string $entity): array => [
            [$entity, 'UF_CRM_XERO_SYNC', 'boolean', 100, 'XERO_SYNC', 'I', 'Y', $bool, 'Sync with Xero', 'Синхронизировать с Xero'],
            [$entity, 'UF_CRM_XERO_STATUS', 'string', 110, 'XERO_STATUS', 'I', 'N', $string, 'Xero status', 'Статус в Xero'],
            [$entity, 'UF_CRM_XERO_URL', 'string', 120, 'XERO_URL', 'N', 'N', $string, 'Xero online invoice', 'Счёт онлайн в Xero'],
            [$entity, 'UF_CRM_XERO_AMOUNT_DUE', 'double', 130, 'XERO_AMOUNT_DUE', 'N', 'N', $double, 'Amount due in Xero', 'К оплате в Xero'],
            [$entity, 'UF_CRM_XERO_REFERENCE', 'string', 140, 'XERO_REFERENCE', 'S', 'N', $string, 'Xero reference', 'Референс в Xero'],
        ];
        $party = static fn (string $entity): array => [
            [$entity, 'UF_CRM_XERO_ID', 'string', 100, 'XERO_ID', 'I', 'N', $string, 'Xero contact id', 'ID контакта в Xero'],
            [$entity, 'UF_CRM_XERO_STATUS', 'string', 110, 'XERO_CONTACT_STATUS', 'I', 'N', $string, 'Xero contact status', 'Статус контакта в Xero'],
        ];
        $rows = [...$invoice('CRM_INVOICE'), ...$party('CRM_CONTACT'), ...$party('CRM_COMPANY'), ...$invoice('CRM_SMART_INVOICE')];
        return array_map(static fn (array $r): array => [
            'ENTITY_ID' => $r[0], 'FIELD_NAME' => $r[1], 'USER_TYPE_ID' => $r[2], 'XML_ID' => $r[4], 'SORT' => $r[3],
            'MULTIPLE' => 'N', 'MANDATORY' => 'N', 'SHOW_FILTER' => $r[5], 'SHOW_IN_LIST' => 'Y', 'EDIT_IN_LIST' => $r[6],
            'IS_SEARCHABLE' => 'N', 'SETTINGS' => $r[7],
            'EDIT_FORM_LABEL' => ['en' => $r[8], 'ru' => $r[9]],
            'LIST_COLUMN_LABEL' => ['en' => $r[8], 'ru' => $r[9]],
            'LIST_FILTER_LABEL' => ['en' => $r[8], 'ru' => $r[9]],
        ], $rows);
    }

    /** @return list<array{0: string, 1: string, 2: string, 3: int}> from-module, event, method, version */
    private static function expectedHandlers(): array
    {
        return [
            ['crm', 'onCrmDynamicItemAdd_31', 'onSmartInvoiceAdd', 2],
            ['crm', 'onCrmDynamicItemUpdate_31', 'onSmartInvoiceUpdate', 2],
            ['crm', 'onCrmDynamicItemDelete_31', 'onSmartInvoiceDelete', 2],
            ['crm', 'OnAfterCrmInvoiceAdd', 'onInvoiceAdd', 1],
            ['crm', 'OnAfterCrmInvoiceUpdate', 'onInvoiceUpdate', 1],
            ['crm', 'OnAfterCrmInvoiceSetStatus', 'onInvoiceSetStatus', 1],
            ['crm', 'OnAfterCrmInvoiceDelete', 'onInvoiceDelete', 1],
            ['crm', 'OnAfterCrmContactAdd', 'onContactAdd', 1],
            ['crm', 'OnAfterCrmContactUpdate', 'onContactUpdate', 1],
            ['crm', 'OnAfterCrmContactDelete', 'onContactDelete', 1],
            ['crm', 'OnAfterCrmCompanyAdd', 'onCompanyAdd', 1],
            ['crm', 'OnAfterCrmCompanyUpdate', 'onCompanyUpdate', 1],
            ['crm', 'OnAfterCrmCompanyDelete', 'onCompanyDelete', 1],
            ['iblock', 'OnAfterIBlockElementAdd', 'onElementAdd', 1],
            ['iblock', 'OnAfterIBlockElementUpdate', 'onElementUpdate', 1],
            ['iblock', 'OnAfterIBlockElementDelete', 'onElementDelete', 1],
            ['catalog', 'OnProductAdd', 'onCatalogProductSave', 1],
            ['catalog', 'OnProductUpdate', 'onCatalogProductSave', 1],
            ['catalog', 'OnPriceAdd', 'onPriceSave', 1],
            ['catalog', 'OnPriceUpdate', 'onPriceSave', 1],
            ['crm', 'onEntityDetailsTabsInitialized', 'onTabsInitialized', 2],
        ];
    }

    public function testAFirstInstallCreatesTablesFieldsHandlersAgentOptionsIndexesAndRegistersTheModuleLast(): RecordingInstallApi
    {
        $api = new RecordingInstallApi(self::$portal->db);
        $report = $this->installer($api)->install(true);

        self::assertSame(self::expectedFields(), $api->argsOf('addUserField'));
        $registered = array_map(static fn (HandlerRegistration $h): array => [$h->fromModule, $h->event, $h->method, $h->version], $api->argsOf('registerHandler'));
        self::assertSame(self::expectedHandlers(), $registered);
        foreach ($api->argsOf('registerHandler') as $h) {
            $class = $h->event === 'onEntityDetailsTabsInitialized' ? \B24xero\Sync\Crm\DetailTab::class : Handlers::class;
            self::assertSame([Module::ID, $class, 100], [$h->toModule, $h->class, $h->sort]);
            self::assertTrue(method_exists($h->class, $h->method), "{$h->class}::{$h->method} exists");
        }
        self::assertSame([[self::AGENT, 'b24xero.sync', 60]], $api->argsOf('addAgent'));
        self::assertSame([['b24xero.sync', 'start_date', '2026-12-03'], ['b24xero.sync', 'scan_indexes', 'Y']], $api->argsOf('setOption'));
        self::assertSame('registerModule', array_slice($api->callNames(), -1)[0]);
        self::assertNotContains('createSmartInvoiceType', $api->callNames());

        self::assertSame(self::MODULE_TABLES, $this->moduleTables());
        // Every sql/NNN_*.sql file, whichever numbers the owners have landed.
        self::assertSame((string) count(glob(dirname(__DIR__, 3) . '/sql/[0-9][0-9][0-9]_*.sql')), self::$portal->value('SELECT COUNT(*) FROM b_b24xero_migration'));
        self::assertSame(['b_crm_dynamic_items_31.IX_B24XERO_UPDATED_TIME_ID', 'b_crm_contact.IX_B24XERO_DATE_MODIFY_ID', 'b_crm_company.IX_B24XERO_DATE_MODIFY_ID'], $this->indexes());
        self::assertContains('TABLES_CREATED', $report->codes());
        self::assertContains('INDEXES_ADDED', $report->codes());
        // The admin pages' proxies reach /bitrix/admin/, where Bitrix serves admin pages.
        self::assertSame(['b24xero_sync_dashboard.php', 'b24xero_sync_invoice.php', 'b24xero_sync_product.php'], array_keys($api->adminPages));
        self::assertContains('ADMIN_PAGES_INSTALLED', $report->codes());
        return $api;
    }

    /** @depends testAFirstInstallCreatesTablesFieldsHandlersAgentOptionsIndexesAndRegistersTheModuleLast */
    public function testASecondInstallChangesNothing(RecordingInstallApi $api): RecordingInstallApi
    {
        $api->calls = [];
        $report = $this->installer($api)->install(true);
        self::assertSame([], $api->calls);
        self::assertSame(['TABLES_CURRENT', 'START_DATE_KEPT'], $report->codes());
        return $api;
    }

    /** @depends testASecondInstallChangesNothing */
    public function testUninstallKeepingDataRemovesHandlersAgentAndRegistrationOnly(RecordingInstallApi $api): RecordingInstallApi
    {
        $api->calls = [];
        $this->installer($api)->uninstall(false);
        self::assertCount(21, $api->argsOf('unregisterHandler'));
        self::assertSame([[self::AGENT, 'b24xero.sync']], $api->argsOf('removeAgent'));
        self::assertSame([], $api->adminPages, 'the admin pages go with the module');
        self::assertSame(['b24xero.sync'], $api->argsOf('unregisterModule'));
        self::assertSame([], $api->argsOf('deleteUserField'));
        self::assertSame([], $api->argsOf('deleteOptions'));
        self::assertSame([], $api->handlers);
        self::assertCount(14, $api->userFields);
        self::assertSame('2026-12-03', $api->getOption('b24xero.sync', 'start_date'));
        // Every sql/NNN_*.sql file, whichever numbers the owners have landed.
        self::assertSame((string) count(glob(dirname(__DIR__, 3) . '/sql/[0-9][0-9][0-9]_*.sql')), self::$portal->value('SELECT COUNT(*) FROM b_b24xero_migration'));
        self::assertCount(3, $this->indexes());
        return $api;
    }

    /** @depends testUninstallKeepingDataRemovesHandlersAgentAndRegistrationOnly */
    public function testReinstallAfterKeepingDataReusesFieldsTablesAndTheStartDate(RecordingInstallApi $api): RecordingInstallApi
    {
        $api->calls = [];
        $this->installer($api)->install(true);
        self::assertSame([], $api->argsOf('addUserField'));
        self::assertCount(21, $api->argsOf('registerHandler'));
        self::assertSame([[self::AGENT, 'b24xero.sync', 60]], $api->argsOf('addAgent'));
        self::assertSame([], $api->argsOf('setOption'));
        self::assertSame(['registerModule'], array_values(array_diff($api->callNames(), ['registerHandler', 'addAgent', 'installAdminPage'])));
        return $api;
    }

    /** @depends testReinstallAfterKeepingDataReusesFieldsTablesAndTheStartDate */
    public function testUninstallRemovingEverythingDeletesFieldsIndexesTablesAndSettings(RecordingInstallApi $api): void
    {
        $api->calls = [];
        $report = $this->installer($api)->uninstall(true);
        self::assertCount(14, $api->argsOf('deleteUserField'));
        self::assertSame([], $api->userFields);
        self::assertSame(['b24xero.sync'], $api->argsOf('deleteOptions'));
        self::assertSame(['b24xero.sync'], $api->argsOf('unregisterModule'));
        self::assertSame([], $this->indexes());
        self::assertSame([], $this->moduleTables());
        self::assertNotNull(self::$portal->value('SELECT COUNT(*) FROM b_crm_dynamic_items_31'), 'crm tables are untouched');
        self::assertContains('TABLES_DROPPED', $report->codes());

        // A fresh install without the optional indexes afterwards: tables again, no index, the choice remembered.
        $fresh = new RecordingInstallApi(self::$portal->db);
        $this->installer($fresh)->install(false);
        self::assertSame([], $this->indexes());
        self::assertSame('N', $fresh->getOption('b24xero.sync', 'scan_indexes'));
        // Every sql/NNN_*.sql file, whichever numbers the owners have landed.
        self::assertSame((string) count(glob(dirname(__DIR__, 3) . '/sql/[0-9][0-9][0-9]_*.sql')), self::$portal->value('SELECT COUNT(*) FROM b_b24xero_migration'));
    }

    public function testMakesTheMissingSmartInvoiceTypeThroughCrmBeforeAddingItsFields(): void
    {
        $api = new RecordingInstallApi(self::$portal->db);
        $api->smartInvoiceType = false;
        $report = $this->installer($api)->install(false);
        $names = $api->callNames();
        $created = array_search('createSmartInvoiceType', $names, true);
        self::assertNotFalse($created);
        $firstSmartField = null;
        foreach ($api->calls as $i => [$name, $args]) {
            if ($name === 'addUserField' && $args['ENTITY_ID'] === 'CRM_SMART_INVOICE') {
                $firstSmartField ??= $i;
            }
        }
        self::assertGreaterThan($created, $firstSmartField);
        self::assertContains('SMART_TYPE_CREATED', $report->codes());
        self::assertCount(14, $api->argsOf('addUserField'));
    }

    public function testDefersTheSmartInvoiceFieldsWhenCrmCannotMakeTheTypeAndAddsThemOnceItExists(): void
    {
        $api = new RecordingInstallApi(self::$portal->db);
        $api->smartInvoiceType = false;
        $api->smartInvoiceTypeCreatable = false;
        $installer = $this->installer($api);
        $report = $installer->install(true);
        $entities = array_unique(array_map(static fn (array $f) => $f['ENTITY_ID'], $api->argsOf('addUserField')));
        self::assertSame(['CRM_INVOICE', 'CRM_CONTACT', 'CRM_COMPANY'], array_values($entities));
        self::assertContains([Installer::DEFERRED_FIELDS_AGENT, 'b24xero.sync', 3600], $api->argsOf('addAgent'));
        self::assertContains('SMART_FIELDS_DEFERRED', $report->codes());
        self::assertFalse($installer->ensureSmartInvoiceFields(), 'still no type: the agent keeps waiting');

        $api->smartInvoiceTypeCreatable = true; // someone opened smart invoices, or crm's agent ran
        $api->calls = [];
        self::assertTrue($installer->ensureSmartInvoiceFields());
        self::assertSame(array_fill(0, 5, 'CRM_SMART_INVOICE'), array_map(static fn (array $f) => $f['ENTITY_ID'], $api->argsOf('addUserField')));

        $api->calls = [];
        $this->installer($api)->install(true);
        self::assertSame([[Installer::DEFERRED_FIELDS_AGENT, 'b24xero.sync']], $api->argsOf('removeAgent'));
        self::assertSame([], $api->argsOf('addUserField'));
    }

    public function testRefusesToInstallWithoutCrmAndChangesNothing(): void
    {
        $api = new RecordingInstallApi(self::$portal->db);
        unset($api->modules['crm']);
        try {
            $this->installer($api)->install(true);
            self::fail('installed without crm');
        } catch (InstallError $e) {
            self::assertSame('REQUIRES_CRM', $e->reportCode);
        }
        self::assertSame([], $api->calls);
    }

    public function testStopsWithAClearErrorWhenAFieldOfTheSameNameHasAnotherType(): void
    {
        $api = new RecordingInstallApi(self::$portal->db);
        $api->userFields[99] = ['ID' => '99', 'ENTITY_ID' => 'CRM_CONTACT', 'FIELD_NAME' => 'UF_CRM_XERO_ID', 'USER_TYPE_ID' => 'enumeration'];
        try {
            $this->installer($api)->install(false);
            self::fail('installed over a field of another type');
        } catch (InstallError $e) {
            self::assertSame('FIELD_TYPE_CONFLICT', $e->reportCode);
            self::assertStringContainsString('CRM_CONTACT already has a field UF_CRM_XERO_ID of type enumeration', $e->getMessage());
        }
        self::assertNotContains('registerModule', $api->callNames());
    }

    public function testUpdatesAFieldWhoseLabelsOrSettingsDifferAndKeepsTheStartDateAnAdminSet(): void
    {
        $api = new RecordingInstallApi(self::$portal->db);
        $installer = $this->installer($api);
        $installer->install(false);
        $status = $api->findUserField('CRM_INVOICE', 'UF_CRM_XERO_STATUS');
        $api->userFields[(int)$status['ID']]['EDIT_FORM_LABEL']['ru'] = 'Старое название';
        $api->userFields[(int)$status['ID']]['EDIT_IN_LIST'] = 'Y';
        $api->options['b24xero.sync']['start_date'] = '2025-01-01';
        $api->calls = [];
        $report = $installer->install(false);
        self::assertSame(['updateUserField'], $api->callNames());
        [$id, $fields] = $api->argsOf('updateUserField')[0];
        self::assertSame((int)$status['ID'], $id);
        self::assertSame('N', $fields['EDIT_IN_LIST']);
        self::assertSame('Статус в Xero', $fields['EDIT_FORM_LABEL']['ru']);
        self::assertArrayNotHasKey('USER_TYPE_ID', $fields);
        self::assertContains('START_DATE_KEPT', $report->codes());
        self::assertSame('2025-01-01', $api->getOption('b24xero.sync', 'start_date'));
    }

    public function testRemovesAHandlerAnOlderVersionRegisteredThatThisOneNoLongerHas(): void
    {
        $api = new RecordingInstallApi(self::$portal->db);
        $this->installer($api)->install(false);
        $stale = new HandlerRegistration('crm', 'OnAfterCrmDealUpdate', Module::ID, Handlers::class, 'onDealUpdate', 1);
        $api->handlers[$stale->key()] = $stale;
        $api->calls = [];
        $this->installer($api)->install(false);
        self::assertSame([$stale], $api->argsOf('unregisterHandler'));
        self::assertSame(['unregisterHandler'], $api->callNames());
    }

    /** @return list<string> */
    private function moduleTables(): array
    {
        return array_column(self::$portal->db->fetchAll(
            "SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE 'b\\_b24xero\\_%' ORDER BY TABLE_NAME",
        ), 't');
    }

    /** @return list<string> */
    private function indexes(): array
    {
        $rows = self::$portal->db->fetchAll(
            "SELECT DISTINCT TABLE_NAME AS t, INDEX_NAME AS i FROM information_schema.STATISTICS
             WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE 'b\\_crm\\_%' AND INDEX_NAME LIKE 'IX\\_B24XERO\\_%'
             ORDER BY FIELD(TABLE_NAME, 'b_crm_dynamic_items_31', 'b_crm_contact', 'b_crm_company')",
        );
        return array_map(static fn (array $r): string => $r['t'] . '.' . $r['i'], $rows);
    }
}
