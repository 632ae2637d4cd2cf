<?php

declare(strict_types=1);

namespace B24xero\Sync\Crm;

/** A contact or company as the applier sees it. */
final class Party
{
    public const ADDRESS_PARTS = ['address1', 'address2', 'city', 'region', 'postalCode', 'country'];

    /**
     * @param list<array{value: string, type: string}> $emails
     * @param list<array{value: string, type: string}> $phones
     * @param array<string, array<string, string>> $addresses 'street' | 'postal' => ADDRESS_PARTS ('' when empty)
     * @param array<string, string|null> $fields UF_CRM_XERO_ID, UF_CRM_XERO_STATUS
     */
    public function __construct(
        public readonly string $entityType,
        public readonly int $id,
        public readonly string $firstName,
        public readonly string $lastName,
        public readonly string $title,
        public readonly array $emails,
        public readonly array $phones,
        public readonly ?string $website,
        public readonly array $addresses,
        public readonly ?string $taxNumber,
        public readonly array $fields,
        /** Whether it is the primary contact of the company it was listed for (companyContacts). */
        public readonly bool $primary = false,
    ) {
    }

    public function label(): string
    {
        return "{$this->entityType} {$this->id}";
    }

    /** @return list<string> its emails, trimmed and lower-cased, for matching people */
    public function emailKeys(): array
    {
        return array_map(static fn (array $e): string => mb_strtolower(trim($e['value'])), $this->emails);
    }
}
