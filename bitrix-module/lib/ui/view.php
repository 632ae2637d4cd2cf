<?php

declare(strict_types=1);

namespace B24xero\Sync\Ui;

use Bitrix\Main\Localization\Loc;

Loc::loadMessages(__FILE__);

/**
 * Small pieces of HTML the module's pages share: escaping, links that keep the current filter, sortable column
 * headers, the pager with its page-size choice, and the stylesheet that lets the lists fold into cards on a phone.
 * Every value passes through e(); nothing here prints raw input.
 */
final class View
{
    public static function e(mixed $value): string
    {
        return htmlspecialchars((string)$value, ENT_QUOTES | ENT_SUBSTITUTE, 'UTF-8');
    }

    /** @param array<string, scalar|null> $params */
    public static function url(string $base, array $params): string
    {
        $params = array_filter($params, static fn ($v): bool => $v !== null && $v !== '');
        return $base . ($params === [] ? '' : (str_contains($base, '?') ? '&' : '?') . http_build_query($params));
    }

    /** A column header that sorts by `$key`, flipping the direction when it already does. @param array<string, scalar|null> $keep */
    public static function sortHeader(string $label, string $key, ListQuery $query, string $base, array $keep, string $prefix): string
    {
        $active = $query->sort === $key;
        $dir = $active && !$query->descending ? 'desc' : 'asc';
        $arrow = $active ? ($query->descending ? ' ▼' : ' ▲') : '';
        $href = self::url($base, $keep + [$prefix . 'sort' => $key, $prefix . 'dir' => $dir, $prefix . 'size' => $query->pageSize]);
        return '<a class="b24x-sort" data-sort="' . self::e($key) . '" href="' . self::e($href) . '">' . self::e($label) . $arrow . '</a>';
    }

    /** Pages 1 … n around the current one, and the page-size choice (a GET form keeping the filter). @param array<string, scalar|null> $keep */
    public static function pager(PageResult $page, string $base, array $keep, string $prefix, string $anchor): string
    {
        $q = $page->query;
        $keep += [$prefix . 'sort' => $q->sort, $prefix . 'dir' => $q->descending ? 'desc' : 'asc'];
        $link = fn (int $n, string $label, string $rel = '') => '<a class="b24x-page' . ($n === $page->page() ? ' b24x-current' : '')
            . '" data-page="' . $n . '"' . ($rel !== '' ? ' rel="' . $rel . '"' : '') . ' href="'
            . self::e(self::url($base, $keep + [$prefix . 'page' => $n, $prefix . 'size' => $q->pageSize]) . '#' . $anchor) . '">' . self::e($label) . '</a>';
        $html = '<div class="b24x-pager" data-list="' . self::e($anchor) . '"><span class="b24x-count">'
            . self::e(Loc::getMessage('B24XERO_SYNC_VIEW_SHOWN', [
                '#FROM#' => $page->total === 0 ? 0 : $q->offset() + 1,
                '#TO#' => $q->offset() + count($page->rows),
                '#TOTAL#' => $page->total,
            ])) . '</span><nav class="b24x-pages">';
        if ($page->page() > 1) {
            $html .= $link($page->page() - 1, '‹', 'prev');
        }
        $last = $page->pageCount();
        foreach (array_unique([1, $page->page() - 1, $page->page(), $page->page() + 1, $last]) as $n) {
            if ($n >= 1 && $n <= $last) {
                $html .= $link($n, (string)$n);
            }
        }
        if ($page->page() < $last) {
            $html .= $link($page->page() + 1, '›', 'next');
        }
        $html .= '</nav><form method="get" action="' . self::e($base) . '#' . self::e($anchor) . '" class="b24x-size">';
        foreach ($keep as $name => $value) {
            if ($value !== null && $value !== '' && !str_contains($base, $name . '=')) {
                $html .= '<input type="hidden" name="' . self::e($name) . '" value="' . self::e($value) . '">';
            }
        }
        $html .= '<label>' . self::e(Loc::getMessage('B24XERO_SYNC_VIEW_PAGE_SIZE')) . ' <select name="' . self::e($prefix . 'size') . '" onchange="this.form.submit()">';
        foreach (ListQuery::PAGE_SIZES as $size) {
            $html .= '<option value="' . $size . '"' . ($size === $q->pageSize ? ' selected' : '') . '>' . $size . '</option>';
        }
        return $html . '</select></label><noscript><button type="submit">' . self::e(Loc::getMessage('B24XERO_SYNC_VIEW_APPLY')) . '</button></noscript></form></div>';
    }

    /** A value cell: data-label names the column in the phone layout, where each row becomes a card. */
    public static function cell(string $label, string $html, string $class = ''): string
    {
        return '<td data-label="' . self::e($label) . '"' . ($class !== '' ? ' class="' . self::e($class) . '"' : '') . '>' . $html . '</td>';
    }

    public static function styles(): string
    {
        return <<<'CSS'
<style>
.b24x { box-sizing: border-box; max-width: 100%; font-size: 13px; }
.b24x *, .b24x *::before, .b24x *::after { box-sizing: inherit; }
.b24x h2 { font-size: 16px; margin: 18px 0 8px; }
.b24x-table { width: 100%; border-collapse: collapse; background: #fff; }
.b24x-table th, .b24x-table td { padding: 6px 8px; border-bottom: 1px solid #e0e5e8; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
.b24x-table th { background: #e6ecef; font-weight: 600; }
.b24x-num { text-align: right; white-space: nowrap; }
.b24x-overdue { color: #c0392b; font-weight: 600; }
.b24x-filter, .b24x-totals { display: flex; flex-wrap: wrap; gap: 8px; align-items: flex-end; margin: 8px 0; }
.b24x-filter label { display: flex; flex-direction: column; gap: 2px; }
.b24x-filter input, .b24x-filter select { min-width: 0; max-width: 100%; }
.b24x-total { background: #fff; border: 1px solid #dde3e6; border-radius: 4px; padding: 8px 12px; min-width: 140px; }
.b24x-pager { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; justify-content: space-between; margin: 8px 0 16px; }
.b24x-pages a { display: inline-block; min-width: 28px; padding: 4px 6px; margin: 0 2px; text-align: center; border: 1px solid #c5ced3; border-radius: 3px; text-decoration: none; }
.b24x-pages a.b24x-current { background: #2b6f9b; color: #fff; border-color: #2b6f9b; }
.b24x-actions form { display: inline; }
.b24x-actions button { margin: 2px 4px 2px 0; }
.b24x-note { padding: 8px 12px; margin: 8px 0; border-radius: 4px; background: #eaf6e5; border: 1px solid #b8dca9; }
.b24x-error { padding: 8px 12px; margin: 8px 0; border-radius: 4px; background: #fdecea; border: 1px solid #f3b6ae; }
.b24x-versions { display: grid; grid-template-columns: 1fr 1fr; gap: 8px; }
.b24x-versions dl { margin: 0; }
.b24x-versions dt { font-weight: 600; }
.b24x-form-row { display: flex; flex-wrap: wrap; gap: 4px 12px; margin: 6px 0; align-items: center; }
.b24x-form-row > label:first-child { flex: 0 0 220px; font-weight: 600; }
.b24x-form-row select, .b24x-form-row input[type=text], .b24x-form-row input[type=number] { max-width: 100%; }
@media (max-width: 720px) {
  .b24x-table thead { display: none; }
  .b24x-table, .b24x-table tbody, .b24x-table tr, .b24x-table td { display: block; width: 100%; }
  .b24x-table tr { border: 1px solid #dde3e6; border-radius: 4px; margin-bottom: 8px; background: #fff; }
  .b24x-table td { border: 0; padding: 4px 8px; text-align: left; white-space: normal; }
  .b24x-table td::before { content: attr(data-label); display: block; font-size: 11px; color: #6b7a83; }
  .b24x-versions { grid-template-columns: 1fr; }
  .b24x-form-row > label:first-child { flex-basis: 100%; }
  .b24x-filter label, .b24x-filter input, .b24x-filter select { width: 100%; }
}
</style>
CSS;
    }
}
