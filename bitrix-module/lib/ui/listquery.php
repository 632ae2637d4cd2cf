<?php

declare(strict_types=1);

namespace B24xero\Sync\Ui;

/**
 * Which page of a list, how many rows a page, sorted how — read from the request and clamped to what the list allows,
 * so nothing a user types reaches SQL except through the whitelist of sortable columns.
 */
final class ListQuery
{
    public const PAGE_SIZES = [10, 20, 50, 100];
    public const DEFAULT_PAGE_SIZE = 20;

    /** @param array<string, string> $sortable sort key => SQL expression */
    private function __construct(
        public readonly int $page,
        public readonly int $pageSize,
        public readonly string $sort,
        public readonly bool $descending,
        private readonly array $sortable,
    ) {
    }

    /**
     * @param array<string, mixed> $request e.g. $_GET; keys `<prefix>page`, `<prefix>size`, `<prefix>sort`, `<prefix>dir`
     * @param array<string, string> $sortable sort key => SQL expression (a constant of the view model, never input)
     */
    public static function fromRequest(array $request, string $prefix, array $sortable, string $defaultSort, bool $defaultDescending): self
    {
        $size = (int)($request[$prefix . 'size'] ?? self::DEFAULT_PAGE_SIZE);
        if (!in_array($size, self::PAGE_SIZES, true)) {
            $size = self::DEFAULT_PAGE_SIZE;
        }
        $page = max(1, (int)($request[$prefix . 'page'] ?? 1));
        $sort = (string)($request[$prefix . 'sort'] ?? $defaultSort);
        if (!isset($sortable[$sort])) {
            $sort = $defaultSort;
        }
        $dir = strtolower((string)($request[$prefix . 'dir'] ?? ''));
        $descending = $dir === '' ? $defaultDescending : $dir === 'desc';
        return new self($page, $size, $sort, $descending, $sortable);
    }

    /** ORDER BY of the chosen column, ties broken by `$tieBreak` in the same direction so pages never overlap. */
    public function orderBy(string $tieBreak): string
    {
        $dir = $this->descending ? 'DESC' : 'ASC';
        return "{$this->sortable[$this->sort]} {$dir}, {$tieBreak} {$dir}";
    }

    /** The same query on another page (pages past the last are brought back to the last). */
    public function withPage(int $page): self
    {
        return new self(max(1, $page), $this->pageSize, $this->sort, $this->descending, $this->sortable);
    }

    public function offset(): int
    {
        return ($this->page - 1) * $this->pageSize;
    }

    /** LIMIT/OFFSET as integers (they cannot be bound as parameters everywhere). */
    public function limitClause(): string
    {
        return 'LIMIT ' . $this->pageSize . ' OFFSET ' . $this->offset();
    }
}
