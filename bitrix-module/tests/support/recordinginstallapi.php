<?php

declare(strict_types=1);

namespace B24xero\Sync\Tests;

use B24xero\Sync\Db\Database;
use B24xero\Sync\Install\HandlerRegistration;
use B24xero\Sync\Install\InstallApi;

/**
 * A stand-in for Bitrix's install API that keeps state in memory the way Bitrix keeps it in b_module,
 * b_module_to_module, b_agent, b_user_field(_lang) and b_option, and records every call that changes something.
 * SQL (migrations, indexes) goes to a real database.
 */
final class RecordingInstallApi implements InstallApi
{
    /** @var list<array{0: string, 1: mixed}> method name and arguments of every changing call, in order */
    public array $calls = [];

    /** @var array<string, true> */
    public array $modules = ['main' => true, 'crm' => true, 'sale' => true];

    /** @var array<string, HandlerRegistration> */
    public array $handlers = [];

    /** @var array<string, array{name: string, module: string, interval: int}> */
    public array $agents = [];

    /** @var array<int, array<string, mixed>> by ID, as CUserTypeEntity::Add stored it */
    public array $userFields = [];

    /** @var array<string, array<string, string>> module => name => value */
    public array $options = [];

    /** @var array<string, string> file name => content, what installAdminPages() put into /bitrix/admin/ */
    public array $adminPages = [];

    public bool $smartInvoiceType = true;

    /** Whether createSmartInvoiceType() makes the type (crm's factory may fail on a broken portal). */
    public bool $smartInvoiceTypeCreatable = true;

    private int $nextFieldId = 1;

    public function __construct(private readonly Database $db)
    {
    }

    /** @return list<string> names of the changing calls made so far */
    public function callNames(): array
    {
        return array_map(static fn (array $c): string => $c[0], $this->calls);
    }

    /** @return list<mixed> arguments of every call of $method */
    public function argsOf(string $method): array
    {
        return array_values(array_map(static fn (array $c) => $c[1], array_filter($this->calls, static fn (array $c) => $c[0] === $method)));
    }

    public function isModuleInstalled(string $moduleId): bool
    {
        return isset($this->modules[$moduleId]);
    }

    public function registerModule(string $moduleId): void
    {
        if (isset($this->modules[$moduleId])) {
            // ModuleManager::add is a plain INSERT into b_module (primary key ID).
            throw new \RuntimeException("Duplicate entry '{$moduleId}' for key 'PRIMARY'");
        }
        $this->calls[] = ['registerModule', $moduleId];
        $this->modules[$moduleId] = true;
    }

    public function unregisterModule(string $moduleId): void
    {
        $this->calls[] = ['unregisterModule', $moduleId];
        unset($this->modules[$moduleId]);
        // ModuleManager::unRegisterModule deletes the module's agents too.
        $this->agents = array_filter($this->agents, static fn (array $a) => $a['module'] !== $moduleId);
    }

    public function handlersOf(string $moduleId): array
    {
        return array_values(array_filter($this->handlers, static fn (HandlerRegistration $h) => $h->toModule === $moduleId));
    }

    public function registerHandler(HandlerRegistration $handler): void
    {
        $this->calls[] = ['registerHandler', $handler];
        $this->handlers[$handler->key()] = $handler;
    }

    public function unregisterHandler(HandlerRegistration $handler): void
    {
        $this->calls[] = ['unregisterHandler', $handler];
        unset($this->handlers[$handler->key()]);
    }

    public function agentExists(string $name, string $moduleId): bool
    {
        return isset($this->agents[$moduleId . '|' . $name]);
    }

    public function addAgent(string $name, string $moduleId, int $intervalSeconds): void
    {
        $this->calls[] = ['addAgent', [$name, $moduleId, $intervalSeconds]];
        $this->agents[$moduleId . '|' . $name] = ['name' => $name, 'module' => $moduleId, 'interval' => $intervalSeconds];
    }

    public function removeAgent(string $name, string $moduleId): void
    {
        $this->calls[] = ['removeAgent', [$name, $moduleId]];
        unset($this->agents[$moduleId . '|' . $name]);
    }

    public function findUserField(string $entityId, string $fieldName): ?array
    {
        foreach ($this->userFields as $field) {
            if ($field['ENTITY_ID'] === $entityId && $field['FIELD_NAME'] === $fieldName) {
                return $field;
            }
        }
        return null;
    }

    public function addUserField(array $fields): int
    {
        if ($this->findUserField($fields['ENTITY_ID'], $fields['FIELD_NAME']) !== null) {
            throw new \RuntimeException("USER_TYPE_ADD_ALREADY_ERROR {$fields['FIELD_NAME']}");
        }
        $this->calls[] = ['addUserField', $fields];
        $id = $this->nextFieldId++;
        // As GetByID reads it back: SETTINGS through serialize()/unserialize(), labels per language.
        $stored = ['ID' => (string)$id] + $fields;
        $stored['SETTINGS'] = unserialize(serialize($fields['SETTINGS']));
        $stored['SORT'] = (string)$fields['SORT'];
        $this->userFields[$id] = $stored;
        return $id;
    }

    public function updateUserField(int $id, array $fields): void
    {
        $this->calls[] = ['updateUserField', [$id, $fields]];
        $this->userFields[$id] = array_merge($this->userFields[$id], $fields, ['SORT' => (string)$fields['SORT']]);
    }

    public function deleteUserField(int $id): void
    {
        $this->calls[] = ['deleteUserField', $id];
        unset($this->userFields[$id]);
    }

    public function getOption(string $moduleId, string $name): ?string
    {
        return $this->options[$moduleId][$name] ?? null;
    }

    public function setOption(string $moduleId, string $name, string $value): void
    {
        $this->calls[] = ['setOption', [$moduleId, $name, $value]];
        $this->options[$moduleId][$name] = $value;
    }

    public function deleteOptions(string $moduleId): void
    {
        $this->calls[] = ['deleteOptions', $moduleId];
        unset($this->options[$moduleId]);
    }

    public function smartInvoiceTypeExists(): bool
    {
        return $this->smartInvoiceType;
    }

    public function createSmartInvoiceType(): void
    {
        $this->calls[] = ['createSmartInvoiceType', null];
        if ($this->smartInvoiceTypeCreatable) {
            $this->smartInvoiceType = true;
        }
    }

    public function installAdminPages(string $fromDir): int
    {
        $written = 0;
        foreach (glob($fromDir . '/*.php') ?: [] as $file) {
            $content = (string)file_get_contents($file);
            if (($this->adminPages[basename($file)] ?? null) !== $content) {
                $this->adminPages[basename($file)] = $content;
                $this->calls[] = ['installAdminPage', basename($file)];
                $written++;
            }
        }
        return $written;
    }

    public function uninstallAdminPages(string $fromDir): int
    {
        $removed = 0;
        foreach (glob($fromDir . '/*.php') ?: [] as $file) {
            if (isset($this->adminPages[basename($file)])) {
                unset($this->adminPages[basename($file)]);
                $this->calls[] = ['uninstallAdminPage', basename($file)];
                $removed++;
            }
        }
        return $removed;
    }

    public function database(): Database
    {
        return $this->db;
    }
}
