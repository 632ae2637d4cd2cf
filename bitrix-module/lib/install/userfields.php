<?php

declare(strict_types=1);

namespace B24xero\Sync\Install;

use B24xero\Sync\Lang;

/**
 * The user fields of ARCHITECTURE's "Names" table. Invoices (smart: CRM_SMART_INVOICE, a column of
 * b_crm_dynamic_items_31; legacy: CRM_INVOICE, b_uts_crm_invoice) get the checkbox and what Xero reports back;
 * contacts and companies get their Xero binding and status. Only the checkbox is editable by users.
 */
final class UserFields
{
    public const SMART_INVOICE = 'CRM_SMART_INVOICE';
    public const LEGACY_INVOICE = 'CRM_INVOICE';
    public const CONTACT = 'CRM_CONTACT';
    public const COMPANY = 'CRM_COMPANY';

    public const LANGUAGES = ['en', 'ru'];

    /** @return list<UserFieldSpec> */
    public static function forEntity(string $entityId): array
    {
        return match ($entityId) {
            self::SMART_INVOICE, self::LEGACY_INVOICE => [
                self::spec($entityId, 'UF_CRM_XERO_SYNC', 'boolean', 100, 'XERO_SYNC', 'I', true, self::booleanSettings(1)),
                self::spec($entityId, 'UF_CRM_XERO_STATUS', 'string', 110, 'XERO_STATUS', 'I', false, self::stringSettings()),
                self::spec($entityId, 'UF_CRM_XERO_URL', 'string', 120, 'XERO_URL', 'N', false, self::stringSettings()),
                self::spec($entityId, 'UF_CRM_XERO_AMOUNT_DUE', 'double', 130, 'XERO_AMOUNT_DUE', 'N', false, self::doubleSettings()),
                self::spec($entityId, 'UF_CRM_XERO_REFERENCE', 'string', 140, 'XERO_REFERENCE', 'S', false, self::stringSettings()),
            ],
            self::CONTACT, self::COMPANY => [
                self::spec($entityId, 'UF_CRM_XERO_ID', 'string', 100, 'XERO_ID', 'I', false, self::stringSettings()),
                self::spec($entityId, 'UF_CRM_XERO_STATUS', 'string', 110, 'XERO_CONTACT_STATUS', 'I', false, self::stringSettings()),
            ],
            default => throw new \InvalidArgumentException("no module fields for {$entityId}"),
        };
    }

    /** Every field in the order the installer adds them: smart invoices last, since their type may come later. @return list<UserFieldSpec> */
    public static function all(): array
    {
        return [
            ...self::forEntity(self::LEGACY_INVOICE),
            ...self::forEntity(self::CONTACT),
            ...self::forEntity(self::COMPANY),
            ...self::forEntity(self::SMART_INVOICE),
        ];
    }

    /** BooleanType::prepareSettings for a checkbox. @return array<string, mixed> */
    public static function booleanSettings(int $default): array
    {
        return ['DEFAULT_VALUE' => $default, 'DISPLAY' => 'CHECKBOX', 'LABEL' => ['', ''], 'LABEL_CHECKBOX' => ''];
    }

    /** StringType::prepareSettings of a one-line field without limits. @return array<string, mixed> */
    public static function stringSettings(): array
    {
        return ['SIZE' => 20, 'ROWS' => 1, 'REGEXP' => '', 'MIN_LENGTH' => 0, 'MAX_LENGTH' => 0, 'DEFAULT_VALUE' => ''];
    }

    /** DoubleType::prepareSettings: an empty default becomes null, the bounds floats. @return array<string, mixed> */
    public static function doubleSettings(): array
    {
        return ['PRECISION' => 2, 'SIZE' => 20, 'MIN_VALUE' => 0.0, 'MAX_VALUE' => 0.0, 'DEFAULT_VALUE' => null];
    }

    /** @param array<string, mixed> $settings */
    private static function spec(
        string $entityId,
        string $fieldName,
        string $type,
        int $sort,
        string $xmlId,
        string $showFilter,
        bool $editable,
        array $settings,
    ): UserFieldSpec {
        $key = 'B24XERO_SYNC_UF_' . substr($fieldName, strlen('UF_CRM_XERO_'));
        if ($xmlId === 'XERO_CONTACT_STATUS') {
            $key = 'B24XERO_SYNC_UF_CONTACT_STATUS';
        }
        $labels = [];
        foreach (self::LANGUAGES as $lang) {
            $labels[$lang] = Lang::message('lib/install/userfields.php', $lang, $key);
        }
        return new UserFieldSpec($entityId, $fieldName, $type, $sort, $xmlId, $showFilter, $editable, $settings, $labels);
    }
}
