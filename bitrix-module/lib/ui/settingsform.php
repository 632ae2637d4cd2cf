<?php

declare(strict_types=1);

namespace B24xero\Sync\Ui;

use B24xero\Sync\Db\Database;

/**
 * The options page's form: what is stored, shown as the form's values, and a submitted form checked and saved in
 * exactly the format the daemon parses (daemon/src/config/settings.ts parseSettings, keys of domain/settings.ts
 * OPTION_KEYS). Nothing is saved when any field is wrong; each problem comes back as a code the page translates.
 */
final class SettingsForm
{
    /**
     * Xero states a Bitrix stage can follow (StatusMap.pull keys, daemon/src/domain/settings.ts PULL_STATUS_KEYS):
     * SENT = approved and sent to the contact (emailed or marked as sent), PART_PAID = a payment that leaves some due.
     */
    public const PULL_STATUSES = ['AUTHORISED', 'SENT', 'PART_PAID', 'PAID', 'VOIDED', 'DELETED'];
    public const CREATE_AS = ['DRAFT', 'SUBMITTED', 'AUTHORISED'];
    public const KINDS = ['smart', 'legacy'];
    public const CONTACT_IMPORT = ['all', 'customers', 'off'];
    public const NUMBER_POLICIES = ['bitrix', 'xero'];
    /** The tax-map key of lines without tax (daemon/src/sync/plan/tax-type.ts NO_TAX_KEY). */
    public const NO_TAX_KEY = 'none';

    /** @param list<string> $vatRates percentages of the catalog's VAT rates, e.g. ['0', '15'] */
    public function __construct(
        private readonly OptionStore $options,
        private readonly Database $db,
        public readonly StageCatalog $stages,
        public readonly OrgData $org,
        public readonly array $vatRates,
    ) {
    }

    public static function load(OptionStore $options, Database $db): self
    {
        $rates = [];
        foreach ($db->fetchAll("SELECT DISTINCT RATE FROM b_catalog_vat WHERE ACTIVE = 'Y' AND RATE IS NOT NULL ORDER BY RATE") as $r) {
            $rates[] = self::percent((string)$r['RATE']);
        }
        return new self($options, $db, StageCatalog::load($db), OrgData::load($db), array_values(array_unique($rates)));
    }

    /** The stored settings, decoded for the form (a broken stored value reads as unset, as the daemon treats it). @return array<string, mixed> */
    public function values(): array
    {
        $statusMap = $this->json('status_map');
        $kinds = $this->json('invoice_kinds', ['smart', 'legacy']);
        $products = $this->json('product_accounts');
        return [
            'createAs' => (string)($statusMap['push']['createAs'] ?? 'DRAFT'),
            'pull' => [
                'smart' => is_array($statusMap['pull']['smart'] ?? null) ? $statusMap['pull']['smart'] : [],
                'legacy' => is_array($statusMap['pull']['legacy'] ?? null) ? $statusMap['pull']['legacy'] : [],
            ],
            'skipStages' => is_array($statusMap['skipStages'] ?? null) ? array_map('strval', $statusMap['skipStages']) : [],
            'defaultSalesAccount' => $this->options->get('default_sales_account'),
            'taxMap' => array_map('strval', $this->json('tax_map')),
            'productAccounts' => array_map('strval', $products),
            'productNames' => $this->productNames(array_keys($products)),
            'invoiceKinds' => array_values(array_intersect(self::KINDS, $kinds)),
            'contactImport' => $this->options->get('contact_import') ?: 'all',
            'invoiceNumberPolicy' => $this->options->get('invoice_number_policy') ?: 'bitrix',
            'syncSchedule' => $this->options->get('sync_schedule') ?: '* * * * *',
            'scanSchedule' => $this->options->get('scan_schedule') ?: '*/15 * * * *',
            'startDate' => $this->options->get('start_date'),
        ];
    }

    /**
     * Checks a submitted form and, when all of it is right, saves it.
     *
     * @param array<string, mixed> $post
     * @return list<array{code: string, field: string, value: string}> the problems (empty when saved)
     */
    public function submit(array $post): array
    {
        $problems = [];
        $bad = static function (string $code, string $field, mixed $value = '') use (&$problems): void {
            $problems[] = ['code' => $code, 'field' => $field, 'value' => is_scalar($value) ? (string)$value : ''];
        };
        $current = $this->values();

        $createAs = (string)($post['create_as'] ?? 'DRAFT');
        if (!in_array($createAs, self::CREATE_AS, true)) {
            $bad('BAD_CHOICE', 'create_as', $createAs);
        }
        $pull = [];
        foreach (self::KINDS as $kind) {
            $chosen = is_array($post['pull'][$kind] ?? null) ? $post['pull'][$kind] : [];
            foreach (self::PULL_STATUSES as $status) {
                $stage = trim((string)($chosen[$status] ?? ''));
                if ($stage === '') {
                    continue;
                }
                if (!in_array($stage, $this->stages->ids($kind), true)) {
                    $bad('UNKNOWN_STAGE', "pull[{$kind}][{$status}]", $stage);
                    continue;
                }
                $pull[$kind][$status] = $stage;
            }
        }
        $pushes = is_array($post['push_stage'] ?? null) ? $post['push_stage'] : [];
        $skip = [];
        foreach (self::KINDS as $kind) {
            foreach ($this->stages->ids($kind) as $stage) {
                if (($pushes[$stage] ?? '') !== 'Y') {
                    $skip[] = $stage;
                }
            }
        }
        $statusMap = ['push' => ['createAs' => $createAs]];
        if ($pull !== []) {
            $statusMap['pull'] = $pull;
        }
        $statusMap['skipStages'] = $skip;

        $account = trim((string)($post['default_sales_account'] ?? ''));
        if ($account !== '' && !$this->org->isSalesAccount($account) && $account !== $current['defaultSalesAccount']) {
            $bad('UNKNOWN_ACCOUNT', 'default_sales_account', $account);
        }

        $taxMap = [];
        foreach (is_array($post['tax_map'] ?? null) ? $post['tax_map'] : [] as $rate => $taxType) {
            $rate = (string)$rate;
            $taxType = trim((string)$taxType);
            if ($taxType === '') {
                continue;
            }
            if ($rate !== self::NO_TAX_KEY && !in_array($rate, $this->vatRates, true)) {
                $bad('UNKNOWN_RATE', "tax_map[{$rate}]", $rate);
            } elseif (!$this->org->isSalesTaxType($taxType) && ($current['taxMap'][$rate] ?? null) !== $taxType) {
                $bad('UNKNOWN_TAX_TYPE', "tax_map[{$rate}]", $taxType);
            } else {
                $taxMap[$rate] = $taxType;
            }
        }

        $products = [];
        $submitted = is_array($post['product_accounts'] ?? null) ? $post['product_accounts'] : [];
        $newId = trim((string)($post['new_product_id'] ?? ''));
        if ($newId !== '') {
            $submitted[$newId] = (string)($post['new_product_account'] ?? '');
        }
        foreach ($submitted as $productId => $code) {
            $code = trim((string)$code);
            if ($code === '') {
                continue;
            }
            if (!ctype_digit((string)$productId) || !$this->productExists((int)$productId)) {
                $bad('UNKNOWN_PRODUCT', 'product_accounts', (string)$productId);
            } elseif (!$this->org->isSalesAccount($code) && ($current['productAccounts'][(string)$productId] ?? null) !== $code) {
                $bad('UNKNOWN_ACCOUNT', "product_accounts[{$productId}]", $code);
            } else {
                $products[(string)(int)$productId] = $code;
            }
        }

        $kinds = array_values(array_intersect(self::KINDS, is_array($post['invoice_kinds'] ?? null) ? array_map('strval', $post['invoice_kinds']) : []));
        $contactImport = (string)($post['contact_import'] ?? 'all');
        if (!in_array($contactImport, self::CONTACT_IMPORT, true)) {
            $bad('BAD_CHOICE', 'contact_import', $contactImport);
        }
        $policy = (string)($post['invoice_number_policy'] ?? 'bitrix');
        if (!in_array($policy, self::NUMBER_POLICIES, true)) {
            $bad('BAD_CHOICE', 'invoice_number_policy', $policy);
        }
        $schedules = [];
        foreach (['sync_schedule', 'scan_schedule'] as $field) {
            $schedules[$field] = preg_replace('/\s+/', ' ', trim((string)($post[$field] ?? '')));
            if (!Cron::isValid($schedules[$field])) {
                $bad('BAD_CRON', $field, $schedules[$field]);
            }
        }
        $startDate = trim((string)($post['start_date'] ?? ''));
        if ($startDate !== '' && (!preg_match('/^(\d{4})-(\d{2})-(\d{2})$/', $startDate, $m) || !checkdate((int)$m[2], (int)$m[3], (int)$m[1]))) {
            $bad('BAD_DATE', 'start_date', $startDate);
        }

        if ($problems !== []) {
            return $problems;
        }
        $flags = JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_THROW_ON_ERROR;
        $this->options->set('status_map', json_encode($statusMap, $flags));
        $this->options->set('default_sales_account', $account);
        $this->options->set('tax_map', json_encode((object)$taxMap, $flags));
        $this->options->set('product_accounts', json_encode((object)$products, $flags));
        $this->options->set('invoice_kinds', json_encode($kinds, $flags));
        $this->options->set('contact_import', $contactImport);
        $this->options->set('invoice_number_policy', $policy);
        $this->options->set('sync_schedule', $schedules['sync_schedule']);
        $this->options->set('scan_schedule', $schedules['scan_schedule']);
        if ($startDate !== '') {
            $this->options->set('start_date', $startDate);
        }
        return [];
    }

    /**
     * A refused submission shown again as the form's values, so the admin corrects the wrong field instead of typing
     * everything again. @param array<string, mixed> $post @return array<string, mixed>
     */
    public function valuesFrom(array $post): array
    {
        $values = $this->values();
        $text = static fn (string $key, string $current): string => is_scalar($post[$key] ?? null) ? trim((string)$post[$key]) : $current;
        $map = static fn (mixed $v): array => is_array($v) ? array_map(static fn ($x): string => is_scalar($x) ? trim((string)$x) : '', $v) : [];
        $values['createAs'] = $text('create_as', $values['createAs']);
        foreach (self::KINDS as $kind) {
            $values['pull'][$kind] = array_filter($map($post['pull'][$kind] ?? []), static fn (string $v): bool => $v !== '');
        }
        $pushes = is_array($post['push_stage'] ?? null) ? $post['push_stage'] : [];
        $values['skipStages'] = [];
        foreach (self::KINDS as $kind) {
            foreach ($this->stages->ids($kind) as $stage) {
                if (($pushes[$stage] ?? '') !== 'Y') {
                    $values['skipStages'][] = $stage;
                }
            }
        }
        $values['defaultSalesAccount'] = $text('default_sales_account', $values['defaultSalesAccount']);
        $values['taxMap'] = array_filter($map($post['tax_map'] ?? []), static fn (string $v): bool => $v !== '');
        $values['productAccounts'] = array_filter($map($post['product_accounts'] ?? []), static fn (string $v): bool => $v !== '') + $values['productAccounts'];
        $values['invoiceKinds'] = array_values(array_intersect(self::KINDS, $map($post['invoice_kinds'] ?? [])));
        foreach (['contactImport' => 'contact_import', 'invoiceNumberPolicy' => 'invoice_number_policy', 'syncSchedule' => 'sync_schedule',
            'scanSchedule' => 'scan_schedule', 'startDate' => 'start_date'] as $field => $key) {
            $values[$field] = $text($key, (string)$values[$field]);
        }
        return $values;
    }

    /** Sets one product's sales account code (the Add product form), keeping the others. */
    public function setProductAccount(int $productId, string $code): void
    {
        $products = array_map('strval', $this->json('product_accounts'));
        $products[(string)$productId] = $code;
        $this->options->set('product_accounts', json_encode((object)$products, JSON_UNESCAPED_SLASHES | JSON_THROW_ON_ERROR));
    }

    /** "15.00" -> "15", "12.50" -> "12.5": the tax map's keys, compared as numbers by the daemon. */
    public static function percent(string $rate): string
    {
        $text = rtrim(rtrim(number_format((float)$rate, 4, '.', ''), '0'), '.');
        return $text === '-0' ? '0' : $text;
    }

    /** @return array<mixed> */
    private function json(string $name, array $default = []): array
    {
        $raw = trim($this->options->get($name));
        $value = $raw === '' ? null : json_decode($raw, true);
        return is_array($value) ? $value : $default;
    }

    private function productExists(int $id): bool
    {
        return $this->db->fetchAll('SELECT p.ID FROM b_catalog_product p JOIN b_iblock_element e ON e.ID = p.ID WHERE p.ID = ?', [$id]) !== [];
    }

    /** @param list<int|string> $ids @return array<string, string> */
    private function productNames(array $ids): array
    {
        $ids = array_values(array_filter(array_map('intval', $ids), static fn (int $id): bool => $id > 0));
        if ($ids === []) {
            return [];
        }
        $marks = implode(', ', array_fill(0, count($ids), '?'));
        $names = [];
        foreach ($this->db->fetchAll("SELECT ID, NAME FROM b_iblock_element WHERE ID IN ({$marks})", $ids) as $r) {
            $names[(string)$r['ID']] = (string)$r['NAME'];
        }
        return $names;
    }
}
