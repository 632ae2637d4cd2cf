<?php

declare(strict_types=1);

namespace B24xero\Sync\Tests\Unit;

use B24xero\Sync\Inbox\ApplyFailure;
use B24xero\Sync\Inbox\Contract;
use B24xero\Sync\Inbox\SchemaError;
use B24xero\Sync\Inbox\SchemaValidator;
use B24xero\Sync\Module;
use PHPUnit\Framework\TestCase;

/** The inbox contract of sql/inbox/ through the module's validator. */
final class ContractTest extends TestCase
{
    private static Contract $contract;

    public static function setUpBeforeClass(): void
    {
        self::$contract = Contract::load(Module::sqlDir() . '/inbox');
    }

    public function testKnowsEveryActionOfTheContract(): void
    {
        self::assertSame(
            ['import_company', 'import_contact', 'set_fields', 'set_invoice_content', 'set_stage', 'update_party'],
            self::$contract->actions(),
        );
    }

    public function testAcceptsEveryExampleOfEverySchema(): void
    {
        $count = 0;
        foreach (self::$contract->actions() as $action) {
            foreach (self::$contract->examples($action) as $i => $example) {
                self::assertSame([], self::$contract->problems($action, $example), "{$action} example {$i}");
                $count++;
            }
        }
        self::assertGreaterThanOrEqual(13, $count);
    }

    /** @return iterable<string, array{0: string, 1: string, 2: string}> action, payload, expected problem */
    public static function invalidPayloads(): iterable
    {
        yield 'unknown field' => ['set_fields', '{"fields":{"UF_CRM_OTHER":"x"}}', '/fields: has no property UF_CRM_OTHER'];
        yield 'no fields' => ['set_fields', '{"fields":{}}', '/fields: must have at least 1 properties, has 0'];
        yield 'fields as a list' => ['set_fields', '{"fields":[]}', '/fields: expected object, got array'];
        yield 'wrong type' => ['set_fields', '{"fields":{"UF_CRM_XERO_AMOUNT_DUE":"57.50"}}', '/fields/UF_CRM_XERO_AMOUNT_DUE: expected number or null, got string'];
        yield 'too long' => ['set_fields', '{"fields":{"UF_CRM_XERO_STATUS":"' . str_repeat('ß', 33) . '"}}', 'must be at most 32 characters, got 33'];
        yield 'enum' => ['set_stage', '{"stageId":"P","xeroStatus":"PAYED","reason":"paid"}', '/xeroStatus: must be one of "DRAFT"'];
        yield 'missing' => ['set_stage', '{"stageId":"P","xeroStatus":"PAID"}', '/: is missing reason'];
        yield 'pattern through $ref' => ['set_stage', '{"stageId":"P","xeroStatus":"PAID","reason":"paid","payment":{"date":"30.11.2026"}}', '/payment/date: "30.11.2026" does not match'];
        yield 'exclusiveMinimum' => ['set_invoice_content', '{"xeroInvoiceId":"3f1c2a9e-5b7d-4e21-9a0b-8c6d4e2f1a37","xeroUpdatedUtc":"2026-12-01 09:15:02","rows":[{"productId":0,"name":"X","price":1,"quantity":0,"discountType":"none","discountRate":0,"discountSum":0,"taxRate":0,"taxIncluded":false,"sort":10}]}', '/rows/0/quantity: must be more than 0, got 0'];
        yield 'integer' => ['set_invoice_content', '{"xeroInvoiceId":"3f1c2a9e-5b7d-4e21-9a0b-8c6d4e2f1a37","xeroUpdatedUtc":"2026-12-01 09:15:02","rows":[{"productId":1.5,"name":"X","price":1,"quantity":1,"discountType":"none","discountRate":0,"discountSum":0,"taxRate":0,"taxIncluded":false,"sort":10}]}', '/rows/0/productId: expected integer, got number'];
        yield 'minProperties' => ['set_invoice_content', '{"xeroInvoiceId":"3f1c2a9e-5b7d-4e21-9a0b-8c6d4e2f1a37","xeroUpdatedUtc":"2026-12-01 09:15:02"}', '/: must have at least 3 properties, has 2'];
        yield 'anyOf' => ['import_company', '{"xeroContactId":"1d2e3f4a-5b6c-4d7e-8f90-a1b2c3d4e5f6","xeroUpdatedUtc":"2026-11-29 03:00:00","title":"T","details":{},"primaryPerson":{"firstName":"A"},"persons":[]}', '/primaryPerson: is missing lastName'];
        yield 'maxItems' => ['import_company', '{"xeroContactId":"1d2e3f4a-5b6c-4d7e-8f90-a1b2c3d4e5f6","xeroUpdatedUtc":"2026-11-29 03:00:00","title":"T","details":{},"primaryPerson":null,"persons":[' . implode(',', array_fill(0, 6, '{"firstName":"A","lastName":"B","email":null}')) . ']}', '/persons: must have at most 5 items, has 6'];
        yield 'xero id case' => ['import_contact', '{"xeroContactId":"9A0B8C6D-4E2F-4A37-8C1D-2E3F4A5B6C7D","xeroUpdatedUtc":"2026-11-28 22:04:11.530","person":{"firstName":"A","lastName":"B"},"details":{}}', '/xeroContactId: "9A0B8C6D'];
    }

    /** @dataProvider invalidPayloads */
    public function testRefusesAPayloadOutsideItsSchemaSayingWhere(string $action, string $payload, string $problem): void
    {
        $type = str_starts_with($action, 'import_company') ? 'company' : (str_starts_with($action, 'import_') ? 'contact' : 'smart_invoice');
        try {
            self::$contract->check($action, $type, str_starts_with($action, 'import_') ? null : 1, $payload);
            self::fail('accepted an invalid payload');
        } catch (ApplyFailure $e) {
            self::assertStringContainsString($problem, $e->getMessage());
            self::assertStringContainsString("PAYLOAD does not match {$action}.schema.json", $e->getMessage());
        }
    }

    public function testEnforcesTheEntityTypeAndEntityIdRulesOfEachAction(): void
    {
        $fields = '{"fields":{"UF_CRM_XERO_STATUS":"PAID"}}';
        self::assertSame(['fields' => ['UF_CRM_XERO_STATUS' => 'PAID']], self::$contract->check('set_fields', 'legacy_invoice', 5, $fields));
        $cases = [
            ['set_stage', 'contact', 5, '{"stageId":"P","xeroStatus":"PAID","reason":"paid"}', 'set_stage applies to smart_invoice or legacy_invoice, not to ENTITY_TYPE contact'],
            ['set_fields', 'company', null, $fields, 'set_fields needs ENTITY_ID'],
            ['import_contact', 'contact', 7, '{}', 'import_contact creates or finds its entity and takes no ENTITY_ID (got 7)'],
            ['delete_everything', 'contact', 7, '{}', 'unknown action delete_everything'],
            ['set_fields', 'company', 3, '{"fields": ', 'PAYLOAD is not JSON'],
        ];
        foreach ($cases as [$action, $type, $id, $payload, $message]) {
            try {
                self::$contract->check($action, $type, $id, $payload);
                self::fail("accepted {$action} on {$type}");
            } catch (ApplyFailure $e) {
                self::assertStringContainsString($message, $e->getMessage());
            }
        }
    }

    public function testRefusesSchemasThatUseKeywordsOutsideTheSubset(): void
    {
        $this->expectException(SchemaError::class);
        $this->expectExceptionMessage('a.schema.json#/properties/when: keyword format is outside the subset');
        new SchemaValidator(['a.schema.json' => ['type' => 'object', 'properties' => ['when' => ['type' => 'string', 'format' => 'date']]]]);
    }

    public function testTreatsAWholeFloatAsAnIntegerAndComparesConstAndEnumAsJson(): void
    {
        $v = new SchemaValidator(['a.json' => ['type' => 'object', 'properties' => [
            'n' => ['type' => 'integer'], 'c' => ['const' => 1], 'e' => ['enum' => [['x' => 1], 'y']],
        ]]]);
        self::assertSame([], $v->validate('a.json', json_decode('{"n": 3.0, "c": 1.0, "e": {"x": 1}}')));
        self::assertSame(['/e: must be one of {"x":1}, "y", got {"x":2}'], $v->validate('a.json', json_decode('{"e": {"x": 2}}')));
    }
}
