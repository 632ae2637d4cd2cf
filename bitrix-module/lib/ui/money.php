<?php

declare(strict_types=1);

namespace B24xero\Sync\Ui;

/** Decimal strings as the database returns them, shown with two decimals and no float arithmetic. */
final class Money
{
    public static function format(string $decimal): string
    {
        if (!preg_match('/^(-?)(\d*)(?:\.(\d*))?$/', trim($decimal), $m)) {
            return $decimal;
        }
        $fraction = str_pad($m[3] ?? '', 3, '0');
        $cents = (int)($m[2] === '' ? '0' : $m[2]) * 100 + (int)substr($fraction, 0, 2);
        if ((int)$fraction[2] >= 5) {
            $cents++;
        }
        $sign = $m[1] === '-' && $cents > 0 ? '-' : '';
        return $sign . intdiv($cents, 100) . '.' . str_pad((string)($cents % 100), 2, '0', STR_PAD_LEFT);
    }
}
