<?php

declare(strict_types=1);

namespace B24xero\Sync\Ui;

use B24xero\Sync\Db\Database;

/**
 * The Xero organisation data the daemon caches (b_b24xero_org_cache.CONTEXT, version 1 of
 * daemon/src/sync/push/org-context-json.ts): the choices of the account and tax drop-downs, so an admin picks a code
 * Xero has instead of typing one.
 */
final class OrgData
{
    /**
     * @param list<array{code: string, name: string}> $salesAccounts
     * @param list<array{taxType: string, name: string, rate: float}> $salesTaxRates
     */
    private function __construct(
        public readonly ?string $fetchedAt,
        public readonly string $baseCurrency,
        public readonly array $salesAccounts,
        public readonly array $salesTaxRates,
    ) {
    }

    public static function load(Database $db): self
    {
        $row = $db->fetchAll('SELECT CONTEXT, FETCHED_AT FROM b_b24xero_org_cache ORDER BY FETCHED_AT DESC LIMIT 1')[0] ?? null;
        $context = $row === null ? null : json_decode((string)$row['CONTEXT'], true);
        if (!is_array($context) || ($context['v'] ?? null) !== 1) {
            return new self(null, '', [], []);
        }
        $accounts = [];
        foreach (is_array($context['accounts'] ?? null) ? $context['accounts'] : [] as $a) {
            // What the daemon accepts on a sales line: an active account of the REVENUE class (sales, other income).
            if (is_array($a) && ($a['status'] ?? '') === 'ACTIVE' && ($a['class'] ?? '') === 'REVENUE' && (string)($a['code'] ?? '') !== '') {
                $accounts[] = ['code' => (string)$a['code'], 'name' => (string)($a['name'] ?? '')];
            }
        }
        $rates = [];
        foreach (is_array($context['taxRates'] ?? null) ? $context['taxRates'] : [] as $t) {
            if (is_array($t) && ($t['status'] ?? '') === 'ACTIVE' && ($t['canApplyToRevenue'] ?? false) === true) {
                $rates[] = ['taxType' => (string)$t['taxType'], 'name' => (string)($t['name'] ?? ''), 'rate' => (float)($t['effectiveRate'] ?? 0)];
            }
        }
        return new self((string)$row['FETCHED_AT'], (string)($context['baseCurrency'] ?? ''), $accounts, $rates);
    }

    public function hasData(): bool
    {
        return $this->fetchedAt !== null;
    }

    public function isSalesAccount(string $code): bool
    {
        return in_array($code, array_column($this->salesAccounts, 'code'), true);
    }

    public function isSalesTaxType(string $taxType): bool
    {
        return in_array($taxType, array_column($this->salesTaxRates, 'taxType'), true);
    }
}
