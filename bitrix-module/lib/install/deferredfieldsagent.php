<?php

declare(strict_types=1);

namespace B24xero\Sync\Install;

use B24xero\Sync\Module;

/**
 * Bitrix agent, added only when the install found no smart-invoice type and crm could not make one: adds the
 * smart-invoice fields as soon as the type exists, then removes itself (an agent returning '' is deleted).
 */
final class DeferredFieldsAgent
{
    public static function run(): string
    {
        try {
            if (Module::installer()->ensureSmartInvoiceFields()) {
                return '';
            }
        } catch (\Throwable $e) {
            Module::log('deferred smart-invoice fields: ' . $e->getMessage());
        }
        return Installer::DEFERRED_FIELDS_AGENT;
    }
}
