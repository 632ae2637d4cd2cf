<?php

declare(strict_types=1);

namespace B24xero\Sync\Ui;

use B24xero\Sync\Db\Database;

/**
 * "Add product": one form makes the catalog product (name, price, VAT) and gives it its sales account code in the
 * module's product_accounts option. A product with its own sales account is one the admin wants in Xero: the daemon
 * creates its Xero Item from the change the catalog records for the new product, at its next pass.
 */
final class ProductForm
{
    public function __construct(
        private readonly Database $db,
        private readonly ProductWriter $writer,
        private readonly SettingsForm $settings,
    ) {
    }

    /** @return list<string> currency codes of the catalog, base currency first */
    public function currencies(): array
    {
        return array_column($this->db->fetchAll("SELECT CURRENCY FROM b_catalog_currency ORDER BY BASE = 'Y' DESC, SORT, CURRENCY"), 'CURRENCY');
    }

    /** @return list<array{id: int, name: string, rate: string}> */
    public function vatRates(): array
    {
        return array_map(static fn (array $r): array => ['id' => (int)$r['ID'], 'name' => (string)$r['NAME'], 'rate' => SettingsForm::percent((string)$r['RATE'])],
            $this->db->fetchAll("SELECT ID, NAME, RATE FROM b_catalog_vat WHERE ACTIVE = 'Y' ORDER BY C_SORT, ID"));
    }

    public function org(): OrgData
    {
        return $this->settings->org;
    }

    public function defaultAccount(): string
    {
        return (string)$this->settings->values()['defaultSalesAccount'];
    }

    /**
     * @param array<string, mixed> $post
     * @return array{id: int|null, problems: list<array{code: string, field: string, value: string}>}
     */
    public function submit(array $post): array
    {
        $problems = [];
        $name = trim((string)($post['name'] ?? ''));
        if ($name === '' || mb_strlen($name) > 255) {
            $problems[] = ['code' => 'BAD_NAME', 'field' => 'name', 'value' => ''];
        }
        $price = str_replace(',', '.', trim((string)($post['price'] ?? '')));
        if (!preg_match('/^\d{1,14}(\.\d{1,4})?$/', $price)) {
            $problems[] = ['code' => 'BAD_PRICE', 'field' => 'price', 'value' => $price];
        }
        $currency = strtoupper(trim((string)($post['currency'] ?? '')));
        if (!in_array($currency, $this->currencies(), true)) {
            $problems[] = ['code' => 'BAD_CURRENCY', 'field' => 'currency', 'value' => $currency];
        }
        $vat = trim((string)($post['vat_id'] ?? ''));
        if ($vat !== '' && !in_array((int)$vat, array_column($this->vatRates(), 'id'), true)) {
            $problems[] = ['code' => 'BAD_VAT', 'field' => 'vat_id', 'value' => $vat];
        }
        $account = trim((string)($post['account'] ?? ''));
        if (!$this->settings->org->isSalesAccount($account)) {
            $problems[] = ['code' => 'BAD_ACCOUNT', 'field' => 'account', 'value' => $account];
        }
        if ($problems !== []) {
            return ['id' => null, 'problems' => $problems];
        }
        try {
            $id = $this->writer->create([
                'name' => $name, 'price' => $price, 'currency' => $currency,
                'vatId' => $vat === '' ? null : (int)$vat, 'vatIncluded' => ($post['vat_included'] ?? '') === 'Y',
            ]);
        } catch (\RuntimeException $e) {
            return ['id' => null, 'problems' => [['code' => 'CRM_REFUSED', 'field' => 'name', 'value' => $e->getMessage()]]];
        }
        $this->settings->setProductAccount($id, $account);
        return ['id' => $id, 'problems' => []];
    }
}
