<?php

declare(strict_types=1);

namespace B24xero\Sync\Install;

use B24xero\Sync\Db\Database;

/**
 * The part of Bitrix the installer needs, narrow enough for a recording stand-in in the tests. The production
 * implementation (Crm\BitrixInstallApi) calls ModuleManager, EventManager, CAgent, CUserTypeEntity, Option and crm's
 * smart-invoice factory; nothing else in the installer touches Bitrix.
 */
interface InstallApi
{
    public function isModuleInstalled(string $moduleId): bool;

    public function registerModule(string $moduleId): void;

    public function unregisterModule(string $moduleId): void;

    /** Every handler registered with TO_MODULE_ID = $moduleId. @return list<HandlerRegistration> */
    public function handlersOf(string $moduleId): array;

    /** registerEventHandler (version 2) or registerEventHandlerCompatible (version 1). */
    public function registerHandler(HandlerRegistration $handler): void;

    public function unregisterHandler(HandlerRegistration $handler): void;

    public function agentExists(string $name, string $moduleId): bool;

    /** A non-periodic agent (IS_PERIOD 'N'): the next run is $intervalSeconds after the previous one ended. */
    public function addAgent(string $name, string $moduleId, int $intervalSeconds): void;

    public function removeAgent(string $name, string $moduleId): void;

    /**
     * The field as CUserTypeEntity::GetByID returns it (SETTINGS unserialized, labels as [label => [lang => text]]),
     * or null when the entity has no field of that name.
     * @return array<string, mixed>|null
     */
    public function findUserField(string $entityId, string $fieldName): ?array;

    /** CUserTypeEntity::Add; the storage column is created by Bitrix. @param array<string, mixed> $fields */
    public function addUserField(array $fields): int;

    /** CUserTypeEntity::Update (type, entity and name never change). @param array<string, mixed> $fields */
    public function updateUserField(int $id, array $fields): void;

    /** CUserTypeEntity::Delete: metadata, values and the storage column. */
    public function deleteUserField(int $id): void;

    public function getOption(string $moduleId, string $name): ?string;

    public function setOption(string $moduleId, string $name, string $value): void;

    public function deleteOptions(string $moduleId): void;

    /** Whether crm's smart-invoice type (entity type 31) and its items table exist yet. */
    public function smartInvoiceTypeExists(): bool;

    /**
     * Creates the smart-invoice type the way crm does on first use (Factory\SmartInvoice::createTypeIfNotExists(), the
     * call crm's own installer schedules as an agent): type row, items table, default category and stages.
     */
    public function createSmartInvoiceType(): void;

    /**
     * Copies the module's admin page proxies (install/admin/*.php) into the portal's /bitrix/admin/, where Bitrix serves
     * admin pages; a file already there with the same content is left alone. @return int files written
     */
    public function installAdminPages(string $fromDir): int;

    /** Removes from /bitrix/admin/ the proxies of $fromDir. @return int files removed */
    public function uninstallAdminPages(string $fromDir): int;

    /** The portal's database, on the connection Bitrix itself uses. */
    public function database(): Database;
}
