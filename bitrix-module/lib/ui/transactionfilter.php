<?php

declare(strict_types=1);

namespace B24xero\Sync\Ui;

/** The dashboard's transaction filter: a date range, part of a contact's name, one type. Invalid parts are dropped. */
final class TransactionFilter
{
    /** The kinds of Xero money movement the daemon stores (b_b24xero_transaction.XERO_TYPE). */
    public const TYPES = ['invoice', 'payment', 'credit_note', 'bank_transaction'];

    private function __construct(
        public readonly ?string $dateFrom,
        public readonly ?string $dateTo,
        public readonly string $contact,
        public readonly ?string $type,
    ) {
    }

    /** @param array<string, mixed> $request */
    public static function fromRequest(array $request): self
    {
        $type = (string)($request['type'] ?? '');
        return new self(
            self::date($request['from'] ?? null),
            self::date($request['to'] ?? null),
            mb_substr(trim((string)($request['contact'] ?? '')), 0, 100),
            in_array($type, self::TYPES, true) ? $type : null,
        );
    }

    public static function none(): self
    {
        return new self(null, null, '', null);
    }

    /** @return array<string, string> the filter as query parameters (for links that keep it) */
    public function toQuery(): array
    {
        return array_filter(
            ['from' => $this->dateFrom ?? '', 'to' => $this->dateTo ?? '', 'contact' => $this->contact, 'type' => $this->type ?? ''],
            static fn (string $v): bool => $v !== '',
        );
    }

    private static function date(mixed $value): ?string
    {
        $text = trim((string)$value);
        if (!preg_match('/^(\d{4})-(\d{2})-(\d{2})$/', $text, $m) || !checkdate((int)$m[2], (int)$m[3], (int)$m[1])) {
            return null;
        }
        return $text;
    }
}
