<?php

declare(strict_types=1);

namespace B24xero\Sync\Install;

/** One row of b_module_to_module: which event of which module calls which static method of ours. */
final class HandlerRegistration
{
    /** @param 1|2 $version 1 = old-style positional arguments (…Compatible), 2 = one \Bitrix\Main\Event */
    public function __construct(
        public readonly string $fromModule,
        public readonly string $event,
        public readonly string $toModule,
        public readonly string $class,
        public readonly string $method,
        public readonly int $version,
        public readonly int $sort = 100,
    ) {
    }

    /** Event names are matched case-insensitively by Bitrix, class names by PHP: compare the way they are looked up. */
    public function key(): string
    {
        return strtolower(implode('|', [$this->fromModule, $this->event, $this->toModule, ltrim($this->class, '\\'), $this->method]))
            . '|' . $this->version;
    }
}
