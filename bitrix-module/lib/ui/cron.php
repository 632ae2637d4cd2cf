<?php

declare(strict_types=1);

namespace B24xero\Sync\Ui;

/**
 * The cron expressions the daemon's scheduler (node-cron) accepts: five fields, or six with seconds first; each field
 * `*`, a number, a range, a list, with an optional `/step`; month and weekday names (jan, mon) as well.
 */
final class Cron
{
    /** [min, max] of each field of the five-field form. */
    private const RANGES = [[0, 59], [0, 23], [1, 31], [1, 12], [0, 7]];
    private const NAMES = [
        3 => ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'],
        4 => ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'],
    ];

    public static function isValid(string $expression): bool
    {
        $fields = preg_split('/\s+/', trim($expression)) ?: [];
        if (count($fields) === 6) {
            $seconds = array_shift($fields);
            if (!self::field($seconds, [0, 59], [])) {
                return false;
            }
        }
        if (count($fields) !== 5) {
            return false;
        }
        foreach ($fields as $i => $field) {
            if (!self::field(strtolower($field), self::RANGES[$i], self::NAMES[$i] ?? [])) {
                return false;
            }
        }
        return true;
    }

    /** @param array{0: int, 1: int} $range @param list<string> $names */
    private static function field(string $field, array $range, array $names): bool
    {
        foreach (explode(',', $field) as $part) {
            if (!preg_match('#^(\*|[a-z0-9]+(?:-[a-z0-9]+)?)(?:/(\d+))?$#', $part, $m)) {
                return false;
            }
            if (isset($m[2]) && (int)$m[2] < 1) {
                return false;
            }
            if ($m[1] === '*') {
                continue;
            }
            foreach (explode('-', $m[1]) as $value) {
                if (ctype_digit($value)) {
                    $n = (int)$value;
                } else {
                    $index = array_search($value, $names, true);
                    // Months count from 1 (jan = 1), weekdays from 0 (sun = 0).
                    $n = $index === false ? false : $index + $range[0];
                }
                if ($n === false || $n < $range[0] || $n > $range[1]) {
                    return false;
                }
            }
        }
        return true;
    }
}
