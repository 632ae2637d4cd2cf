<?php

// Defaults Bitrix's Option::get() falls back to. They equal the daemon's own defaults (daemon/src/domain/settings.ts,
// DEFAULT_SETTINGS), which apply when b_option holds nothing; a test keeps the two in step.
$b24xero_sync_default_option = [
    'invoice_number_policy' => 'bitrix',
    'invoice_kinds' => '["smart","legacy"]',
    'sync_schedule' => '* * * * *',
    'scan_schedule' => '*/15 * * * *',
    // Which Xero contacts are imported as Bitrix contacts and companies: all, customers (IsCustomer) or off.
    'contact_import' => 'all',
    // Most inbox rows one applier run (agent or tools/apply.php) works through; the rest wait for the next run.
    'applier_batch' => '200',
    // The user the applier acts as: responsible for the contacts and companies it creates from Xero.
    'applier_user_id' => '1',
];
