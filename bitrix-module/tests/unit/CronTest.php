<?php

declare(strict_types=1);

namespace B24xero\Sync\Tests\Unit;

use B24xero\Sync\Ui\Cron;
use PHPUnit\Framework\TestCase;

/** The schedules the options page accepts are those the daemon's node-cron accepts. */
final class CronTest extends TestCase
{
    public function testAcceptsFiveOrSixFieldsWithRangesListsStepsAndNames(): void
    {
        foreach (['* * * * *', '*/15 * * * *', '0 2 * * *', '0,30 8-18 * * mon-fri', '*/10 * * * * *', '0 0 1 jan,jul *', '5 4 * * 0', '5 4 * * 7'] as $ok) {
            self::assertTrue(Cron::isValid($ok), $ok);
        }
    }

    public function testRefusesWhatTheSchedulerWouldRefuse(): void
    {
        foreach (['', 'every minute', '* * * *', '60 * * * *', '* 24 * * *', '* * 0 * *', '* * * 13 *', '*/0 * * * *', '* * * * * * *', '1-x * * * *', '0 0 * * funday'] as $bad) {
            self::assertFalse(Cron::isValid($bad), $bad);
        }
    }
}
