<?php

declare(strict_types=1);

namespace B24xero\Sync\Ui;

use Bitrix\Main\Localization\Loc;

Loc::loadMessages(__FILE__);

/**
 * The dashboard's HTML: the transaction filter and totals, then four paged lists (transactions, failing records,
 * conflicts, sync runs), each keeping the others' page and the filter in its links. Buttons that change state are
 * POST forms carrying the session token, shown only to users with the module's W right.
 */
final class DashboardPage
{
    /** The request keys each list reads (prefix + page/size/sort/dir) and the filter's. */
    public const LISTS = ['t_' => 'transactions', 'e_' => 'errors', 'c_' => 'conflicts', 'r_' => 'runs'];
    public const FILTER = ['from', 'to', 'contact', 'type'];

    /** @param array<string, mixed> $request */
    public function __construct(
        private readonly UiContext $ui,
        private readonly array $request,
        private readonly string $base,
        private readonly bool $canWrite,
        private readonly string $sessidField,
    ) {
    }

    public function render(): string
    {
        $filter = TransactionFilter::fromRequest($this->request);
        $transactions = $this->ui->transactions();
        $problems = $this->ui->problems();
        $html = View::styles() . '<div class="b24x" id="b24x-dashboard">';
        $html .= $this->filterForm($filter) . $this->totals($transactions->totals($filter));
        $html .= $this->transactionList($transactions->page($filter, $this->query('t_', TransactionsView::SORTABLE, 'date', true)));
        $html .= $this->errorList($problems->errors($this->query('e_', ProblemsView::SORTABLE, 'seen', true)));
        $html .= $this->conflictList($problems->conflicts($this->query('c_', ProblemsView::SORTABLE, 'seen', true)));
        $html .= $this->runList($this->ui->runs()->page($this->query('r_', RunsView::SORTABLE, 'started', true)));
        return $html . '</div>';
    }

    private static function t(string $key, array $replace = []): string
    {
        return (string)Loc::getMessage('B24XERO_SYNC_DASH_' . $key, $replace ?: null);
    }

    /** @param array<string, string> $sortable */
    private function query(string $prefix, array $sortable, string $sort, bool $desc): ListQuery
    {
        return ListQuery::fromRequest($this->request, $prefix, $sortable, $sort, $desc);
    }

    /** The state of every list but `$prefix`'s, and the filter: what a link of that list keeps. @return array<string, string> */
    private function keep(string $prefix): array
    {
        $keep = [];
        foreach ($this->request as $key => $value) {
            $key = (string)$key;
            if (!is_scalar($value)) {
                continue;
            }
            $ownList = str_starts_with($key, $prefix);
            $known = in_array($key, self::FILTER, true) || preg_match('/^[tecr]_(page|size|sort|dir)$/', $key);
            if ($known && !$ownList) {
                $keep[$key] = (string)$value;
            }
        }
        return $keep;
    }

    private function filterForm(TransactionFilter $filter): string
    {
        $types = '<option value="">' . View::e(self::t('TYPE_ANY')) . '</option>';
        foreach (TransactionFilter::TYPES as $type) {
            $types .= '<option value="' . $type . '"' . ($filter->type === $type ? ' selected' : '') . '>' . View::e(self::t('TYPE_' . strtoupper($type))) . '</option>';
        }
        $hidden = '';
        foreach ($this->keep('t_') as $key => $value) {
            if (!in_array($key, self::FILTER, true)) {
                $hidden .= '<input type="hidden" name="' . View::e($key) . '" value="' . View::e($value) . '">';
            }
        }
        // A new filter starts the transactions at page 1, keeping their order and page size.
        $own = ListQuery::fromRequest($this->request, 't_', TransactionsView::SORTABLE, 'date', true);
        foreach (['t_size' => $own->pageSize, 't_sort' => $own->sort, 't_dir' => $own->descending ? 'desc' : 'asc'] as $name => $value) {
            $hidden .= '<input type="hidden" name="' . $name . '" value="' . View::e($value) . '">';
        }
        [$path, $fixed] = $this->baseParts();
        foreach ($fixed as $key => $value) {
            $hidden .= '<input type="hidden" name="' . View::e($key) . '" value="' . View::e($value) . '">';
        }
        return '<h2>' . View::e(self::t('TRANSACTIONS')) . '</h2><form method="get" action="' . View::e($path) . '" class="b24x-filter" id="b24x-filter">' . $hidden
            . '<label>' . View::e(self::t('FROM')) . '<input type="date" name="from" value="' . View::e($filter->dateFrom ?? '') . '"></label>'
            . '<label>' . View::e(self::t('TO')) . '<input type="date" name="to" value="' . View::e($filter->dateTo ?? '') . '"></label>'
            . '<label>' . View::e(self::t('CONTACT')) . '<input type="text" name="contact" value="' . View::e($filter->contact) . '"></label>'
            . '<label>' . View::e(self::t('TYPE')) . '<select name="type">' . $types . '</select></label>'
            . '<button type="submit" class="adm-btn">' . View::e(self::t('APPLY')) . '</button>'
            . '<a href="' . View::e(View::url($this->base, [])) . '">' . View::e(self::t('RESET')) . '</a></form>';
    }

    /** @return array{0: string, 1: array<string, string>} the base URL's path and its own query parameters */
    private function baseParts(): array
    {
        $parts = explode('?', $this->base, 2);
        $fixed = [];
        parse_str($parts[1] ?? '', $fixed);
        return [$parts[0], array_map('strval', array_filter($fixed, 'is_scalar'))];
    }

    /** @param list<array{currency: string, outstanding: string, overdue: string, invoices: int, overdueInvoices: int}> $totals */
    private function totals(array $totals): string
    {
        if ($totals === []) {
            return '<p class="b24x-totals" id="b24x-totals">' . View::e(self::t('NOTHING_OUTSTANDING')) . '</p>';
        }
        $html = '<div class="b24x-totals" id="b24x-totals">';
        foreach ($totals as $t) {
            $html .= '<div class="b24x-total" data-currency="' . View::e($t['currency']) . '"><strong>' . View::e($t['currency']) . '</strong><br>'
                . View::e(self::t('OUTSTANDING')) . ': <span class="b24x-outstanding">' . View::e(Money::format($t['outstanding'])) . '</span> (' . $t['invoices'] . ')<br>'
                . View::e(self::t('OVERDUE')) . ': <span class="b24x-overdue">' . View::e(Money::format($t['overdue'])) . '</span> (' . $t['overdueInvoices'] . ')</div>';
        }
        return $html . '</div>';
    }

    /** @param list<array{0: string, 1: string, 2?: string}> $columns label, sort key or '', css class */
    private function head(array $columns, ListQuery $query, string $prefix): string
    {
        $html = '<thead><tr>';
        foreach ($columns as $c) {
            $label = $c[1] !== '' ? View::sortHeader($c[0], $c[1], $query, $this->base, $this->keep($prefix), $prefix) : View::e($c[0]);
            $html .= '<th' . (isset($c[2]) ? ' class="' . $c[2] . '"' : '') . '>' . $label . '</th>';
        }
        return $html . '</tr></thead>';
    }

    private function transactionList(PageResult $page): string
    {
        $cols = [[self::t('DATE'), 'date'], [self::t('TYPE'), 'type'], [self::t('CONTACT'), 'contact'], [self::t('REFERENCE'), ''],
            [self::t('INVOICE'), ''], [self::t('AMOUNT'), 'amount', 'b24x-num'], [self::t('DUE'), '', 'b24x-num'], [self::t('STATUS'), 'status']];
        $html = '<table class="b24x-table" id="b24x-transactions">' . $this->head($cols, $page->query, 't_') . '<tbody>';
        foreach ($page->rows as $r) {
            $invoice = $r['entityType'] === null ? '—' : View::e(self::entityLabel((string)$r['entityType'], (int)$r['entityId']) . ($r['invoiceNumber'] ? ' · ' . $r['invoiceNumber'] : ''));
            $due = $r['amountDue'] === null ? '' : View::e($r['amountDue']) . ($r['dueDate'] ? '<br><small' . ($r['overdue'] ? ' class="b24x-overdue"' : '') . '>' . View::e($r['dueDate']) . '</small>' : '');
            $html .= '<tr data-id="' . $r['id'] . '">'
                . View::cell(self::t('DATE'), View::e($r['date'] ?? ''))
                . View::cell(self::t('TYPE'), View::e(self::t('TYPE_' . strtoupper((string)$r['type'])) ?: $r['type']))
                . View::cell(self::t('CONTACT'), View::e($r['contact']), 'b24x-contact')
                . View::cell(self::t('REFERENCE'), View::e($r['reference']))
                . View::cell(self::t('INVOICE'), $invoice)
                . View::cell(self::t('AMOUNT'), View::e($r['amount'] . ' ' . $r['currency']), 'b24x-num')
                . View::cell(self::t('DUE'), $due, 'b24x-num')
                . View::cell(self::t('STATUS'), View::e($r['status'])) . '</tr>';
        }
        if ($page->rows === []) {
            $html .= '<tr><td colspan="8">' . View::e(self::t('NONE')) . '</td></tr>';
        }
        return $html . '</tbody></table>' . View::pager($page, $this->base, $this->keep('t_'), 't_', 'b24x-transactions');
    }

    private function errorList(PageResult $page): string
    {
        $cols = [[self::t('RECORD'), 'entity'], [self::t('ERROR'), 'code'], [self::t('CLASS'), 'class'], [self::t('ATTEMPTS'), 'attempts', 'b24x-num'],
            [self::t('LAST_SEEN'), 'seen'], [self::t('NEXT_RETRY'), ''], [self::t('ACTIONS'), '']];
        $html = '<h2 id="b24x-errors-title">' . View::e(self::t('ERRORS', ['#COUNT#' => $page->total])) . '</h2>'
            . '<table class="b24x-table" id="b24x-errors">' . $this->head($cols, $page->query, 'e_') . '<tbody>';
        foreach ($page->rows as $r) {
            $html .= '<tr data-id="' . $r['id'] . '">'
                . View::cell(self::t('RECORD'), View::e(self::entityLabel($r['entityType'], $r['entityId'])) . '<br><small>' . View::e($r['operation']) . '</small>')
                . View::cell(self::t('ERROR'), '<code>' . View::e($r['code']) . '</code> ' . View::e($r['message']))
                . View::cell(self::t('CLASS'), View::e(self::t('CLASS_' . strtoupper($r['class'])) ?: $r['class']))
                . View::cell(self::t('ATTEMPTS'), (string)$r['attempts'], 'b24x-num')
                . View::cell(self::t('LAST_SEEN'), View::e($r['lastSeen']))
                . View::cell(self::t('NEXT_RETRY'), View::e($r['nextRetry'] ?? '—'), 'b24x-next-retry')
                . View::cell(self::t('ACTIONS'), $this->actions($r['id'], true), 'b24x-actions') . '</tr>';
        }
        if ($page->rows === []) {
            $html .= '<tr><td colspan="7">' . View::e(self::t('NONE')) . '</td></tr>';
        }
        return $html . '</tbody></table>' . View::pager($page, $this->base, $this->keep('e_'), 'e_', 'b24x-errors');
    }

    private function conflictList(PageResult $page): string
    {
        $cols = [[self::t('RECORD'), 'entity'], [self::t('BITRIX_VERSION'), ''], [self::t('XERO_VERSION'), ''], [self::t('LAST_SEEN'), 'seen'], [self::t('ACTIONS'), '']];
        $html = '<h2>' . View::e(self::t('CONFLICTS', ['#COUNT#' => $page->total])) . '</h2><p>' . View::e(self::t('CONFLICTS_HINT')) . '</p>'
            . '<table class="b24x-table" id="b24x-conflicts">' . $this->head($cols, $page->query, 'c_') . '<tbody>';
        foreach ($page->rows as $r) {
            $b = $r['bitrix'];
            $x = $r['xero'];
            $bitrix = $b === null ? View::e(self::t('GONE')) : '<dl><dt>' . View::e($b['title']) . '</dt><dd>' . View::e($b['total'] . ' ' . $b['currency'])
                . '</dd><dd>' . View::e($b['stage']) . '</dd><dd><small>' . View::e($b['updated']) . '</small></dd></dl>';
            $xero = $x === null ? '—' : '<dl><dt>' . View::e($x['number'] ?: $x['xeroId']) . '</dt><dd>' . View::e(($x['total'] ?? '—') . ' ' . $x['currency'])
                . '</dd><dd>' . View::e($x['status']) . ($x['amountDue'] !== null ? ' · ' . View::e(self::t('DUE')) . ' ' . View::e($x['amountDue']) : '')
                . '</dd><dd><small>' . View::e($x['updated']) . '</small></dd></dl>';
            $html .= '<tr data-id="' . $r['id'] . '">'
                . View::cell(self::t('RECORD'), View::e(self::entityLabel($r['entityType'], $r['entityId'])) . '<br><small>' . View::e($r['message']) . '</small>')
                . View::cell(self::t('BITRIX_VERSION'), $bitrix, 'b24x-bitrix')
                . View::cell(self::t('XERO_VERSION'), $xero, 'b24x-xero')
                . View::cell(self::t('LAST_SEEN'), View::e($r['lastSeen']))
                . View::cell(self::t('ACTIONS'), $this->actions($r['id'], false), 'b24x-actions') . '</tr>';
        }
        if ($page->rows === []) {
            $html .= '<tr><td colspan="5">' . View::e(self::t('NONE')) . '</td></tr>';
        }
        return $html . '</tbody></table>' . View::pager($page, $this->base, $this->keep('c_'), 'c_', 'b24x-conflicts');
    }

    private function runList(PageResult $page): string
    {
        $cols = [[self::t('STARTED'), 'started'], [self::t('KIND'), 'kind'], [self::t('STATUS'), 'status'], [self::t('COUNTS'), ''], [self::t('ERROR'), '']];
        $html = '<h2>' . View::e(self::t('RUNS')) . '</h2><table class="b24x-table" id="b24x-runs">' . $this->head($cols, $page->query, 'r_') . '<tbody>';
        foreach ($page->rows as $r) {
            $counts = [];
            foreach ($r['counts'] as $key => $n) {
                if ($n !== null) {
                    $counts[] = View::e(self::t('COUNT_' . strtoupper($key))) . ' ' . $n;
                }
            }
            $html .= '<tr data-id="' . $r['id'] . '">'
                . View::cell(self::t('STARTED'), View::e($r['started']) . ($r['finished'] ? '<br><small>' . View::e($r['finished']) . '</small>' : ''))
                . View::cell(self::t('KIND'), View::e($r['kind'] . ($r['dryRun'] ? ' (dry run)' : '')))
                . View::cell(self::t('STATUS'), View::e($r['status']))
                . View::cell(self::t('COUNTS'), implode(', ', $counts))
                . View::cell(self::t('ERROR'), View::e($r['error'] ?? '')) . '</tr>';
        }
        if ($page->rows === []) {
            $html .= '<tr><td colspan="5">' . View::e(self::t('NONE')) . '</td></tr>';
        }
        return $html . '</tbody></table>' . View::pager($page, $this->base, $this->keep('r_'), 'r_', 'b24x-runs');
    }

    /** Retry (errors only: a conflict is not settled by trying again) and Mark resolved, as POST forms with the token. */
    private function actions(int $id, bool $retry): string
    {
        if (!$this->canWrite) {
            return '';
        }
        $action = View::e(View::url($this->base, $this->keep('')));
        $form = fn (string $name, string $label) => '<form method="post" action="' . $action . '">' . $this->sessidField
            . '<input type="hidden" name="action" value="' . $name . '"><input type="hidden" name="id" value="' . $id . '">'
            . '<button type="submit" class="adm-btn b24x-' . $name . '" data-action="' . $name . '">' . View::e($label) . '</button></form>';
        return ($retry ? $form('retry', self::t('RETRY')) : '') . $form('resolve', self::t('RESOLVE'));
    }

    public static function entityLabel(string $entityType, int $entityId): string
    {
        return (self::t('ENTITY_' . strtoupper($entityType)) ?: $entityType) . ' #' . $entityId;
    }
}
