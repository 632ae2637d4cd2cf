<?php

declare(strict_types=1);

namespace B24xero\Sync\Ui;

/** One page of a list: its rows, and enough about the whole list to draw the pager. */
final class PageResult
{
    /** @param list<array<string, mixed>> $rows */
    public function __construct(
        public readonly array $rows,
        public readonly int $total,
        public readonly ListQuery $query,
    ) {
    }

    public function pageCount(): int
    {
        return max(1, (int)ceil($this->total / $this->query->pageSize));
    }

    public function page(): int
    {
        return $this->query->page;
    }
}
