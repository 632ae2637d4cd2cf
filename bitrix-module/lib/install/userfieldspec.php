<?php

declare(strict_types=1);

namespace B24xero\Sync\Install;

/**
 * One user field the module owns, in the shape CUserTypeEntity::Add takes. SETTINGS are given exactly as the type's
 * prepareSettings() returns them (main's BooleanType/StringType/DoubleType), so Bitrix stores what we pass and a
 * second install finds nothing to change.
 */
final class UserFieldSpec
{
    /**
     * @param array<string, mixed> $settings
     * @param array<string, string> $labels language id => label (edit form, list column and filter alike)
     */
    public function __construct(
        public readonly string $entityId,
        public readonly string $fieldName,
        public readonly string $userTypeId,
        public readonly int $sort,
        public readonly string $xmlId,
        public readonly string $showFilter,
        public readonly bool $editable,
        public readonly array $settings,
        public readonly array $labels,
    ) {
    }

    /** The array for CUserTypeEntity::Add. @return array<string, mixed> */
    public function toAddFields(): array
    {
        return [
            'ENTITY_ID' => $this->entityId,
            'FIELD_NAME' => $this->fieldName,
            'USER_TYPE_ID' => $this->userTypeId,
            ...$this->toUpdateFields(),
        ];
    }

    /** What CUserTypeEntity::Update may change. @return array<string, mixed> */
    public function toUpdateFields(): array
    {
        return [
            'XML_ID' => $this->xmlId,
            'SORT' => $this->sort,
            'MULTIPLE' => 'N',
            'MANDATORY' => 'N',
            'SHOW_FILTER' => $this->showFilter,
            'SHOW_IN_LIST' => 'Y',
            // 'N' makes crm show the field read-only in its forms and lists; the applier writes it through the API.
            'EDIT_IN_LIST' => $this->editable ? 'Y' : 'N',
            'IS_SEARCHABLE' => 'N',
            'SETTINGS' => $this->settings,
            'EDIT_FORM_LABEL' => $this->labels,
            'LIST_COLUMN_LABEL' => $this->labels,
            'LIST_FILTER_LABEL' => $this->labels,
        ];
    }

    /**
     * Whether a stored field (as InstallApi::findUserField returns it) already is what this spec describes. Settings
     * are compared key by key on our keys only, loosely: a newer Bitrix may add keys of its own, and a stored
     * setting comes back from unserialize() with the types it was written with.
     * @param array<string, mixed> $stored
     */
    public function matches(array $stored): bool
    {
        foreach ($this->toUpdateFields() as $key => $wanted) {
            if ($key === 'MULTIPLE') {
                continue; // never changes after creation
            }
            $have = $stored[$key] ?? null;
            if ($key === 'SETTINGS') {
                foreach ($wanted as $name => $value) {
                    if (!is_array($have) || !array_key_exists($name, $have) || $have[$name] != $value) {
                        return false;
                    }
                }
            } elseif (is_array($wanted)) {
                foreach ($wanted as $lang => $text) {
                    if (!is_array($have) || (string)($have[$lang] ?? '') !== $text) {
                        return false;
                    }
                }
            } elseif ((string)$have !== (string)$wanted) {
                return false;
            }
        }
        return true;
    }
}
