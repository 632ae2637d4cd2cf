<?php

declare(strict_types=1);

namespace B24xero\Sync\Inbox;

/** A contract schema the validator cannot use (outside the agreed subset, a broken $ref): a build problem, not a row's. */
final class SchemaError extends \LogicException
{
}
