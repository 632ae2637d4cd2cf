<?php

declare(strict_types=1);

namespace B24xero\Sync\Db;

/** The schema could not be brought up to date; the message says why and what to do. */
final class MigrationError extends \RuntimeException
{
}
