<?php

declare(strict_types=1);

namespace B24xero\Sync\Inbox;

/**
 * An inbox row that cannot be applied as it stands — bad payload, entity deleted in Bitrix, unknown stage, a field
 * the entity does not have, crm refusing the change. The row is settled as failed with this message (trying again
 * would fail the same way); the rows after it go on.
 */
final class ApplyFailure extends \RuntimeException
{
}
