<?php

declare(strict_types=1);

namespace B24xero\Sync\Db;

/**
 * Binds `?` placeholders into a statement. The module's statements are written in this code base and never hold a
 * literal `?`, so a plain left-to-right replacement is exact; values are quoted by the connection that runs them.
 */
final class SqlParams
{
    /**
     * @param list<scalar|null> $params
     * @param callable(string): string $quote
     */
    public static function bind(string $sql, array $params, callable $quote): string
    {
        if ($params === []) {
            return $sql;
        }
        $parts = explode('?', $sql);
        if (count($parts) - 1 !== count($params)) {
            throw new \InvalidArgumentException(sprintf(
                'statement has %d placeholders but %d values were given: %s',
                count($parts) - 1,
                count($params),
                self::firstLine($sql),
            ));
        }
        $out = $parts[0];
        foreach (array_values($params) as $i => $value) {
            $out .= self::literal($value, $quote) . $parts[$i + 1];
        }
        return $out;
    }

    /** @param callable(string): string $quote */
    private static function literal(mixed $value, callable $quote): string
    {
        if ($value === null) {
            return 'NULL';
        }
        if (is_bool($value)) {
            return $value ? '1' : '0';
        }
        if (is_int($value)) {
            return (string)$value;
        }
        if (is_float($value)) {
            if (!is_finite($value)) {
                throw new \InvalidArgumentException('cannot store a non-finite number');
            }
            // Enough digits to round-trip a double; never exponent notation the server would read differently.
            return rtrim(rtrim(sprintf('%.15F', $value), '0'), '.') ?: '0';
        }
        if (is_string($value)) {
            return $quote($value);
        }
        throw new \InvalidArgumentException('cannot bind a value of type ' . get_debug_type($value));
    }

    private static function firstLine(string $sql): string
    {
        return substr(trim(strtok($sql, "\n") ?: $sql), 0, 120);
    }
}
