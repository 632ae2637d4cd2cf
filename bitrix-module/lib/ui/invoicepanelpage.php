<?php

declare(strict_types=1);

namespace B24xero\Sync\Ui;

use Bitrix\Main\Localization\Loc;

Loc::loadMessages(__FILE__);

/** The Xero block of an invoice: status, number, amount due, payments and credit notes, links, open errors with Retry. */
final class InvoicePanelPage
{
    /** @param array<string, mixed> $panel InvoicePanel::read() */
    public function __construct(private readonly array $panel, private readonly string $action, private readonly bool $canWrite, private readonly string $sessidField)
    {
    }

    private static function t(string $key, array $replace = []): string
    {
        return (string)Loc::getMessage('B24XERO_SYNC_PANEL_' . $key, $replace ?: null);
    }

    public function render(): string
    {
        $p = $this->panel;
        $html = View::styles() . '<div class="b24x" id="b24x-invoice-panel">';
        if (!$p['linked']) {
            return $html . '<p id="b24x-not-linked">' . View::e(self::t('NOT_LINKED')) . '</p>' . $this->errors() . '</div>';
        }
        $links = [];
        if ($p['onlineUrl'] !== null) {
            $links[] = '<a id="b24x-online" target="_blank" rel="noopener noreferrer" href="' . View::e($p['onlineUrl']) . '">' . View::e(self::t('ONLINE')) . '</a>';
        }
        if ($p['xeroUrl'] !== null) {
            $links[] = '<a id="b24x-in-xero" target="_blank" rel="noopener noreferrer" href="' . View::e($p['xeroUrl']) . '">' . View::e(self::t('IN_XERO')) . '</a>';
        }
        $html .= '<dl class="b24x-versions"><div><dt>' . View::e(self::t('STATUS')) . '</dt><dd id="b24x-status">' . View::e($p['status'] ?? '—')
            . ($p['state'] === 'conflict' ? ' · ' . View::e(self::t('CONFLICT')) : '') . '</dd></div>'
            . '<div><dt>' . View::e(self::t('NUMBER')) . '</dt><dd>' . View::e($p['number'] ?? '—') . '</dd></div>'
            . '<div><dt>' . View::e(self::t('TOTAL')) . '</dt><dd>' . View::e($p['total'] === null ? '—' : $p['total'] . ' ' . $p['currency']) . '</dd></div>'
            . '<div><dt>' . View::e(self::t('AMOUNT_DUE')) . '</dt><dd id="b24x-amount-due">' . View::e($p['amountDue'] === null ? '—' : $p['amountDue'] . ' ' . $p['currency'])
            . ($p['dueDate'] ? ' (' . View::e(self::t('DUE_DATE', ['#DATE#' => $p['dueDate']])) . ')' : '') . '</dd></div></dl>'
            . '<p>' . implode(' · ', $links) . '</p>';
        $html .= '<h2>' . View::e(self::t('PAYMENTS', ['#COUNT#' => count($p['payments'])])) . '</h2><table class="b24x-table" id="b24x-payments"><thead><tr><th>'
            . View::e(self::t('DATE')) . '</th><th>' . View::e(self::t('KIND')) . '</th><th>' . View::e(self::t('REFERENCE')) . '</th><th class="b24x-num">' . View::e(self::t('AMOUNT')) . '</th></tr></thead><tbody>';
        foreach ($p['payments'] as $m) {
            $html .= '<tr>' . View::cell(self::t('DATE'), View::e($m['date'] ?? '')) . View::cell(self::t('KIND'), View::e(self::t('KIND_' . strtoupper((string)$m['type'])) ?: $m['type']))
                . View::cell(self::t('REFERENCE'), View::e($m['reference'])) . View::cell(self::t('AMOUNT'), View::e($m['amount'] . ' ' . $m['currency']), 'b24x-num') . '</tr>';
        }
        if ($p['payments'] === []) {
            $html .= '<tr><td colspan="4">' . View::e(self::t('NO_PAYMENTS')) . '</td></tr>';
        }
        return $html . '</tbody></table>' . $this->errors() . '</div>';
    }

    private function errors(): string
    {
        if ($this->panel['errors'] === []) {
            return '';
        }
        $html = '<h2>' . View::e(self::t('ERRORS')) . '</h2>';
        foreach ($this->panel['errors'] as $e) {
            $html .= '<div class="b24x-error" data-id="' . (int)$e['id'] . '"><code>' . View::e($e['code']) . '</code> ' . View::e($e['message'])
                . ' <small>(' . View::e($e['lastSeen']) . ')</small>';
            if ($this->canWrite && $e['operation'] !== 'conflict') {
                $html .= ' <form method="post" action="' . View::e($this->action) . '" style="display:inline">' . $this->sessidField
                    . '<input type="hidden" name="action" value="retry"><input type="hidden" name="id" value="' . (int)$e['id'] . '">'
                    . '<button type="submit" class="adm-btn" data-action="retry">' . View::e(self::t('RETRY')) . '</button></form>';
            }
            $html .= '</div>';
        }
        return $html;
    }
}
