<?php

declare(strict_types=1);

namespace B24xero\Sync\Ui;

use Bitrix\Main\Localization\Loc;

Loc::loadMessages(__FILE__);

/**
 * The options page's tab contents (rows of CAdminTabControl's tables): Connection health, the status map editor,
 * accounts and tax drop-downs from the organisation cache, and the Sync settings. Only drop-downs and checkboxes
 * where Xero or crm has the list of choices, so no code is typed by hand.
 */
final class OptionsPage
{
    /** @param array<string, mixed> $values SettingsForm::values(), or the submitted values after a refused save */
    public function __construct(
        private readonly SettingsForm $form,
        private readonly array $values,
        private readonly bool $canWrite,
    ) {
    }

    private static function t(string $key, array $replace = []): string
    {
        return (string)Loc::getMessage('B24XERO_SYNC_OPT_' . $key, $replace ?: null);
    }

    private static function row(string $label, string $control, string $id = ''): string
    {
        return '<tr' . ($id !== '' ? ' id="' . View::e($id) . '"' : '') . '><td class="adm-detail-content-cell-l" width="40%">' . $label
            . '</td><td class="adm-detail-content-cell-r" width="60%">' . $control . '</td></tr>';
    }

    private static function heading(string $text): string
    {
        return '<tr class="heading"><td colspan="2">' . View::e($text) . '</td></tr>';
    }

    /** @param array<string, string> $options value => label, or optgroup label => [value => label] */
    private function select(string $name, array $options, string $current, bool $empty = true): string
    {
        $html = '<select name="' . View::e($name) . '"' . ($this->canWrite ? '' : ' disabled') . '>';
        if ($empty) {
            $html .= '<option value="">' . View::e(self::t('NOT_SET')) . '</option>';
        }
        foreach ($options as $value => $label) {
            if (is_array($label)) {
                $html .= '<optgroup label="' . View::e($value) . '">';
                foreach ($label as $v => $l) {
                    $html .= '<option value="' . View::e($v) . '"' . ((string)$v === $current ? ' selected' : '') . '>' . View::e($l) . '</option>';
                }
                $html .= '</optgroup>';
            } else {
                $html .= '<option value="' . View::e($value) . '"' . ((string)$value === $current ? ' selected' : '') . '>' . View::e($label) . '</option>';
            }
        }
        return $html . '</select>';
    }

    /** @param array<string, mixed> $health Health::read() */
    public function connection(array $health): string
    {
        $run = $health['lastRun'];
        $err = $health['lastError'];
        $budget = $health['budget'];
        $none = View::e(self::t('NONE_YET'));
        return self::heading(self::t('CONNECTION_HEADING'))
            . self::row(self::t('LAST_RUN'), $run === null ? $none : '<span id="b24x-last-run">' . View::e("{$run['kind']} #{$run['id']}: {$run['status']}, {$run['started']}") . '</span>'
                . ($run['error'] ? '<br>' . View::e($run['error']) : ''))
            . self::row(self::t('LAST_ERROR'), $err === null ? View::e(self::t('NO_ERRORS')) : View::e(DashboardPage::entityLabel((string)$err['entityType'], (int)$err['entityId']) . " — {$err['code']}: {$err['message']} ({$err['seen']})"))
            . self::row(self::t('BUDGET'), $budget === null ? $none : '<span id="b24x-budget">' . View::e(self::t('BUDGET_VALUE', [
                '#REMAINING#' => $budget['remaining'] ?? '?', '#USED#' => $budget['used'], '#DAY#' => $budget['day'],
            ])) . '</span>')
            . self::row(self::t('WEBHOOK'), $health['webhookLast'] === null ? $none : View::e($health['webhookLast'] . ' (' . self::t('PENDING', ['#N#' => $health['webhookPending']]) . ')'))
            . self::row(self::t('ORG_CACHE'), $health['orgFetchedAt'] === null ? View::e(self::t('ORG_MISSING')) : View::e($health['orgFetchedAt']))
            . self::row(self::t('DAEMON_VERSION'), View::e($health['daemonVersion'] ?? self::t('NOT_REPORTED')) . ' · ' . View::e(self::t('SCHEMA', ['#V#' => $health['schemaVersion'] ?? '—'])))
            . self::row('', '<small>' . View::e(self::t('DAEMON_CONFIG')) . '</small>');
    }

    public function statusMap(): string
    {
        $stages = $this->form->stages;
        $smartChoices = [];
        foreach ($stages->smartCategories as $category) {
            foreach ($category['stages'] as $s) {
                $smartChoices[$category['name']][$s['id']] = $s['name'];
            }
        }
        $legacyChoices = [];
        foreach ($stages->legacy as $s) {
            $legacyChoices[$s['id']] = $s['name'];
        }
        $html = self::heading(self::t('PULL_HEADING')) . '<tr><td colspan="2"><table class="b24x-table" id="b24x-status-map"><thead><tr><th>'
            . View::e(self::t('XERO_STATUS')) . '</th><th>' . View::e(self::t('SMART_STAGE')) . '</th><th>' . View::e(self::t('LEGACY_STATUS')) . '</th></tr></thead><tbody>';
        foreach (SettingsForm::PULL_STATUSES as $status) {
            $html .= '<tr>' . View::cell(self::t('XERO_STATUS'), View::e(self::t('STATUS_' . $status)))
                . View::cell(self::t('SMART_STAGE'), $this->select("pull[smart][{$status}]", $smartChoices, (string)($this->values['pull']['smart'][$status] ?? '')))
                . View::cell(self::t('LEGACY_STATUS'), $this->select("pull[legacy][{$status}]", $legacyChoices, (string)($this->values['pull']['legacy'][$status] ?? ''))) . '</tr>';
        }
        $html .= '</tbody></table><small>' . View::e(self::t('PULL_HINT')) . '</small></td></tr>';
        $createAs = [];
        foreach (SettingsForm::CREATE_AS as $s) {
            $createAs[$s] = self::t('CREATE_' . $s);
        }
        $html .= self::heading(self::t('PUSH_HEADING'))
            . self::row(self::t('CREATE_AS'), $this->select('create_as', $createAs, (string)$this->values['createAs'], false));
        $groups = [];
        foreach ($stages->smartCategories as $category) {
            $groups[self::t('SMART_CATEGORY', ['#NAME#' => $category['name']])] = $category['stages'];
        }
        $groups[self::t('LEGACY_STATUSES')] = $stages->legacy;
        foreach ($groups as $label => $list) {
            $boxes = '';
            foreach ($list as $s) {
                $checked = !in_array($s['id'], $this->values['skipStages'], true) && $s['semantics'] !== 'F';
                $boxes .= '<label class="b24x-stage"><input type="checkbox" name="push_stage[' . View::e($s['id']) . ']" value="Y"'
                    . ($checked ? ' checked' : '') . ($this->canWrite ? '' : ' disabled') . '> ' . View::e($s['name'])
                    . ($s['semantics'] === 'F' ? ' <small>(' . View::e(self::t('FAILURE_NEVER')) . ')</small>' : '') . '</label><br>';
            }
            $html .= self::row(View::e($label), $boxes);
        }
        return $html;
    }

    public function accounts(): string
    {
        $org = $this->form->org;
        if (!$org->hasData()) {
            return self::heading(self::t('ACCOUNTS_HEADING')) . self::row('', '<div class="b24x-error">' . View::e(self::t('ORG_MISSING')) . '</div>');
        }
        $accounts = [];
        foreach ($org->salesAccounts as $a) {
            $accounts[$a['code']] = "{$a['code']} — {$a['name']}";
        }
        $taxes = [];
        foreach ($org->salesTaxRates as $t) {
            $taxes[$t['taxType']] = "{$t['name']} ({$t['rate']}%)";
        }
        $html = self::heading(self::t('ACCOUNTS_HEADING'))
            . self::row(self::t('DEFAULT_ACCOUNT'), $this->select('default_sales_account', $accounts, (string)$this->values['defaultSalesAccount']));
        $html .= self::heading(self::t('TAX_HEADING'));
        foreach ($this->form->vatRates as $rate) {
            $html .= self::row(View::e(self::t('VAT_RATE', ['#RATE#' => $rate])), $this->select("tax_map[{$rate}]", $taxes, (string)($this->values['taxMap'][$rate] ?? '')));
        }
        $html .= self::row(View::e(self::t('NO_TAX')), $this->select('tax_map[' . SettingsForm::NO_TAX_KEY . ']', $taxes, (string)($this->values['taxMap'][SettingsForm::NO_TAX_KEY] ?? '')));
        $html .= self::heading(self::t('PRODUCT_HEADING'));
        foreach ($this->values['productAccounts'] as $productId => $code) {
            $name = $this->values['productNames'][(string)$productId] ?? '#' . $productId;
            $html .= self::row(View::e("{$name} [{$productId}]"), $this->select("product_accounts[{$productId}]", $accounts, (string)$code));
        }
        $html .= self::row(self::t('ADD_PRODUCT_ACCOUNT'), '<input type="number" min="1" name="new_product_id" placeholder="' . View::e(self::t('PRODUCT_ID')) . '"'
            . ($this->canWrite ? '' : ' disabled') . '> ' . $this->select('new_product_account', $accounts, ''));
        return $html;
    }

    public function sync(): string
    {
        $kinds = '';
        foreach (SettingsForm::KINDS as $kind) {
            $kinds .= '<label><input type="checkbox" name="invoice_kinds[]" value="' . $kind . '"' . (in_array($kind, $this->values['invoiceKinds'], true) ? ' checked' : '')
                . ($this->canWrite ? '' : ' disabled') . '> ' . View::e(self::t('KIND_' . strtoupper($kind))) . '</label><br>';
        }
        $choices = static function (array $values, string $prefix): array {
            $out = [];
            foreach ($values as $v) {
                $out[$v] = self::t($prefix . strtoupper($v));
            }
            return $out;
        };
        $text = fn (string $name, string $value) => '<input type="text" size="20" name="' . $name . '" value="' . View::e($value) . '"' . ($this->canWrite ? '' : ' disabled') . '>';
        return self::heading(self::t('SYNC_HEADING'))
            . self::row(self::t('INVOICE_KINDS'), $kinds . '<small>' . View::e(self::t('KINDS_HINT')) . '</small>')
            . self::row(self::t('CONTACT_IMPORT'), $this->select('contact_import', $choices(SettingsForm::CONTACT_IMPORT, 'IMPORT_'), (string)$this->values['contactImport'], false))
            . self::row(self::t('NUMBER_POLICY'), $this->select('invoice_number_policy', $choices(SettingsForm::NUMBER_POLICIES, 'NUMBERS_'), (string)$this->values['invoiceNumberPolicy'], false))
            . self::row(self::t('SYNC_SCHEDULE'), $text('sync_schedule', (string)$this->values['syncSchedule']) . ' <small>' . View::e(self::t('CRON_HINT')) . '</small>')
            . self::row(self::t('SCAN_SCHEDULE'), $text('scan_schedule', (string)$this->values['scanSchedule']))
            . self::row(self::t('START_DATE'), '<input type="date" name="start_date" value="' . View::e((string)$this->values['startDate']) . '"' . ($this->canWrite ? '' : ' disabled') . '>');
    }

    /** @param list<array{code: string, field: string, value: string}> $problems */
    public static function problems(array $problems): string
    {
        $items = '';
        foreach ($problems as $p) {
            $items .= '<li>' . View::e(self::t('PROBLEM_' . $p['code'], ['#FIELD#' => $p['field'], '#VALUE#' => $p['value']])) . '</li>';
        }
        return '<div class="b24x-error" id="b24x-message"><strong>' . View::e(self::t('NOT_SAVED')) . '</strong><ul>' . $items . '</ul></div>';
    }
}
