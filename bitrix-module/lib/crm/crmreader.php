<?php

declare(strict_types=1);

namespace B24xero\Sync\Crm;

use B24xero\Sync\Db\Database;

/**
 * What the applier needs to know of crm records, read straight from crm's tables on the portal's own connection
 * (inside the applier's transaction, so it sees its own writes, and past crm's caches). Both gateways read through
 * it, so what the applier compares against is the same in production and in the tests.
 */
final class CrmReader
{
    public const OWNER = ['contact' => 3, 'company' => 4];
    public const REQUISITE = 8;
    /** b_crm_addr.TYPE_ID of the contract's address kinds: primary (street) and post (postal). */
    public const ADDRESS_TYPE = ['street' => 1, 'postal' => 8];
    public const INVOICE_UF = ['UF_CRM_XERO_SYNC', 'UF_CRM_XERO_STATUS', 'UF_CRM_XERO_URL', 'UF_CRM_XERO_AMOUNT_DUE', 'UF_CRM_XERO_REFERENCE'];

    public function __construct(private readonly Database $db)
    {
    }

    public function findInvoice(string $entityType, int $id): ?Invoice
    {
        $uf = implode(', ', self::INVOICE_UF);
        if ($entityType === 'smart_invoice') {
            $r = $this->db->fetchAll("SELECT ID, STAGE_ID, CATEGORY_ID, CURRENCY_ID, XML_ID, BEGINDATE, CLOSEDATE, {$uf} FROM b_crm_dynamic_items_31 WHERE ID = ?", [$id])[0] ?? null;
            if ($r === null) {
                return null;
            }
            $rows = $this->db->fetchAll("SELECT * FROM b_crm_product_row WHERE OWNER_TYPE = 'SI' AND OWNER_ID = ? ORDER BY SORT, ID", [$id]);
            return new Invoice($entityType, $id, (string)$r['STAGE_ID'], (int)$r['CATEGORY_ID'], (string)$r['CURRENCY_ID'],
                self::fieldsOf($r), self::date($r['BEGINDATE']), self::date($r['CLOSEDATE']), array_map(ProductRow::fromStoredRow(...), $rows));
        }
        $r = $this->db->fetchAll(
            "SELECT i.ID, i.STATUS_ID, i.CURRENCY, i.XML_ID, i.DATE_BILL, i.DATE_PAY_BEFORE, {$uf}
             FROM b_crm_invoice i LEFT JOIN b_uts_crm_invoice u ON u.VALUE_ID = i.ID WHERE i.ID = ?",
            [$id],
        )[0] ?? null;
        if ($r === null) {
            return null;
        }
        $rows = $this->db->fetchAll('SELECT * FROM b_crm_invoice_basket WHERE ORDER_ID = ? ORDER BY SORT, ID', [$id]);
        return new Invoice($entityType, $id, (string)$r['STATUS_ID'], null, (string)$r['CURRENCY'], self::fieldsOf($r),
            self::date($r['DATE_BILL']), self::date($r['DATE_PAY_BEFORE']), array_map(ProductRow::fromBasketRow(...), $rows));
    }

    /** @return list<string> */
    public function stagesOf(Invoice $invoice): array
    {
        $entity = $invoice->entityType === 'smart_invoice' ? 'SMART_INVOICE_STAGE_' . $invoice->categoryId : 'INVOICE_STATUS';
        return array_column($this->db->fetchAll('SELECT STATUS_ID FROM b_crm_status WHERE ENTITY_ID = ? ORDER BY SORT, ID', [$entity]), 'STATUS_ID');
    }

    public function findParty(string $entityType, int $id, bool $primary = false): ?Party
    {
        $names = $entityType === 'contact' ? "NAME AS first, LAST_NAME AS last, '' AS title" : "'' AS first, '' AS last, TITLE AS title";
        $r = $this->db->fetchAll("SELECT ID, {$names} FROM b_crm_{$entityType} WHERE ID = ?", [$id])[0] ?? null;
        if ($r === null) {
            return null;
        }
        $multi = $this->db->fetchAll('SELECT TYPE_ID, VALUE_TYPE, VALUE FROM b_crm_field_multi WHERE ENTITY_ID = ? AND ELEMENT_ID = ? ORDER BY ID', [strtoupper($entityType), $id]);
        $of = static fn (string $type): array => array_values(array_map(
            static fn (array $m): array => ['value' => trim((string)$m['VALUE']), 'type' => (string)$m['VALUE_TYPE']],
            array_filter($multi, static fn (array $m) => $m['TYPE_ID'] === $type && trim((string)$m['VALUE']) !== ''),
        ));
        $web = $of('WEB');
        $uts = $this->db->fetchAll("SELECT * FROM b_uts_crm_{$entityType} WHERE VALUE_ID = ?", [$id])[0] ?? [];
        return new Party($entityType, $id, trim((string)$r['first']), trim((string)$r['last']), trim((string)$r['title']),
            $of('EMAIL'), $of('PHONE'), $web[0]['value'] ?? null, $this->addressesOf($entityType, $id), $this->taxNumberOf($entityType, $id),
            ['UF_CRM_XERO_ID' => $uts['UF_CRM_XERO_ID'] ?? null, 'UF_CRM_XERO_STATUS' => $uts['UF_CRM_XERO_STATUS'] ?? null], $primary);
    }

    public function findPartyByXeroId(string $entityType, string $xeroId): ?Party
    {
        $id = $this->db->fetchAll(
            "SELECT u.VALUE_ID FROM b_uts_crm_{$entityType} u JOIN b_crm_{$entityType} e ON e.ID = u.VALUE_ID
             WHERE u.UF_CRM_XERO_ID = ? ORDER BY u.VALUE_ID LIMIT 1",
            [$xeroId],
        )[0]['VALUE_ID'] ?? null;
        return $id === null ? null : $this->findParty($entityType, (int)$id);
    }

    /**
     * A company's contacts, its primary one first. crm's bindContacts marks IS_PRIMARY per contact (its main
     * company) and orders a company's contacts by SORT; older data marks one IS_PRIMARY per company. Ordering by
     * IS_PRIMARY, then SORT reads both right, as the daemon's reader does.
     * @return list<Party>
     */
    public function companyContacts(int $companyId): array
    {
        $out = [];
        $bindings = $this->db->fetchAll('SELECT CONTACT_ID FROM b_crm_contact_company WHERE COMPANY_ID = ? ORDER BY IS_PRIMARY DESC, SORT, CONTACT_ID', [$companyId]);
        foreach ($bindings as $i => $b) {
            $party = $this->findParty('contact', (int)$b['CONTACT_ID'], $i === 0);
            if ($party !== null) {
                $out[] = $party;
            }
        }
        return $out;
    }

    /**
     * Street and postal address: the entity's own rows (older data) and those crm keeps on its requisites (crm 23's
     * EntityAddress stores a contact's or company's address on its default requisite), the own ones first.
     * @return array<string, array<string, string>>
     */
    private function addressesOf(string $entityType, int $id): array
    {
        $owner = self::OWNER[$entityType];
        $rows = $this->db->fetchAll(
            'SELECT TYPE_ID, ADDRESS_1, ADDRESS_2, CITY, POSTAL_CODE, REGION, PROVINCE, COUNTRY FROM b_crm_addr
             WHERE TYPE_ID IN (1, 8) AND ((ENTITY_TYPE_ID = ? AND ENTITY_ID = ?) OR (ENTITY_TYPE_ID = ? AND ANCHOR_TYPE_ID = ? AND ANCHOR_ID = ?))
             ORDER BY ENTITY_TYPE_ID = ?, IS_DEF DESC, ID',
            [$owner, $id, self::REQUISITE, $owner, $id, self::REQUISITE],
        );
        $out = [];
        foreach ($rows as $r) {
            $type = (string)array_search((int)$r['TYPE_ID'], self::ADDRESS_TYPE, true);
            $out[$type] ??= [
                'address1' => trim((string)$r['ADDRESS_1']), 'address2' => trim((string)$r['ADDRESS_2']), 'city' => trim((string)$r['CITY']),
                'region' => trim((string)($r['PROVINCE'] ?: $r['REGION'])), 'postalCode' => trim((string)$r['POSTAL_CODE']),
                'country' => trim((string)$r['COUNTRY']),
            ];
        }
        return $out;
    }

    /** The tax id of the first active requisite: RQ_VAT_ID, else RQ_INN (as the daemon reads it). */
    private function taxNumberOf(string $entityType, int $id): ?string
    {
        $r = $this->db->fetchAll(
            "SELECT RQ_VAT_ID, RQ_INN FROM b_crm_requisite WHERE ENTITY_TYPE_ID = ? AND ENTITY_ID = ? AND ACTIVE = 'Y' ORDER BY SORT, ID LIMIT 1",
            [self::OWNER[$entityType], $id],
        )[0] ?? null;
        $value = trim((string)($r['RQ_VAT_ID'] ?? '')) ?: trim((string)($r['RQ_INN'] ?? ''));
        return $value === '' ? null : $value;
    }

    /** @param array<string, string|null> $r @return array<string, string|null> */
    private static function fieldsOf(array $r): array
    {
        $out = ['XML_ID' => $r['XML_ID']];
        foreach (self::INVOICE_UF as $name) {
            $out[$name] = $r[$name] ?? null;
        }
        return $out;
    }

    /** 'YYYY-MM-DD' of a DATE / DATETIME column; null for NULL and zero dates. */
    private static function date(?string $value): ?string
    {
        $day = substr((string)$value, 0, 10);
        return $day === '' || str_starts_with($day, '0000') ? null : $day;
    }
}
