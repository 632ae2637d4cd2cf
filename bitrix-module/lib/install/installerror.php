<?php

declare(strict_types=1);

namespace B24xero\Sync\Install;

/**
 * The install could not go on. `reportCode` names the lang message (B24XERO_SYNC_REPORT_<CODE>) shown to the admin;
 * the exception message is the same in English for logs.
 */
final class InstallError extends \RuntimeException
{
    /** @param array<string, string> $params */
    public function __construct(
        public readonly string $reportCode,
        string $message,
        public readonly array $params = [],
        ?\Throwable $previous = null,
    ) {
        parent::__construct($message, 0, $previous);
    }
}
