<?php

declare(strict_types=1);

namespace B24xero\Sync\Tests;

use B24xero\Sync\ChangeFeed\Change;
use B24xero\Sync\ChangeFeed\ChangeFeed;
use B24xero\Sync\Crm\CrmGateway;
use B24xero\Sync\Crm\CrmReader;
use B24xero\Sync\Crm\Invoice;
use B24xero\Sync\Crm\Party;
use B24xero\Sync\Crm\Payment;
use B24xero\Sync\Crm\ProductRow;
use B24xero\Sync\Db\Database;
use B24xero\Sync\Inbox\ApplyFailure;

/**
 * CrmGateway on the fixture tables of test/fixture, writing what Bitrix's own calls write on crm 23.400
 * (shared/reference/real-bitrix-23400.md): the factory's update of a smart invoice (STAGE_ID / PREVIOUS_STAGE_ID /
 * MOVED_*, UPDATED_*, '' rather than NULL), CCrmInvoice::SetStatus (PAYED / CANCELED by status SORT, voucher fields),
 * product rows priced by ProductRow::normalize, contacts and companies with their multifields, addresses on their
 * default requisite (EntityAddress's contact/company compatibility), bindings. After each save it raises the change
 * event Bitrix would, through the module's own ChangeFeed, so the applier's OwnWrites guard is exercised too.
 */
final class FixtureCrmGateway implements CrmGateway
{
    private const OWNER = CrmReader::OWNER;
    private const REQUISITE = CrmReader::REQUISITE;
    private const ADDRESS_TYPE = CrmReader::ADDRESS_TYPE;
    /** Catalog measures of a stock portal (b_catalog_measure), by the symbols people type. */
    private const MEASURES = ['pcs' => [796, 'pcs.'], 'pcs.' => [796, 'pcs.'], 'm' => [6, 'm'], 'l' => [112, 'l'], 'g' => [163, 'g'], 'kg' => [166, 'kg']];

    private readonly ChangeFeed $feed;
    private readonly CrmReader $reader;
    private ?int $moneyScale = null;

    public function __construct(private readonly Database $db, private readonly int $userId = 1)
    {
        $this->feed = new ChangeFeed($db);
        $this->reader = new CrmReader($db);
    }

    // ---- reads: the same as production's ----

    public function findInvoice(string $entityType, int $id): ?Invoice
    {
        return $this->reader->findInvoice($entityType, $id);
    }

    public function stagesOf(Invoice $invoice): array
    {
        return $this->reader->stagesOf($invoice);
    }

    public function findParty(string $entityType, int $id): ?Party
    {
        return $this->reader->findParty($entityType, $id);
    }

    public function findPartyByXeroId(string $entityType, string $xeroId): ?Party
    {
        return $this->reader->findPartyByXeroId($entityType, $xeroId);
    }

    public function companyContacts(int $companyId): array
    {
        return $this->reader->companyContacts($companyId);
    }

    // ---- invoices ----

    // ---- invoices ----

    public function setInvoiceStage(Invoice $invoice, string $stageId, ?Payment $payment): void
    {
        if ($invoice->entityType === 'smart_invoice') {
            $this->db->execute(
                'UPDATE b_crm_dynamic_items_31 SET PREVIOUS_STAGE_ID = STAGE_ID, STAGE_ID = ?, MOVED_BY = ?, MOVED_TIME = NOW(),
                 UPDATED_BY = ?, UPDATED_TIME = NOW() WHERE ID = ?',
                [$stageId, $this->userId, $this->userId, $invoice->id],
            );
            $this->feed->record(new Change('smart_invoice', $invoice->id, 'update'));
            return;
        }
        // CCrmInvoice::SetStatus: a status sorted at or after P is paid, at or after D cancelled (and not paid).
        $sort = [];
        foreach ($this->db->fetchAll("SELECT STATUS_ID, SORT FROM b_crm_status WHERE ENTITY_ID = 'INVOICE_STATUS'") as $s) {
            $sort[$s['STATUS_ID']] = (int)$s['SORT'];
        }
        $cancel = $sort[$stageId] >= $sort['D'];
        $pay = !$cancel && $sort[$stageId] >= $sort['P'];
        $voucher = $pay && $payment !== null;
        $this->db->execute(
            // MySQL assigns left to right with the new values: the dates read PAYED / CANCELED before they change.
            "UPDATE b_crm_invoice SET STATUS_ID = ?, DATE_STATUS = NOW(), EMP_STATUS_ID = ?,
               DATE_PAYED = IF(? = 'Y', IF(PAYED = 'Y', DATE_PAYED, NOW()), NULL), PAYED = ?, EMP_PAYED_ID = IF(? = 'Y', ?, NULL),
               SUM_PAID = IF(? = 'Y', PRICE, 0),
               DATE_CANCELED = IF(? = 'Y', IF(CANCELED = 'Y', DATE_CANCELED, NOW()), NULL), CANCELED = ?, EMP_CANCELED_ID = IF(? = 'Y', ?, NULL),
               PAY_VOUCHER_NUM = IF(?, ?, PAY_VOUCHER_NUM), PAY_VOUCHER_DATE = IF(?, ?, PAY_VOUCHER_DATE), DATE_UPDATE = NOW()
             WHERE ID = ?",
            [$stageId, $this->userId,
                $pay ? 'Y' : 'N', $pay ? 'Y' : 'N', $pay ? 'Y' : 'N', $this->userId, $pay ? 'Y' : 'N',
                $cancel ? 'Y' : 'N', $cancel ? 'Y' : 'N', $cancel ? 'Y' : 'N', $this->userId,
                $voucher, $voucher ? mb_substr((string)$payment->reference, 0, 20) : null, $voucher, $voucher ? $payment->date : null,
                $invoice->id],
        );
        $this->feed->record(new Change('legacy_invoice', $invoice->id, 'update'));
    }

    public function setInvoiceFields(Invoice $invoice, array $fields): void
    {
        $smart = $invoice->entityType === 'smart_invoice';
        $dates = $smart ? ['ISSUE_DATE' => 'BEGINDATE', 'DUE_DATE' => 'CLOSEDATE'] : ['ISSUE_DATE' => 'DATE_BILL', 'DUE_DATE' => 'DATE_PAY_BEFORE'];
        $own = [];
        $uf = [];
        foreach ($fields as $name => $value) {
            if (isset($dates[$name])) {
                $own[$dates[$name]] = $smart || $value === null ? $value : $value . ' 00:00:00';
            } elseif ($name === 'XML_ID') {
                $own['XML_ID'] = $value ?? ''; // NOT NULL on the items table; crm writes '' for none on both
            } else {
                // The ORM stores an emptied string field as '' and an emptied number as NULL; b_uts as NULL.
                $uf[$name] = $value === null && $smart && $name !== 'UF_CRM_XERO_AMOUNT_DUE' ? '' : $value;
            }
        }
        if ($smart) {
            $this->update('b_crm_dynamic_items_31', $invoice->id, $own + $uf, 'UPDATED_BY = ' . $this->userId . ', UPDATED_TIME = NOW()');
            $this->feed->record(new Change('smart_invoice', $invoice->id, 'update'));
            return;
        }
        if ($uf !== []) {
            $this->upsertUts('b_uts_crm_invoice', $invoice->id, $uf);
        }
        if ($own !== []) {
            // CCrmInvoice::Update raises OnAfterCrmInvoiceUpdate only when invoice columns (not just user fields) change.
            $this->update('b_crm_invoice', $invoice->id, $own, 'DATE_UPDATE = NOW()');
            $this->feed->record(new Change('legacy_invoice', $invoice->id, 'update'));
        }
    }

    public function replaceInvoiceRows(Invoice $invoice, array $rows): void
    {
        if ($invoice->entityType === 'smart_invoice') {
            $this->replaceSmartRows($invoice, $rows);
            $this->feed->record(new Change('smart_invoice', $invoice->id, 'update'));
        } else {
            $this->replaceBasket($invoice, $rows);
            $this->feed->record(new Change('legacy_invoice', $invoice->id, 'update'));
        }
    }

    // ---- contacts and companies ----

    public function createParty(string $entityType, array $change): int
    {
        $emails = $change['emails'] ?? [];
        $phones = $change['phones'] ?? [];
        $common = [
            'DATE_CREATE' => null, 'DATE_MODIFY' => null, 'CREATED_BY_ID' => $this->userId, 'MODIFY_BY_ID' => $this->userId,
            'ASSIGNED_BY_ID' => $this->userId, 'OPENED' => 'Y', 'HAS_EMAIL' => $emails ? 'Y' : 'N', 'HAS_PHONE' => $phones ? 'Y' : 'N',
            'HAS_IMOL' => 'N', 'CATEGORY_ID' => 0, 'LAST_ACTIVITY_BY' => $this->userId,
        ];
        $row = $entityType === 'contact'
            ? $common + ['NAME' => trim((string)$change['firstName']), 'LAST_NAME' => trim((string)$change['lastName']), 'SECOND_NAME' => '',
                'FULL_NAME' => self::fullName($change['firstName'], $change['lastName']), 'SOURCE_ID' => '', 'EXPORT' => 'Y', 'TYPE_ID' => 'CLIENT',
                'BIRTHDAY_SORT' => 1024]
            : $common + ['TITLE' => trim((string)$change['title']), 'COMPANY_TYPE' => 'CUSTOMER', 'IS_MY_COMPANY' => 'N'];
        $columns = array_keys($row);
        $values = array_map(static fn ($c) => in_array($c, ['DATE_CREATE', 'DATE_MODIFY'], true) ? 'NOW()' : '?', $columns);
        $this->db->execute(
            "INSERT INTO b_crm_{$entityType} (" . implode(', ', $columns) . ', LAST_ACTIVITY_TIME) VALUES (' . implode(', ', $values) . ', NOW())',
            array_values(array_filter($row, static fn ($v, $c) => !in_array($c, ['DATE_CREATE', 'DATE_MODIFY'], true), ARRAY_FILTER_USE_BOTH)),
        );
        $id = $this->db->lastInsertId();
        $this->writeDetails($entityType, $id, $change);
        $this->feed->record(new Change($entityType, $id, 'add'));
        return $id;
    }

    public function updateParty(Party $party, array $change): void
    {
        $own = [];
        if ($party->entityType === 'contact' && (array_key_exists('firstName', $change) || array_key_exists('lastName', $change))) {
            $first = trim((string)($change['firstName'] ?? $party->firstName));
            $last = trim((string)($change['lastName'] ?? $party->lastName));
            $own += ['NAME' => $first, 'LAST_NAME' => $last, 'FULL_NAME' => self::fullName($first, $last)];
        }
        if ($party->entityType === 'company' && array_key_exists('title', $change)) {
            $own['TITLE'] = trim((string)$change['title']);
        }
        $this->writeDetails($party->entityType, $party->id, $change);
        if (isset($change['emails'])) {
            $own['HAS_EMAIL'] = $change['emails'] ? 'Y' : 'N';
        }
        if (isset($change['phones'])) {
            $own['HAS_PHONE'] = $change['phones'] ? 'Y' : 'N';
        }
        $this->update("b_crm_{$party->entityType}", $party->id, $own, 'DATE_MODIFY = NOW(), MODIFY_BY_ID = ' . $this->userId);
        $this->feed->record(new Change($party->entityType, $party->id, 'update'));
    }

    /**
     * ContactCompanyTable::bindContacts: the binding is upserted with IS_PRIMARY 'Y' (the company becomes the contact's
     * main one, its other companies 'N', b_crm_contact.COMPANY_ID follows); a company's contacts are ordered by SORT,
     * so its primary contact is moved to the front.
     */
    public function attachContact(int $companyId, int $contactId, bool $primary): void
    {
        $sorts = array_column($this->db->fetchAll('SELECT CONTACT_ID, SORT FROM b_crm_contact_company WHERE COMPANY_ID = ?', [$companyId]), 'SORT', 'CONTACT_ID');
        $others = array_diff_key($sorts, [$contactId => true]);
        if ($primary) {
            $this->db->execute('UPDATE b_crm_contact_company SET SORT = SORT + 10 WHERE COMPANY_ID = ? AND CONTACT_ID <> ?', [$companyId, $contactId]);
            $sort = $others === [] ? 10 : min(array_map('intval', $others));
        } else {
            $sort = $sorts[$contactId] ?? 10 + max([0, ...array_map('intval', $others)]);
        }
        $this->db->execute(
            "INSERT INTO b_crm_contact_company (CONTACT_ID, COMPANY_ID, SORT, ROLE_ID, IS_PRIMARY) VALUES (?, ?, ?, 0, 'Y')
             ON DUPLICATE KEY UPDATE SORT = VALUES(SORT), IS_PRIMARY = 'Y'",
            [$contactId, $companyId, (int)$sort],
        );
        $this->db->execute("UPDATE b_crm_contact_company SET IS_PRIMARY = IF(COMPANY_ID = ?, 'Y', 'N') WHERE CONTACT_ID = ?", [$companyId, $contactId]);
        $this->db->execute(
            "UPDATE b_crm_contact SET COMPANY_ID = (SELECT MIN(COMPANY_ID) FROM b_crm_contact_company t WHERE t.IS_PRIMARY = 'Y' AND t.CONTACT_ID = ?) WHERE ID = ?",
            [$contactId, $contactId],
        );
    }

    // ---- helpers ----

    /** @param array<string, mixed> $change */
    private function writeDetails(string $entityType, int $id, array $change): void
    {
        foreach (['emails' => 'EMAIL', 'phones' => 'PHONE'] as $key => $type) {
            if (isset($change[$key])) {
                $this->replaceMulti($entityType, $id, $type, $change[$key]);
            }
        }
        if (array_key_exists('website', $change)) {
            $this->replaceMulti($entityType, $id, 'WEB', $change['website'] === null ? [] : [['value' => $change['website'], 'type' => 'WORK']]);
        }
        foreach ($change['addresses'] ?? [] as $address) {
            $this->registerAddress($entityType, $id, $address);
        }
        if (array_key_exists('taxNumber', $change)) {
            $this->setTaxNumber($entityType, $id, $change['taxNumber']);
        }
        if (!empty($change['fields'])) {
            $this->upsertUts("b_uts_crm_{$entityType}", $id, $change['fields']);
        }
    }

    /** @param list<array{value: string, type: string}> $values */
    private function replaceMulti(string $entityType, int $id, string $type, array $values): void
    {
        $entity = strtoupper($entityType);
        $this->db->execute('DELETE FROM b_crm_field_multi WHERE ENTITY_ID = ? AND ELEMENT_ID = ? AND TYPE_ID = ?', [$entity, $id, $type]);
        foreach ($values as $v) {
            $this->db->execute(
                'INSERT INTO b_crm_field_multi (ENTITY_ID, ELEMENT_ID, TYPE_ID, VALUE_TYPE, COMPLEX_ID, VALUE) VALUES (?, ?, ?, ?, ?, ?)',
                [$entity, $id, $type, $v['type'], "{$type}_{$v['type']}", trim($v['value'])],
            );
        }
    }

    /** EntityAddress::register for a contact or company: the address lives on its default requisite (made if missing). */
    private function registerAddress(string $entityType, int $id, array $address): void
    {
        $typeId = self::ADDRESS_TYPE[$address['type']];
        $parts = [$address['address1'] ?? '', $address['address2'] ?? '', $address['city'] ?? '', $address['postalCode'] ?? '', $address['region'] ?? '', $address['country'] ?? ''];
        $empty = implode('', $parts) === '';
        $requisite = $this->requisiteOf($entityType, $id, !$empty);
        if ($requisite === null) {
            return; // nothing to store and nothing stored
        }
        $this->db->execute(
            "INSERT INTO b_crm_addr (TYPE_ID, ENTITY_TYPE_ID, ENTITY_ID, ANCHOR_TYPE_ID, ANCHOR_ID, ADDRESS_1, ADDRESS_2, CITY, POSTAL_CODE,
               REGION, PROVINCE, COUNTRY, COUNTRY_CODE, LOC_ADDR_ID, IS_DEF)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, '', 0, 1)
             ON DUPLICATE KEY UPDATE ADDRESS_1 = VALUES(ADDRESS_1), ADDRESS_2 = VALUES(ADDRESS_2), CITY = VALUES(CITY),
               POSTAL_CODE = VALUES(POSTAL_CODE), REGION = '', PROVINCE = VALUES(PROVINCE), COUNTRY = VALUES(COUNTRY), COUNTRY_CODE = ''",
            [$typeId, self::REQUISITE, $requisite, self::OWNER[$entityType], $id, ...$parts],
        );
    }

    private function setTaxNumber(string $entityType, int $id, ?string $taxNumber): void
    {
        $requisite = $this->requisiteOf($entityType, $id, $taxNumber !== null);
        if ($requisite !== null) {
            $this->db->execute(
                "UPDATE b_crm_requisite SET RQ_VAT_ID = ?, RQ_VAT_PAYER = ?, ADDRESS_ONLY = IF(? IS NULL, ADDRESS_ONLY, 'N'), DATE_MODIFY = NOW(), MODIFY_BY_ID = ? WHERE ID = ?",
                [$taxNumber, $taxNumber === null ? 'N' : 'Y', $taxNumber, $this->userId, $requisite],
            );
        }
    }

    /** The party's first requisite (by SORT), made as crm makes it for an address when asked to and none exists. */
    private function requisiteOf(string $entityType, int $id, bool $create): ?int
    {
        $found = $this->db->fetchAll('SELECT ID FROM b_crm_requisite WHERE ENTITY_TYPE_ID = ? AND ENTITY_ID = ? ORDER BY SORT, ID LIMIT 1', [self::OWNER[$entityType], $id]);
        if ($found !== []) {
            return (int)$found[0]['ID'];
        }
        if (!$create) {
            return null;
        }
        $caption = $entityType === 'contact'
            ? (string)($this->db->fetchAll('SELECT FULL_NAME FROM b_crm_contact WHERE ID = ?', [$id])[0]['FULL_NAME'] ?? '')
            : (string)($this->db->fetchAll('SELECT TITLE FROM b_crm_company WHERE ID = ?', [$id])[0]['TITLE'] ?? '');
        $this->db->execute(
            "INSERT INTO b_crm_requisite (ENTITY_TYPE_ID, ENTITY_ID, PRESET_ID, DATE_CREATE, CREATED_BY_ID, NAME, ACTIVE, ADDRESS_ONLY, SORT)
             VALUES (?, ?, ?, NOW(), ?, ?, 'Y', 'Y', 500)",
            [self::OWNER[$entityType], $id, $entityType === 'company' ? 1 : 2, $this->userId, $caption],
        );
        return $this->db->lastInsertId();
    }

    /** @param list<ProductRow> $rows */
    private function replaceSmartRows(Invoice $invoice, array $rows): void
    {
        $scale = $this->moneyScale();
        $rate = $this->accountRate($invoice->currency);
        $this->db->execute("DELETE FROM b_crm_product_row WHERE OWNER_TYPE = 'SI' AND OWNER_ID = ?", [$invoice->id]);
        $total = 0.0;
        $tax = 0.0;
        foreach ($rows as $row) {
            $p = array_map(static fn ($v) => is_float($v) ? round($v, $scale) : $v, $row->bitrixPrices());
            [$measureCode, $measureName] = self::measure($row->measureName);
            $this->db->execute(
                "INSERT INTO b_crm_product_row (OWNER_ID, OWNER_TYPE, PRODUCT_ID, PRODUCT_NAME, PRICE, PRICE_ACCOUNT, PRICE_EXCLUSIVE, PRICE_NETTO,
                   PRICE_BRUTTO, QUANTITY, DISCOUNT_TYPE_ID, DISCOUNT_RATE, DISCOUNT_SUM, TAX_RATE, TAX_INCLUDED, CUSTOMIZED, MEASURE_CODE,
                   MEASURE_NAME, SORT, XML_ID, TYPE)
                 VALUES (?, 'SI', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'Y', ?, ?, ?, '', 1)",
                [$invoice->id, $row->productId, $row->name, $p['PRICE'], round($p['PRICE'] * $rate, $scale), $p['PRICE_EXCLUSIVE'],
                    $p['PRICE_NETTO'], $p['PRICE_BRUTTO'], round($row->quantity, 4), $p['DISCOUNT_TYPE_ID'], round($p['DISCOUNT_RATE'], 2),
                    $p['DISCOUNT_SUM'], round($row->taxRate, 2), $row->taxIncluded ? 'Y' : 'N', $measureCode, $measureName, $row->sort],
            );
            $total += $p['PRICE'] * $row->quantity;
            $tax += ($p['PRICE'] - $p['PRICE_EXCLUSIVE']) * $row->quantity;
        }
        // crm recomputes the total from the rows unless it was entered by hand.
        $this->db->execute(
            "UPDATE b_crm_dynamic_items_31 SET
               OPPORTUNITY = IF(IS_MANUAL_OPPORTUNITY = 'Y', OPPORTUNITY, ?), TAX_VALUE = ?,
               OPPORTUNITY_ACCOUNT = IF(IS_MANUAL_OPPORTUNITY = 'Y', OPPORTUNITY_ACCOUNT, ?), TAX_VALUE_ACCOUNT = ?,
               UPDATED_BY = ?, UPDATED_TIME = NOW() WHERE ID = ?",
            [round($total, 2), round($tax, 2), round($total * $rate, 2), round($tax * $rate, 2), $this->userId, $invoice->id],
        );
    }

    /** @param list<ProductRow> $rows */
    private function replaceBasket(Invoice $invoice, array $rows): void
    {
        if ($rows === []) {
            throw new ApplyFailure("{$invoice->label()}: an invoice must have at least one product (CCrmInvoice refuses an empty one)");
        }
        $this->db->execute('DELETE FROM b_crm_invoice_basket WHERE ORDER_ID = ?', [$invoice->id]);
        $total = 0.0;
        $tax = 0.0;
        $discountTotal = 0.0;
        foreach ($rows as $row) {
            $discount = $row->discountPerUnit();
            $rate = $row->taxRate / 100;
            $net = ($row->price - $discount) * $row->quantity;
            $total += $row->taxIncluded ? $net : $net * (1 + $rate);
            $tax += $row->taxIncluded ? $net * $rate / (1 + $rate) : $net * $rate;
            $discountTotal += $discount * $row->quantity;
            [$measureCode, $measureName] = self::measure($row->measureName);
            $this->db->execute(
                "INSERT INTO b_crm_invoice_basket (FUSER_ID, ORDER_ID, PRODUCT_ID, PRODUCT_XML_ID, CATALOG_XML_ID, NAME, PRICE, CURRENCY, BASE_PRICE,
                   VAT_INCLUDED, DATE_INSERT, DATE_UPDATE, QUANTITY, LID, DELAY, MODULE, DISCOUNT_PRICE, CAN_BUY, VAT_RATE, CUSTOM_PRICE,
                   MEASURE_CODE, MEASURE_NAME, SORT)
                 VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, NOW(), NOW(), ?, 's1', 'N', ?, ?, 'Y', ?, 'Y', ?, ?, ?)",
                // A free-text line gets what CCrmInvoice::Add gives it: a random PRODUCT_ID and PRODUCT_XML_ID 'CRM-…'.
                [$invoice->id, $row->productId > 0 ? $row->productId : random_int(1000000, 9999999),
                    $row->productId > 0 ? null : 'CRM-' . bin2hex(random_bytes(4)), $row->productId > 0 ? null : '', $row->name, round($row->price - $discount, 4), $invoice->currency, round($row->price, 4),
                    $row->taxIncluded ? 'Y' : 'N', round($row->quantity, 4), $row->productId > 0 ? 'catalog' : null, round($discount, 4),
                    round($rate, 4), $measureCode, $measureName, $row->sort],
            );
        }
        $this->db->execute(
            'UPDATE b_crm_invoice SET PRICE = ?, TAX_VALUE = ?, DISCOUNT_VALUE = ?, DATE_UPDATE = NOW() WHERE ID = ?',
            [round($total, 2), round($tax, 2), round($discountTotal, 4), $invoice->id],
        );
    }

    /** @param array<string, mixed> $values */
    private function update(string $table, int $id, array $values, string $also = ''): void
    {
        $sets = array_map(static fn (string $c): string => "{$c} = ?", array_keys($values));
        if ($also !== '') {
            $sets[] = $also;
        }
        if ($sets === []) {
            return;
        }
        $this->db->execute("UPDATE {$table} SET " . implode(', ', $sets) . ' WHERE ID = ?', [...array_values($values), $id]);
    }

    /** The b_uts_* row of an entity holds its user fields; main's engine creates it with the first value. @param array<string, mixed> $values */
    private function upsertUts(string $table, int $id, array $values): void
    {
        $columns = array_keys($values);
        $this->db->execute(
            "INSERT INTO {$table} (VALUE_ID, " . implode(', ', $columns) . ') VALUES (?' . str_repeat(', ?', count($columns)) . ')
             ON DUPLICATE KEY UPDATE ' . implode(', ', array_map(static fn ($c) => "{$c} = VALUES({$c})", $columns)),
            [$id, ...array_values($values)],
        );
    }

    /** Decimal places of b_crm_product_row prices: 2 on crm 23.x, 8 on 25.x. */
    private function moneyScale(): int
    {
        return $this->moneyScale ??= (int)($this->db->fetchAll(
            "SELECT NUMERIC_SCALE AS s FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'b_crm_product_row' AND COLUMN_NAME = 'PRICE'",
        )[0]['s'] ?? 2);
    }

    /** Value of one unit of $currency in the base currency (b_catalog_currency), for the *_ACCOUNT columns. */
    private function accountRate(string $currency): float
    {
        $r = $this->db->fetchAll('SELECT AMOUNT, AMOUNT_CNT FROM b_catalog_currency WHERE CURRENCY = ?', [$currency])[0] ?? null;
        return $r === null || (float)$r['AMOUNT'] == 0.0 ? 1.0 : (float)$r['AMOUNT'] / max(1, (int)$r['AMOUNT_CNT']);
    }

    /** @return array{0: int, 1: string} the measure crm settles on: the one named, else its default (pieces). */
    private static function measure(?string $name): array
    {
        return self::MEASURES[mb_strtolower(trim((string)$name))] ?? self::MEASURES['pcs'];
    }

    private static function fullName(mixed $first, mixed $last): string
    {
        return trim(trim((string)$first) . ' ' . trim((string)$last));
    }
}
