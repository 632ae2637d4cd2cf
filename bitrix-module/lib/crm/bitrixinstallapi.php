<?php

declare(strict_types=1);

namespace B24xero\Sync\Crm;

use B24xero\Sync\Db\Database;
use B24xero\Sync\Install\HandlerRegistration;
use B24xero\Sync\Install\InstallApi;
use Bitrix\Main\Config\Option;
use Bitrix\Main\EventManager;
use Bitrix\Main\Loader;
use Bitrix\Main\ModuleManager;

/** InstallApi on Bitrix's own install API (main 23.x, crm 23.x). */
final class BitrixInstallApi implements InstallApi
{
    private const SMART_INVOICE = 31;

    public function __construct(private readonly BitrixDatabase $db)
    {
    }

    public function isModuleInstalled(string $moduleId): bool
    {
        return ModuleManager::isModuleInstalled($moduleId);
    }

    public function registerModule(string $moduleId): void
    {
        ModuleManager::registerModule($moduleId);
    }

    public function unregisterModule(string $moduleId): void
    {
        // Also deletes the module's agents and group rights.
        ModuleManager::unRegisterModule($moduleId);
    }

    public function handlersOf(string $moduleId): array
    {
        $rows = $this->db->fetchAll(
            'SELECT FROM_MODULE_ID, MESSAGE_ID, TO_MODULE_ID, TO_CLASS, TO_METHOD, VERSION, SORT FROM b_module_to_module
             WHERE TO_MODULE_ID = ? ORDER BY ID',
            [$moduleId],
        );
        return array_map(static fn (array $r): HandlerRegistration => new HandlerRegistration(
            (string)$r['FROM_MODULE_ID'],
            (string)$r['MESSAGE_ID'],
            (string)$r['TO_MODULE_ID'],
            (string)$r['TO_CLASS'],
            (string)$r['TO_METHOD'],
            (int)$r['VERSION'] === 2 ? 2 : 1,
            (int)$r['SORT'],
        ), $rows);
    }

    public function registerHandler(HandlerRegistration $handler): void
    {
        $events = EventManager::getInstance();
        $args = [$handler->fromModule, $handler->event, $handler->toModule, $handler->class, $handler->method, $handler->sort];
        if ($handler->version === 2) {
            $events->registerEventHandler(...$args);
        } else {
            $events->registerEventHandlerCompatible(...$args);
        }
    }

    public function unregisterHandler(HandlerRegistration $handler): void
    {
        EventManager::getInstance()->unRegisterEventHandler(
            $handler->fromModule,
            $handler->event,
            $handler->toModule,
            $handler->class,
            $handler->method,
        );
    }

    public function agentExists(string $name, string $moduleId): bool
    {
        // CAgent::AddAgent looks agents up by NAME and USER_ID the same way.
        return $this->db->fetchAll(
            'SELECT ID FROM b_agent WHERE NAME = ? AND MODULE_ID = ? AND USER_ID IS NULL',
            [$name, $moduleId],
        ) !== [];
    }

    public function addAgent(string $name, string $moduleId, int $intervalSeconds): void
    {
        $id = \CAgent::AddAgent($name, $moduleId, 'N', $intervalSeconds, '', 'Y', '', 100, false, false);
        if (!$id) {
            throw new \RuntimeException("CAgent::AddAgent refused {$name}: " . self::lastError());
        }
    }

    public function removeAgent(string $name, string $moduleId): void
    {
        \CAgent::RemoveAgent($name, $moduleId);
    }

    public function findUserField(string $entityId, string $fieldName): ?array
    {
        $field = \CUserTypeEntity::GetList([], ['ENTITY_ID' => $entityId, 'FIELD_NAME' => $fieldName])->Fetch();
        if (!$field) {
            return null;
        }
        // b_user_field_lang directly: CUserTypeEntity::GetByID caches per request and would hide our own update.
        foreach ($this->db->fetchAll('SELECT * FROM b_user_field_lang WHERE USER_FIELD_ID = ?', [(int)$field['ID']]) as $lang) {
            foreach (['EDIT_FORM_LABEL', 'LIST_COLUMN_LABEL', 'LIST_FILTER_LABEL', 'ERROR_MESSAGE', 'HELP_MESSAGE'] as $label) {
                $field[$label][$lang['LANGUAGE_ID']] = $lang[$label];
            }
        }
        return $field;
    }

    public function addUserField(array $fields): int
    {
        $id = (new \CUserTypeEntity())->Add($fields);
        if (!$id) {
            throw new \RuntimeException("cannot add {$fields['ENTITY_ID']}.{$fields['FIELD_NAME']}: " . self::lastError());
        }
        return (int)$id;
    }

    public function updateUserField(int $id, array $fields): void
    {
        if (!(new \CUserTypeEntity())->Update($id, $fields)) {
            throw new \RuntimeException("cannot update user field {$id}: " . self::lastError());
        }
    }

    public function deleteUserField(int $id): void
    {
        if (!(new \CUserTypeEntity())->Delete($id)) {
            throw new \RuntimeException("cannot delete user field {$id}: " . self::lastError());
        }
    }

    public function getOption(string $moduleId, string $name): ?string
    {
        // getRealValue: what is stored, without default_option.php, so "unset" can be told from a default.
        $value = Option::getRealValue($moduleId, $name);
        return $value === null ? null : (string)$value;
    }

    public function setOption(string $moduleId, string $name, string $value): void
    {
        Option::set($moduleId, $name, $value);
    }

    public function deleteOptions(string $moduleId): void
    {
        Option::delete($moduleId);
    }

    public function smartInvoiceTypeExists(): bool
    {
        if (!Loader::includeModule('crm')) {
            return false;
        }
        $type = \Bitrix\Crm\Model\Dynamic\TypeTable::getByEntityTypeId(self::SMART_INVOICE)->fetchObject();
        return $type !== null && \Bitrix\Main\Application::getConnection()->isTableExists('b_crm_dynamic_items_31');
    }

    public function createSmartInvoiceType(): void
    {
        if (!Loader::includeModule('crm') || !class_exists(\Bitrix\Crm\Service\Factory\SmartInvoice::class)) {
            throw new \RuntimeException('this crm version has no smart invoices (crm 21.1300 or newer is needed)');
        }
        \Bitrix\Crm\Service\Factory\SmartInvoice::createTypeIfNotExists();
    }

    public function installAdminPages(string $fromDir): int
    {
        $written = 0;
        foreach (glob($fromDir . '/*.php') ?: [] as $file) {
            $target = self::adminDir() . '/' . basename($file);
            $content = (string)file_get_contents($file);
            if (!is_file($target) || file_get_contents($target) !== $content) {
                if (file_put_contents($target, $content) === false) {
                    throw new \RuntimeException("cannot write {$target}");
                }
                $written++;
            }
        }
        return $written;
    }

    public function uninstallAdminPages(string $fromDir): int
    {
        $removed = 0;
        foreach (glob($fromDir . '/*.php') ?: [] as $file) {
            $target = self::adminDir() . '/' . basename($file);
            if (is_file($target) && unlink($target)) {
                $removed++;
            }
        }
        return $removed;
    }

    private static function adminDir(): string
    {
        return rtrim((string)$_SERVER['DOCUMENT_ROOT'], '/') . '/bitrix/admin';
    }

    public function database(): Database
    {
        return $this->db;
    }

    private static function lastError(): string
    {
        global $APPLICATION;
        $exception = is_object($APPLICATION) ? $APPLICATION->GetException() : false;
        return $exception ? (string)$exception->GetString() : 'no reason given';
    }
}
