<?php

declare(strict_types=1);

namespace B24xero\Sync\Install;

use B24xero\Sync\Db\MigrationError;
use B24xero\Sync\Db\Migrator;
use B24xero\Sync\Module;

/**
 * Install, update and uninstall of b24xero.sync. Every step first looks at what is there and changes only what
 * differs (create if missing, update if different), so installing twice, or over a half-finished install, changes
 * nothing more than needed; the module is registered last, so a failed install never shows as installed.
 */
final class Installer
{
    /** The applier: every minute, counted from the end of the previous run. */
    public const APPLIER_AGENT = '\\B24xero\\Sync\\Inbox\\Agent::run();';
    public const APPLIER_INTERVAL = 60;

    /** Retries the smart-invoice fields hourly while crm has no smart-invoice type yet. */
    public const DEFERRED_FIELDS_AGENT = '\\B24xero\\Sync\\Install\\DeferredFieldsAgent::run();';
    public const DEFERRED_FIELDS_INTERVAL = 3600;

    public const OPTION_START_DATE = 'start_date';
    /** 'Y' when the admin asked for the scan indexes, so the deferred path adds the smart-invoice one later. */
    public const OPTION_SCAN_INDEXES = 'scan_indexes';

    /** @var \Closure(): string */
    private readonly \Closure $today;

    /** @param (\Closure(): string)|null $today the install day, 'YYYY-MM-DD' (default: today on this server) */
    public function __construct(
        private readonly InstallApi $api,
        private readonly string $sqlDir,
        ?\Closure $today = null,
    ) {
        $this->today = $today ?? static fn (): string => date('Y-m-d');
    }

    /** @throws InstallError */
    public function install(bool $scanIndexes): InstallReport
    {
        $report = new InstallReport();
        if (!$this->api->isModuleInstalled('crm')) {
            throw new InstallError('REQUIRES_CRM', 'b24xero.sync needs the crm module');
        }
        $this->migrate($report);
        $smartReady = $this->ensureSmartInvoiceType($report);
        foreach ([UserFields::LEGACY_INVOICE, UserFields::CONTACT, UserFields::COMPANY] as $entityId) {
            $this->ensureFields($entityId, $report);
        }
        if ($smartReady) {
            $this->ensureFields(UserFields::SMART_INVOICE, $report);
            $this->removeAgentIfPresent(self::DEFERRED_FIELDS_AGENT);
        } else {
            $this->ensureAgent(self::DEFERRED_FIELDS_AGENT, self::DEFERRED_FIELDS_INTERVAL, $report);
            $report->warn('SMART_FIELDS_DEFERRED');
        }
        $this->ensureHandlers($report);
        $this->ensureAgent(self::APPLIER_AGENT, self::APPLIER_INTERVAL, $report);
        $this->ensureStartDate($report);
        $this->ensureOption(self::OPTION_SCAN_INDEXES, $scanIndexes ? 'Y' : 'N');
        if ($scanIndexes) {
            $this->addScanIndexes($report);
        }
        $pages = $this->api->installAdminPages(Module::dir() . '/install/admin');
        if ($pages > 0) {
            $report->add('ADMIN_PAGES_INSTALLED', ['count' => $pages]);
        }
        if (!$this->api->isModuleInstalled(Module::ID)) {
            $this->api->registerModule(Module::ID);
            $report->add('MODULE_REGISTERED');
        }
        return $report;
    }

    /**
     * "Keep data" (the default) removes what makes the module act — handlers, agents, registration — and leaves its
     * tables, the user fields with their values and the settings, so a reinstall carries on where it stopped.
     * "Remove everything" also deletes the fields (with their values), the scan indexes, the b_b24xero_* tables and
     * the settings.
     */
    public function uninstall(bool $removeData): InstallReport
    {
        $report = new InstallReport();
        $handlers = $this->api->handlersOf(Module::ID);
        foreach ($handlers as $handler) {
            $this->api->unregisterHandler($handler);
        }
        if ($handlers !== []) {
            $report->add('HANDLERS_REMOVED', ['count' => count($handlers)]);
        }
        foreach ([self::APPLIER_AGENT, self::DEFERRED_FIELDS_AGENT] as $agent) {
            if ($this->removeAgentIfPresent($agent)) {
                $report->add('AGENT_REMOVED', ['name' => $agent]);
            }
        }
        $pages = $this->api->uninstallAdminPages(Module::dir() . '/install/admin');
        if ($pages > 0) {
            $report->add('ADMIN_PAGES_REMOVED', ['count' => $pages]);
        }
        if ($removeData) {
            $this->removeData($report);
        } else {
            $report->add('DATA_KEPT');
        }
        if ($this->api->isModuleInstalled(Module::ID)) {
            $this->api->unregisterModule(Module::ID);
            $report->add('MODULE_UNREGISTERED');
        }
        return $report;
    }

    /**
     * The deferred half of an install on a portal whose smart-invoice type did not exist yet: true once the fields
     * (and, when asked for, the scan index) are in place.
     */
    public function ensureSmartInvoiceFields(): bool
    {
        $report = new InstallReport();
        if (!$this->ensureSmartInvoiceType($report)) {
            return false;
        }
        $this->ensureFields(UserFields::SMART_INVOICE, $report);
        if ($this->api->getOption(Module::ID, self::OPTION_SCAN_INDEXES) === 'Y') {
            $this->addScanIndexes($report);
        }
        return true;
    }

    private function migrate(InstallReport $report): void
    {
        try {
            $applied = (new Migrator($this->api->database(), $this->sqlDir))->migrate();
        } catch (MigrationError $e) {
            throw new InstallError('MIGRATION_FAILED', $e->getMessage(), ['error' => $e->getMessage()], $e);
        }
        if ($applied === []) {
            $report->add('TABLES_CURRENT');
        } else {
            $report->add('TABLES_CREATED', ['files' => implode(', ', $applied)]);
        }
    }

    /**
     * A fresh portal has no smart-invoice type until someone opens smart invoices (or crm's own agent runs): we make
     * it the way crm does, through its factory, so our fields can go on the items table. If crm cannot, the fields
     * wait for DeferredFieldsAgent.
     */
    private function ensureSmartInvoiceType(InstallReport $report): bool
    {
        if ($this->api->smartInvoiceTypeExists()) {
            return true;
        }
        try {
            $this->api->createSmartInvoiceType();
        } catch (\Throwable $e) {
            $report->warn('SMART_TYPE_FAILED', ['error' => $e->getMessage()]);
            return false;
        }
        if (!$this->api->smartInvoiceTypeExists()) {
            return false;
        }
        $report->add('SMART_TYPE_CREATED');
        return true;
    }

    private function ensureFields(string $entityId, InstallReport $report): void
    {
        foreach (UserFields::forEntity($entityId) as $spec) {
            $stored = $this->api->findUserField($spec->entityId, $spec->fieldName);
            if ($stored === null) {
                $this->api->addUserField($spec->toAddFields());
                $report->add('FIELD_ADDED', ['entity' => $spec->entityId, 'field' => $spec->fieldName]);
                continue;
            }
            if (($stored['USER_TYPE_ID'] ?? '') !== $spec->userTypeId) {
                throw new InstallError('FIELD_TYPE_CONFLICT', sprintf(
                    '%s already has a field %s of type %s; b24xero.sync needs it to be %s (rename or delete that field, then install again)',
                    $spec->entityId,
                    $spec->fieldName,
                    (string)($stored['USER_TYPE_ID'] ?? '?'),
                    $spec->userTypeId,
                ), ['entity' => $spec->entityId, 'field' => $spec->fieldName, 'type' => (string)($stored['USER_TYPE_ID'] ?? '?'), 'wanted' => $spec->userTypeId]);
            }
            if (!$spec->matches($stored)) {
                $this->api->updateUserField((int)$stored['ID'], $spec->toUpdateFields());
                $report->add('FIELD_UPDATED', ['entity' => $spec->entityId, 'field' => $spec->fieldName]);
            }
        }
    }

    /** Registers the handlers that are missing and removes ours that an older version registered and this one does not. */
    private function ensureHandlers(InstallReport $report): void
    {
        $wanted = [];
        foreach (EventHandlers::all() as $handler) {
            $wanted[$handler->key()] = $handler;
        }
        $present = [];
        foreach ($this->api->handlersOf(Module::ID) as $handler) {
            if (isset($wanted[$handler->key()])) {
                $present[$handler->key()] = true;
            } else {
                $this->api->unregisterHandler($handler);
                $report->add('HANDLER_REMOVED', ['event' => $handler->fromModule . ':' . $handler->event]);
            }
        }
        $added = 0;
        foreach ($wanted as $key => $handler) {
            if (!isset($present[$key])) {
                $this->api->registerHandler($handler);
                $added++;
            }
        }
        if ($added > 0) {
            $report->add('HANDLERS_REGISTERED', ['count' => $added]);
        }
    }

    private function ensureAgent(string $name, int $interval, InstallReport $report): void
    {
        if (!$this->api->agentExists($name, Module::ID)) {
            $this->api->addAgent($name, Module::ID, $interval);
            $report->add('AGENT_ADDED', ['name' => $name, 'interval' => $interval]);
        }
    }

    private function removeAgentIfPresent(string $name): bool
    {
        if (!$this->api->agentExists($name, Module::ID)) {
            return false;
        }
        $this->api->removeAgent($name, Module::ID);
        return true;
    }

    /** Ongoing sync starts at the install day unless an admin (or an earlier install) set another start line. */
    private function ensureStartDate(InstallReport $report): void
    {
        $current = $this->api->getOption(Module::ID, self::OPTION_START_DATE);
        if ($current === null || $current === '') {
            $today = ($this->today)();
            $this->api->setOption(Module::ID, self::OPTION_START_DATE, $today);
            $report->add('START_DATE_SET', ['date' => $today]);
        } else {
            $report->add('START_DATE_KEPT', ['date' => $current]);
        }
    }

    private function ensureOption(string $name, string $value): void
    {
        if ($this->api->getOption(Module::ID, $name) !== $value) {
            $this->api->setOption(Module::ID, $name, $value);
        }
    }

    private function addScanIndexes(InstallReport $report): void
    {
        $created = (new ScanIndexes($this->api->database()))->add();
        if ($created !== []) {
            $report->add('INDEXES_ADDED', ['indexes' => implode(', ', $created)]);
        }
    }

    private function removeData(InstallReport $report): void
    {
        foreach (UserFields::all() as $spec) {
            $stored = $this->api->findUserField($spec->entityId, $spec->fieldName);
            if ($stored !== null) {
                $this->api->deleteUserField((int)$stored['ID']);
                $report->add('FIELD_DELETED', ['entity' => $spec->entityId, 'field' => $spec->fieldName]);
            }
        }
        $db = $this->api->database();
        $dropped = (new ScanIndexes($db))->drop();
        if ($dropped !== []) {
            $report->add('INDEXES_DROPPED', ['indexes' => implode(', ', $dropped)]);
        }
        $tables = [];
        foreach ((new Migrator($db, $this->sqlDir))->moduleTables() as $table) {
            if ($db->fetchAll('SELECT 1 AS x FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?', [$table]) !== []) {
                $db->execute('DROP TABLE ' . $table);
                $tables[] = $table;
            }
        }
        if ($tables !== []) {
            $report->add('TABLES_DROPPED', ['tables' => implode(', ', $tables)]);
        }
        $this->api->deleteOptions(Module::ID);
        $report->add('OPTIONS_DELETED');
    }
}
