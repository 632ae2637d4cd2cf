<?php

use B24xero\Sync\Install\InstallError;
use B24xero\Sync\Install\InstallReport;
use Bitrix\Main\Localization\Loc;

Loc::loadMessages(__FILE__);

/** The text of one report line or error code, parameters filled in and escaped. */
function b24xero_sync_report_text(string $code, array $params): string
{
    $replace = [];
    foreach ($params as $name => $value) {
        $replace['#' . strtoupper($name) . '#'] = htmlspecialcharsbx((string)$value);
    }
    $text = Loc::getMessage('B24XERO_SYNC_REPORT_' . $code, $replace);
    return $text !== null && $text !== '' ? $text : htmlspecialcharsbx($code);
}

/** Prints what the installer did (or why it stopped) as Bitrix admin messages. */
function b24xero_sync_show_report(?InstallReport $report, ?InstallError $error, string $doneMessageCode): void
{
    if ($error !== null) {
        CAdminMessage::ShowMessage([
            'TYPE' => 'ERROR',
            'MESSAGE' => Loc::getMessage('B24XERO_SYNC_REPORT_FAILED'),
            'DETAILS' => b24xero_sync_report_text($error->reportCode, $error->params ?: ['error' => $error->getMessage()]),
            'HTML' => true,
        ]);
        return;
    }
    $notes = [];
    $warnings = [];
    foreach ($report ? $report->lines() : [] as $line) {
        $text = b24xero_sync_report_text($line['code'], $line['params']);
        if ($line['warning']) {
            $warnings[] = $text;
        } else {
            $notes[] = $text;
        }
    }
    CAdminMessage::ShowNote(Loc::getMessage($doneMessageCode));
    if ($warnings !== []) {
        CAdminMessage::ShowMessage(['TYPE' => 'ERROR', 'MESSAGE' => Loc::getMessage('B24XERO_SYNC_REPORT_WARNINGS'), 'DETAILS' => implode('<br>', $warnings), 'HTML' => true]);
    }
    if ($notes !== []) {
        echo '<ul><li>' . implode('</li><li>', $notes) . '</li></ul>';
    }
}
