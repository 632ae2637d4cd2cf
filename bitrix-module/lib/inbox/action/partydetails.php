<?php

declare(strict_types=1);

namespace B24xero\Sync\Inbox\Action;

use B24xero\Sync\Crm\Party;
use B24xero\Sync\Inbox\ApplyFailure;

/**
 * The contact details of a payload (common.schema.json#/$defs/partyDetails) against what a contact or company has:
 * the keys of a change for CrmGateway::createParty / updateParty, holding only what differs. Emails and phones
 * replace all values of their kind, addresses the addresses of the types given. accountNumber has no Bitrix field
 * and stays in Xero.
 */
final class PartyDetails
{
    /** b_crm_requisite.RQ_VAT_ID, where a tax number goes, is VARCHAR(20). */
    public const TAX_NUMBER_MAX = 20;

    /**
     * @param array<string, mixed> $details
     * @return array<string, mixed>
     */
    public static function change(?Party $current, array $details): array
    {
        $change = [];
        foreach (['emails', 'phones'] as $kind) {
            if (!array_key_exists($kind, $details)) {
                continue;
            }
            $wanted = self::multi($details[$kind], $kind === 'emails');
            $have = $current === null ? [] : self::multi($kind === 'emails' ? $current->emails : $current->phones, $kind === 'emails');
            if ($wanted !== $have) {
                $change[$kind] = array_map(static fn (array $v): array => ['value' => trim((string)$v['value']), 'type' => (string)$v['type']], $details[$kind]);
            }
        }
        if (array_key_exists('addresses', $details)) {
            $addresses = [];
            foreach ($details['addresses'] as $address) {
                $wanted = self::address($address);
                $have = $current?->addresses[$address['type']] ?? self::address([]);
                if ($wanted !== $have) {
                    $addresses[] = ['type' => $address['type']] + $wanted;
                }
            }
            if ($addresses !== []) {
                $change['addresses'] = $addresses;
            }
        }
        foreach (['website' => $current?->website, 'taxNumber' => $current?->taxNumber] as $key => $have) {
            if (!array_key_exists($key, $details)) {
                continue;
            }
            $wanted = self::text($details[$key]);
            if ($key === 'taxNumber' && mb_strlen($wanted) > self::TAX_NUMBER_MAX) {
                throw new ApplyFailure("tax number '{$wanted}' is longer than the " . self::TAX_NUMBER_MAX . ' characters Bitrix keeps (requisite VAT id): nothing was changed');
            }
            if ($wanted !== self::text($have)) {
                $change[$key] = $wanted === '' ? null : $wanted;
            }
        }
        return $change;
    }

    /** @param array<string, mixed> $address @return array<string, string> */
    public static function address(array $address): array
    {
        $out = [];
        foreach (Party::ADDRESS_PARTS as $part) {
            $out[$part] = self::text($address[$part] ?? null);
        }
        return $out;
    }

    /** Sorted (value, type) pairs; emails compare without case. @param list<array<string, mixed>> $values @return list<string> */
    private static function multi(array $values, bool $caseless): array
    {
        $out = array_map(static function (array $v) use ($caseless): string {
            $value = trim((string)$v['value']);
            return ($caseless ? mb_strtolower($value) : $value) . "\t" . $v['type'];
        }, $values);
        sort($out);
        return $out;
    }

    private static function text(mixed $value): string
    {
        return trim((string)($value ?? ''));
    }
}
