<?php

declare(strict_types=1);

namespace B24xero\Sync\Inbox;

/**
 * The inbox contract as the module reads it: one JSON Schema per action in sql/inbox/<action>.schema.json (the files
 * the daemon validates against before it queues a row), plus each schema's x-entity-types and x-entity-id rules.
 */
final class Contract
{
    private const COMMON = 'common.schema.json';

    /** @param array<string, array<string, mixed>> $schemas action => schema */
    private function __construct(private readonly array $schemas, private readonly SchemaValidator $validator)
    {
    }

    public static function load(string $dir): self
    {
        $documents = [];
        $schemas = [];
        foreach (glob(rtrim($dir, '/') . '/*.schema.json') ?: [] as $file) {
            $document = json_decode((string)file_get_contents($file), true, 512, JSON_THROW_ON_ERROR);
            $name = basename($file);
            $documents[$name] = $document;
            if ($name !== self::COMMON) {
                $schemas[substr($name, 0, -strlen('.schema.json'))] = $document;
            }
        }
        if ($schemas === []) {
            throw new SchemaError("no inbox schemas in {$dir}");
        }
        ksort($schemas);
        return new self($schemas, new SchemaValidator($documents));
    }

    /** @return list<string> */
    public function actions(): array
    {
        return array_keys($this->schemas);
    }

    /** @return list<array<string, mixed>> the schema's own examples, decoded as the applier decodes payloads */
    public function examples(string $action): array
    {
        $examples = $this->schema($action)['examples'] ?? [];
        return array_map(static fn ($e) => json_decode((string)json_encode($e), false), $examples);
    }

    /**
     * Checks a row against its action's rules and schema and returns the payload as an array.
     * @return array<string, mixed>
     * @throws ApplyFailure naming what is wrong
     */
    public function check(string $action, string $entityType, ?int $entityId, string $payloadJson): array
    {
        if (!isset($this->schemas[$action])) {
            throw new ApplyFailure("unknown action {$action} (this module knows " . implode(', ', $this->actions()) . ')');
        }
        $schema = $this->schemas[$action];
        $types = $schema['x-entity-types'] ?? [];
        if (!in_array($entityType, $types, true)) {
            throw new ApplyFailure("{$action} applies to " . implode(' or ', $types) . ", not to ENTITY_TYPE {$entityType}");
        }
        $idRule = $schema['x-entity-id'] ?? 'required';
        if ($idRule === 'required' && ($entityId === null || $entityId <= 0)) {
            throw new ApplyFailure("{$action} needs ENTITY_ID");
        }
        if ($idRule === 'null' && $entityId !== null) {
            throw new ApplyFailure("{$action} creates or finds its entity and takes no ENTITY_ID (got {$entityId})");
        }
        try {
            $value = json_decode($payloadJson, false, 64, JSON_THROW_ON_ERROR);
        } catch (\JsonException $e) {
            throw new ApplyFailure('PAYLOAD is not JSON: ' . $e->getMessage());
        }
        $errors = $this->validator->validate($action . '.schema.json', $value);
        if ($errors !== []) {
            throw new ApplyFailure("PAYLOAD does not match {$action}.schema.json: " . implode('; ', $errors));
        }
        return json_decode($payloadJson, true, 64, JSON_THROW_ON_ERROR);
    }

    /** @return list<string> problems of a decoded value against an action's schema (for tests) */
    public function problems(string $action, mixed $value): array
    {
        return $this->validator->validate($action . '.schema.json', $value);
    }

    /** @return array<string, mixed> */
    private function schema(string $action): array
    {
        return $this->schemas[$action] ?? throw new \InvalidArgumentException("unknown action {$action}");
    }
}
