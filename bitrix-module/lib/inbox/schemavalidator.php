<?php

declare(strict_types=1);

namespace B24xero\Sync\Inbox;

/**
 * The JSON Schema 2020-12 subset both sides of the inbox contract implement (sql/inbox/README.md): type (one or a
 * list, "null" included), properties, required, additionalProperties, items, enum, const, pattern, minLength,
 * maxLength, minimum, maximum, exclusiveMinimum, minItems, maxItems, minProperties, anyOf, and $ref to #/$defs/… or
 * <file>#/$defs/…. A schema using any other keyword is refused when it is loaded, so the daemon's validator and this
 * one can never silently disagree. Data is validated as json_decode() gives it without `assoc` (objects stay objects,
 * so {} and [] are told apart); lengths count characters, as JSON Schema does.
 */
final class SchemaValidator
{
    private const ASSERTIONS = [
        'type', 'properties', 'required', 'additionalProperties', 'items', 'enum', 'const', 'pattern', 'minLength',
        'maxLength', 'minimum', 'maximum', 'exclusiveMinimum', 'minItems', 'maxItems', 'minProperties', 'anyOf', '$ref',
    ];
    private const ANNOTATIONS = ['$schema', '$id', '$defs', 'title', 'description', 'examples', 'default'];
    private const MAX_ERRORS = 5;

    /** @param array<string, array<string, mixed>> $documents file name => decoded schema document */
    public function __construct(private readonly array $documents)
    {
        foreach ($documents as $name => $document) {
            $this->checkKeywords($document, $name . '#');
        }
    }

    /**
     * @return list<string> problems as "<JSON pointer>: <what is wrong>", empty when the value is valid
     */
    public function validate(string $document, mixed $value): array
    {
        if (!isset($this->documents[$document])) {
            throw new SchemaError("no schema document {$document}");
        }
        $errors = [];
        $this->check($this->documents[$document], $value, '', $document, $errors);
        return array_slice($errors, 0, self::MAX_ERRORS);
    }

    /** @param array<string, mixed> $schema @param list<string> $errors */
    private function check(array $schema, mixed $value, string $path, string $document, array &$errors): void
    {
        if (isset($schema['$ref'])) {
            [$refDocument, $target] = $this->resolve((string)$schema['$ref'], $document);
            $this->check($target, $value, $path, $refDocument, $errors);
        }
        if (isset($schema['type']) && !$this->hasType($value, (array)$schema['type'])) {
            $errors[] = $this->at($path) . 'expected ' . implode(' or ', (array)$schema['type']) . ', got ' . self::typeOf($value);
            return;
        }
        if (array_key_exists('const', $schema) && !self::equal($schema['const'], $value)) {
            $errors[] = $this->at($path) . 'must be ' . json_encode($schema['const']);
        }
        if (isset($schema['enum']) && !self::inList($value, $schema['enum'])) {
            $errors[] = $this->at($path) . 'must be one of ' . implode(', ', array_map('json_encode', $schema['enum'])) . ', got ' . json_encode($value);
        }
        if (isset($schema['anyOf'])) {
            $this->checkAnyOf($schema['anyOf'], $value, $path, $document, $errors);
        }
        if (is_string($value)) {
            $this->checkString($schema, $value, $path, $errors);
        } elseif (is_int($value) || is_float($value)) {
            $this->checkNumber($schema, $value, $path, $errors);
        } elseif (is_array($value)) {
            $this->checkArray($schema, $value, $path, $document, $errors);
        } elseif ($value instanceof \stdClass) {
            $this->checkObject($schema, $value, $path, $document, $errors);
        }
    }

    /** @param list<array<string, mixed>> $options @param list<string> $errors */
    private function checkAnyOf(array $options, mixed $value, string $path, string $document, array &$errors): void
    {
        $failures = [];
        foreach ($options as $option) {
            $optionErrors = [];
            $this->check($option, $value, $path, $document, $optionErrors);
            if ($optionErrors === []) {
                return;
            }
            $failures[] = $optionErrors;
        }
        // Explain the closest form: the first one whose type the value had, else the first one.
        foreach ($failures as $optionErrors) {
            if (!str_contains($optionErrors[0], ': expected ')) {
                array_push($errors, ...$optionErrors);
                return;
            }
        }
        array_push($errors, ...$failures[0]);
    }

    /** @param array<string, mixed> $schema @param list<string> $errors */
    private function checkString(array $schema, string $value, string $path, array &$errors): void
    {
        $length = mb_strlen($value, 'UTF-8');
        if (isset($schema['minLength']) && $length < $schema['minLength']) {
            $errors[] = $this->at($path) . "must be at least {$schema['minLength']} characters, got {$length}";
        }
        if (isset($schema['maxLength']) && $length > $schema['maxLength']) {
            $errors[] = $this->at($path) . "must be at most {$schema['maxLength']} characters, got {$length}";
        }
        if (isset($schema['pattern'])) {
            $matched = @preg_match('/' . str_replace('/', '\\/', (string)$schema['pattern']) . '/u', $value);
            if ($matched === false) {
                throw new SchemaError("pattern {$schema['pattern']} is not a valid regular expression");
            }
            if ($matched === 0) {
                $errors[] = $this->at($path) . json_encode($value, JSON_UNESCAPED_UNICODE) . " does not match {$schema['pattern']}";
            }
        }
    }

    /** @param array<string, mixed> $schema @param list<string> $errors */
    private function checkNumber(array $schema, int|float $value, string $path, array &$errors): void
    {
        if (isset($schema['minimum']) && $value < $schema['minimum']) {
            $errors[] = $this->at($path) . "must be at least {$schema['minimum']}, got {$value}";
        }
        if (isset($schema['maximum']) && $value > $schema['maximum']) {
            $errors[] = $this->at($path) . "must be at most {$schema['maximum']}, got {$value}";
        }
        if (isset($schema['exclusiveMinimum']) && $value <= $schema['exclusiveMinimum']) {
            $errors[] = $this->at($path) . "must be more than {$schema['exclusiveMinimum']}, got {$value}";
        }
    }

    /** @param array<string, mixed> $schema @param list<mixed> $value @param list<string> $errors */
    private function checkArray(array $schema, array $value, string $path, string $document, array &$errors): void
    {
        $count = count($value);
        if (isset($schema['minItems']) && $count < $schema['minItems']) {
            $errors[] = $this->at($path) . "must have at least {$schema['minItems']} items, has {$count}";
        }
        if (isset($schema['maxItems']) && $count > $schema['maxItems']) {
            $errors[] = $this->at($path) . "must have at most {$schema['maxItems']} items, has {$count}";
        }
        if (isset($schema['items'])) {
            foreach ($value as $i => $item) {
                $this->check($schema['items'], $item, "{$path}/{$i}", $document, $errors);
            }
        }
    }

    /** @param array<string, mixed> $schema @param list<string> $errors */
    private function checkObject(array $schema, \stdClass $value, string $path, string $document, array &$errors): void
    {
        $present = get_object_vars($value);
        if (isset($schema['minProperties']) && count($present) < $schema['minProperties']) {
            $errors[] = $this->at($path) . "must have at least {$schema['minProperties']} properties, has " . count($present);
        }
        foreach ($schema['required'] ?? [] as $name) {
            if (!array_key_exists($name, $present)) {
                $errors[] = $this->at($path) . "is missing {$name}";
            }
        }
        $properties = $schema['properties'] ?? [];
        foreach ($present as $name => $item) {
            $itemPath = $path . '/' . str_replace(['~', '/'], ['~0', '~1'], (string)$name);
            if (isset($properties[$name])) {
                $this->check($properties[$name], $item, $itemPath, $document, $errors);
            } elseif (($schema['additionalProperties'] ?? true) === false) {
                $errors[] = $this->at($path) . "has no property {$name}";
            } elseif (is_array($schema['additionalProperties'] ?? null)) {
                $this->check($schema['additionalProperties'], $item, $itemPath, $document, $errors);
            }
        }
    }

    /** @return array{0: string, 1: array<string, mixed>} the document the target is in, and the target */
    private function resolve(string $ref, string $document): array
    {
        [$file, $pointer] = array_pad(explode('#', $ref, 2), 2, '');
        $target = $this->documents[$file === '' ? $document : $file] ?? null;
        if ($target === null) {
            throw new SchemaError("\$ref {$ref}: no schema document " . ($file ?: $document));
        }
        foreach (array_filter(explode('/', $pointer), static fn ($p) => $p !== '') as $part) {
            $part = str_replace(['~1', '~0'], ['/', '~'], $part);
            if (!is_array($target) || !array_key_exists($part, $target)) {
                throw new SchemaError("\$ref {$ref} points at nothing");
            }
            $target = $target[$part];
        }
        return [$file === '' ? $document : $file, $target];
    }

    /** @param list<string> $types */
    private function hasType(mixed $value, array $types): bool
    {
        foreach ($types as $type) {
            $ok = match ($type) {
                'null' => $value === null,
                'boolean' => is_bool($value),
                'string' => is_string($value),
                'number' => is_int($value) || is_float($value),
                // 2020-12: a number with a zero fractional part is an integer (JSON has one number type).
                'integer' => is_int($value) || (is_float($value) && is_finite($value) && floor($value) === $value),
                'array' => is_array($value),
                'object' => $value instanceof \stdClass,
                default => throw new SchemaError("unknown type {$type}"),
            };
            if ($ok) {
                return true;
            }
        }
        return false;
    }

    private static function typeOf(mixed $value): string
    {
        return match (true) {
            $value === null => 'null',
            is_bool($value) => 'boolean',
            is_int($value) => 'integer',
            is_float($value) => 'number',
            is_string($value) => 'string',
            is_array($value) => 'array',
            default => 'object',
        };
    }

    /** @param list<mixed> $list */
    private static function inList(mixed $value, array $list): bool
    {
        foreach ($list as $candidate) {
            if (self::equal($candidate, $value)) {
                return true;
            }
        }
        return false;
    }

    /** JSON equality: 1 equals 1.0, objects compare by members whatever their order. */
    private static function equal(mixed $a, mixed $b): bool
    {
        if ((is_int($a) || is_float($a)) && (is_int($b) || is_float($b))) {
            return $a == $b;
        }
        if (is_array($a) && $a !== [] && !array_is_list($a)) {
            $a = (object)$a; // an object in a decoded schema
        }
        if ($a instanceof \stdClass || $b instanceof \stdClass) {
            if (!$a instanceof \stdClass || !$b instanceof \stdClass) {
                return false;
            }
            $va = get_object_vars($a);
            $vb = get_object_vars($b);
            ksort($va);
            ksort($vb);
            return array_keys($va) === array_keys($vb) && self::equal(array_values($va), array_values($vb));
        }
        if (is_array($a) || is_array($b)) {
            if (!is_array($a) || !is_array($b) || count($a) !== count($b)) {
                return false;
            }
            foreach (array_values($a) as $i => $item) {
                if (!self::equal($item, array_values($b)[$i])) {
                    return false;
                }
            }
            return true;
        }
        return $a === $b;
    }

    private function at(string $path): string
    {
        return ($path === '' ? '/' : $path) . ': ';
    }

    /** @param array<string, mixed> $schema */
    private function checkKeywords(array $schema, string $where): void
    {
        foreach ($schema as $keyword => $value) {
            $keyword = (string)$keyword;
            if (str_starts_with($keyword, 'x-') || in_array($keyword, self::ANNOTATIONS, true)) {
                if ($keyword === '$defs') {
                    foreach ($value as $name => $def) {
                        $this->checkKeywords($def, "{$where}/\$defs/{$name}");
                    }
                }
                continue;
            }
            if (!in_array($keyword, self::ASSERTIONS, true)) {
                throw new SchemaError("{$where}: keyword {$keyword} is outside the subset sql/inbox/README.md allows");
            }
            match ($keyword) {
                'properties' => array_walk($value, fn ($s, $n) => $this->checkKeywords($s, "{$where}/properties/{$n}")),
                'items' => $this->checkKeywords($value, "{$where}/items"),
                'anyOf' => array_walk($value, fn ($s, $i) => $this->checkKeywords($s, "{$where}/anyOf/{$i}")),
                'additionalProperties' => is_array($value) ? $this->checkKeywords($value, "{$where}/additionalProperties") : null,
                default => null,
            };
        }
    }
}
