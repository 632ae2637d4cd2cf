<?php

declare(strict_types=1);

namespace B24xero\Sync\Crm;

/** What Xero knows of the payment that made an invoice paid: PAY_VOUCHER_DATE / PAY_VOUCHER_NUM of a legacy invoice. */
final class Payment
{
    public function __construct(public readonly string $date, public readonly ?string $reference)
    {
    }
}
