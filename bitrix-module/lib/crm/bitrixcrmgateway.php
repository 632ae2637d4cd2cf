<?php

declare(strict_types=1);

namespace B24xero\Sync\Crm;

use B24xero\Sync\Inbox\ApplyFailure;
use Bitrix\Crm\Binding\ContactCompanyTable;
use Bitrix\Crm\EntityAddress;
use Bitrix\Crm\EntityAddressType;
use Bitrix\Crm\EntityRequisite;
use Bitrix\Crm\Item;
use Bitrix\Crm\Measure;
use Bitrix\Crm\Service\Container;
use Bitrix\Main\Loader;
use Bitrix\Main\Result;
use Bitrix\Main\Type\Date;

/**
 * CrmGateway on Bitrix's API (crm 23.x), so crm's events, automation, timeline, search index and caches follow every
 * change: smart invoices through Container::getInstance()->getFactory(31) update operations, legacy invoices through
 * CCrmInvoice (SetStatus, Update), contacts and companies through CCrmContact / CCrmCompany with their multifields,
 * EntityAddress (which keeps their addresses on the default requisite), EntityRequisite and ContactCompanyTable.
 * Reads go through CrmReader on the same connection. Operations run without access checks (the applier acts for the
 * daemon, not for a user); records it creates are assigned to $userId (option applier_user_id).
 */
final class BitrixCrmGateway implements CrmGateway
{
    private const SMART_INVOICE = 31;
    private const ADDRESS_TYPE = ['street' => EntityAddressType::Primary, 'postal' => EntityAddressType::Post];

    public function __construct(private readonly CrmReader $reader, private readonly int $userId)
    {
        if (!Loader::includeModule('crm')) {
            throw new \RuntimeException('the crm module is not installed');
        }
    }

    public function findInvoice(string $entityType, int $id): ?Invoice
    {
        return $this->reader->findInvoice($entityType, $id);
    }

    public function stagesOf(Invoice $invoice): array
    {
        return $this->reader->stagesOf($invoice);
    }

    public function setInvoiceStage(Invoice $invoice, string $stageId, ?Payment $payment): void
    {
        if ($invoice->entityType === 'smart_invoice') {
            $item = $this->smartItem($invoice);
            $item->setStageId($stageId);
            $this->launch($item, $invoice);
            return;
        }
        $params = [];
        if ($payment !== null) {
            $params['PAY_VOUCHER_DATE'] = new Date($payment->date, 'Y-m-d');
            if ($payment->reference !== null && $payment->reference !== '') {
                $params['PAY_VOUCHER_NUM'] = mb_substr($payment->reference, 0, 20); // b_crm_invoice.PAY_VOUCHER_NUM is VARCHAR(20)
            }
        }
        $crm = new \CCrmInvoice(false);
        if (!$crm->SetStatus($invoice->id, $stageId, $params === [] ? false : $params, ['SYNCHRONIZE_LIVE_FEED' => true])) {
            throw new ApplyFailure("crm refused to set status {$stageId} on {$invoice->label()}: " . self::lastError($crm));
        }
    }

    public function setInvoiceFields(Invoice $invoice, array $fields): void
    {
        if ($invoice->entityType === 'smart_invoice') {
            $item = $this->smartItem($invoice);
            foreach ($fields as $name => $value) {
                match ($name) {
                    'ISSUE_DATE' => $item->set(Item::FIELD_NAME_BEGIN_DATE, $value === null ? null : new Date($value, 'Y-m-d')),
                    'DUE_DATE' => $item->set(Item::FIELD_NAME_CLOSE_DATE, $value === null ? null : new Date($value, 'Y-m-d')),
                    'XML_ID' => $item->set(Item::FIELD_NAME_XML_ID, $value ?? ''),
                    default => $item->set($name, $value),
                };
            }
            $this->launch($item, $invoice);
            return;
        }
        $update = [];
        foreach ($fields as $name => $value) {
            $column = ['ISSUE_DATE' => 'DATE_BILL', 'DUE_DATE' => 'DATE_PAY_BEFORE'][$name] ?? $name;
            // CCrmInvoice takes dates in the site's format.
            $update[$column] = in_array($column, ['DATE_BILL', 'DATE_PAY_BEFORE'], true) && $value !== null
                ? (string)new Date($value, 'Y-m-d')
                : ($value ?? '');
        }
        $crm = new \CCrmInvoice(false);
        if (!$crm->Update($invoice->id, $update, ['REGISTER_SONET_EVENT' => true, 'UPDATE_SEARCH' => true])) {
            throw new ApplyFailure("crm refused to update {$invoice->label()}: " . self::lastError($crm));
        }
    }

    public function replaceInvoiceRows(Invoice $invoice, array $rows): void
    {
        if ($invoice->entityType === 'smart_invoice') {
            $item = $this->smartItem($invoice);
            $result = $item->setProductRowsFromArrays(array_map($this->smartRow(...), $rows));
            if (!$result->isSuccess()) {
                throw new ApplyFailure("crm refused the product rows of {$invoice->label()}: " . implode('; ', $result->getErrorMessages()));
            }
            $this->launch($item, $invoice);
            return;
        }
        $previous = \CCrmInvoice::GetByID($invoice->id, false);
        if (!is_array($previous)) {
            throw new ApplyFailure("{$invoice->label()} does not exist in Bitrix (deleted?)");
        }
        // The full save path of CCrmInvoice::Update (the one that rewrites the basket) needs the payer as it is.
        $fields = ['PRODUCT_ROWS' => array_map($this->basketRow(...), $rows)];
        foreach (['PERSON_TYPE_ID', 'PAY_SYSTEM_ID', 'CURRENCY', 'RESPONSIBLE_ID', 'UF_COMPANY_ID', 'UF_CONTACT_ID', 'UF_MYCOMPANY_ID', 'UF_DEAL_ID', 'UF_QUOTE_ID'] as $key) {
            if (isset($previous[$key])) {
                $fields[$key] = $previous[$key];
            }
        }
        $properties = \CCrmInvoice::GetProperties($invoice->id, (int)$previous['PERSON_TYPE_ID']);
        if (is_array($properties)) {
            $fields['INVOICE_PROPERTIES'] = [];
            foreach ($properties as $property) {
                $fields['INVOICE_PROPERTIES'][$property['FIELDS']['ID']] = $property['VALUE'];
            }
        }
        $crm = new \CCrmInvoice(false);
        if (!$crm->Update($invoice->id, $fields, ['REGISTER_SONET_EVENT' => true, 'UPDATE_SEARCH' => true])) {
            throw new ApplyFailure("crm refused the product rows of {$invoice->label()}: " . self::lastError($crm));
        }
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

    public function createParty(string $entityType, array $change): int
    {
        $fields = $this->partyFields($entityType, null, $change) + ['ASSIGNED_BY_ID' => $this->userId, 'OPENED' => 'Y'];
        $fields += $entityType === 'contact' ? ['TYPE_ID' => 'CLIENT'] : ['COMPANY_TYPE' => 'CUSTOMER'];
        $crm = $this->partyApi($entityType);
        $id = (int)$crm->Add($fields, true, ['CURRENT_USER' => $this->userId, 'DISABLE_USER_FIELD_CHECK' => true]);
        if ($id <= 0) {
            throw new ApplyFailure("crm refused to create the {$entityType}: " . ($fields['RESULT_MESSAGE'] ?? self::lastError($crm)));
        }
        $this->writeAddressesAndTax($entityType, $id, $change);
        return $id;
    }

    public function updateParty(Party $party, array $change): void
    {
        $fields = $this->partyFields($party->entityType, $party->id, $change);
        if ($fields !== []) {
            $crm = $this->partyApi($party->entityType);
            if (!$crm->Update($party->id, $fields, true, true, ['CURRENT_USER' => $this->userId, 'DISABLE_USER_FIELD_CHECK' => true])) {
                throw new ApplyFailure("crm refused to update {$party->label()}: " . ($fields['RESULT_MESSAGE'] ?? self::lastError($crm)));
            }
        }
        $this->writeAddressesAndTax($party->entityType, $party->id, $change);
    }

    /** ContactCompanyTable::bindContacts; a company's contacts are shown by SORT, so its primary one is moved first. */
    public function attachContact(int $companyId, int $contactId, bool $primary): void
    {
        $bindings = [];
        $others = array_values(array_filter(
            ContactCompanyTable::getCompanyBindings($companyId),
            static fn (array $b) => (int)$b['CONTACT_ID'] !== $contactId,
        ));
        if ($primary) {
            $bindings[] = ['CONTACT_ID' => $contactId, 'SORT' => 10, 'IS_PRIMARY' => 'Y'];
            foreach ($others as $i => $b) {
                $bindings[] = ['CONTACT_ID' => (int)$b['CONTACT_ID'], 'SORT' => 10 * ($i + 2), 'IS_PRIMARY' => 'Y', 'ROLE_ID' => (int)$b['ROLE_ID']];
            }
        } else {
            $bindings[] = ['CONTACT_ID' => $contactId, 'SORT' => 10 * (count($others) + 1), 'IS_PRIMARY' => 'Y'];
        }
        ContactCompanyTable::bindContacts($companyId, $bindings);
    }

    private function smartItem(Invoice $invoice): Item
    {
        $factory = Container::getInstance()->getFactory(self::SMART_INVOICE);
        $item = $factory?->getItem($invoice->id);
        if ($item === null) {
            throw new ApplyFailure("{$invoice->label()} does not exist in Bitrix (deleted?)");
        }
        return $item;
    }

    /** The factory's update operation: automation and business processes run, the timeline records it. */
    private function launch(Item $item, Invoice $invoice): void
    {
        $result = Container::getInstance()->getFactory(self::SMART_INVOICE)->getUpdateOperation($item)->disableCheckAccess()->launch();
        self::check($result, "crm refused the change of {$invoice->label()}");
    }

    /** A contract line as ProductRow::createFromArray takes it; normalize() derives the other prices. @return array<string, mixed> */
    private function smartRow(ProductRow $row): array
    {
        $p = $row->bitrixPrices();
        return array_filter([
            'PRODUCT_ID' => $row->productId,
            'PRODUCT_NAME' => $row->name,
            'PRICE' => $p['PRICE'],
            'QUANTITY' => $row->quantity,
            'DISCOUNT_TYPE_ID' => $p['DISCOUNT_TYPE_ID'],
            'DISCOUNT_RATE' => $p['DISCOUNT_RATE'],
            'DISCOUNT_SUM' => $p['DISCOUNT_SUM'],
            'TAX_RATE' => $row->taxRate,
            'TAX_INCLUDED' => $row->taxIncluded ? 'Y' : 'N',
            'CUSTOMIZED' => 'Y',
            'MEASURE_CODE' => $this->measureCode($row->measureName),
            'SORT' => $row->sort,
        ], static fn ($v) => $v !== null);
    }

    /** A line as CCrmInvoice's PRODUCT_ROWS takes it: sale prices in the VAT basis, VAT as a fraction. @return array<string, mixed> */
    private function basketRow(ProductRow $row): array
    {
        return array_filter([
            'ID' => 0,
            'PRODUCT_ID' => $row->productId,
            'PRODUCT_NAME' => $row->name,
            'QUANTITY' => $row->quantity,
            'PRICE' => $row->price - $row->discountPerUnit(),
            'DISCOUNT_PRICE' => $row->discountPerUnit(),
            'VAT_RATE' => $row->taxRate / 100,
            'VAT_INCLUDED' => $row->taxIncluded ? 'Y' : 'N',
            'CUSTOMIZED' => 'Y',
            'MEASURE_CODE' => $this->measureCode($row->measureName),
            'SORT' => $row->sort,
        ], static fn ($v) => $v !== null);
    }

    /** The catalog measure a name stands for ('h', 'pcs.'), or null to let crm use its default. */
    private function measureCode(?string $name): ?int
    {
        $wanted = rtrim(mb_strtolower(trim((string)$name)), '.');
        if ($wanted === '' || !Loader::includeModule('catalog')) {
            return null;
        }
        foreach (Measure::getMeasures() as $measure) {
            if (rtrim(mb_strtolower((string)$measure['SYMBOL']), '.') === $wanted) {
                return (int)$measure['CODE'];
            }
        }
        return null;
    }

    private function partyApi(string $entityType): \CCrmContact|\CCrmCompany
    {
        return $entityType === 'contact' ? new \CCrmContact(false) : new \CCrmCompany(false);
    }

    /**
     * CCrmContact / CCrmCompany fields of a change: names, multifields (FM: existing values of a kind emptied, which
     * deletes them, the new ones added) and the module's user fields.
     * @param array<string, mixed> $change
     * @return array<string, mixed>
     */
    private function partyFields(string $entityType, ?int $id, array $change): array
    {
        $fields = [];
        foreach (['firstName' => 'NAME', 'lastName' => 'LAST_NAME', 'title' => 'TITLE'] as $key => $column) {
            if (array_key_exists($key, $change)) {
                $fields[$column] = trim((string)$change[$key]);
            }
        }
        $multi = [];
        foreach (['emails' => 'EMAIL', 'phones' => 'PHONE'] as $key => $type) {
            if (isset($change[$key])) {
                $multi[$type] = $change[$key];
            }
        }
        if (array_key_exists('website', $change)) {
            $multi['WEB'] = $change['website'] === null ? [] : [['value' => $change['website'], 'type' => 'WORK']];
        }
        if ($multi !== []) {
            $fields['FM'] = [];
            foreach ($multi as $type => $values) {
                $fields['FM'][$type] = [];
                if ($id !== null) {
                    $old = \CCrmFieldMulti::GetListEx(['ID' => 'ASC'], ['ENTITY_ID' => strtoupper($entityType), 'ELEMENT_ID' => $id, 'TYPE_ID' => $type]);
                    while ($row = $old->Fetch()) {
                        $fields['FM'][$type][$row['ID']] = ['VALUE' => '', 'VALUE_TYPE' => $row['VALUE_TYPE']];
                    }
                }
                foreach (array_values($values) as $i => $v) {
                    $fields['FM'][$type]["n{$i}"] = ['VALUE' => trim((string)$v['value']), 'VALUE_TYPE' => (string)$v['type']];
                }
            }
        }
        foreach ($change['fields'] ?? [] as $name => $value) {
            $fields[$name] = $value;
        }
        return $fields;
    }

    /** @param array<string, mixed> $change */
    private function writeAddressesAndTax(string $entityType, int $id, array $change): void
    {
        $owner = $entityType === 'contact' ? \CCrmOwnerType::Contact : \CCrmOwnerType::Company;
        foreach ($change['addresses'] ?? [] as $address) {
            EntityAddress::register($owner, $id, self::ADDRESS_TYPE[$address['type']], [
                'ADDRESS_1' => (string)($address['address1'] ?? ''),
                'ADDRESS_2' => (string)($address['address2'] ?? ''),
                'CITY' => (string)($address['city'] ?? ''),
                'POSTAL_CODE' => (string)($address['postalCode'] ?? ''),
                'PROVINCE' => (string)($address['region'] ?? ''),
                'COUNTRY' => (string)($address['country'] ?? ''),
            ]);
        }
        if (array_key_exists('taxNumber', $change)) {
            $this->setTaxNumber($owner, $id, $change['taxNumber']);
        }
    }

    /** RQ_VAT_ID of the party's first requisite; one is made with the default preset when a number must be kept. */
    private function setTaxNumber(int $owner, int $id, ?string $taxNumber): void
    {
        $requisites = EntityRequisite::getSingleInstance();
        $found = $requisites->getList([
            'filter' => ['=ENTITY_TYPE_ID' => $owner, '=ENTITY_ID' => $id],
            'order' => ['SORT' => 'ASC', 'ID' => 'ASC'],
            'select' => ['ID'],
            'limit' => 1,
        ])->fetch();
        if ($found) {
            self::check($requisites->update((int)$found['ID'], ['RQ_VAT_ID' => (string)$taxNumber, 'RQ_VAT_PAYER' => $taxNumber === null ? 'N' : 'Y']), 'crm refused the tax number');
        } elseif ($taxNumber !== null) {
            self::check($requisites->add([
                'ENTITY_TYPE_ID' => $owner,
                'ENTITY_ID' => $id,
                'PRESET_ID' => EntityRequisite::getDefaultPresetId($owner),
                'NAME' => \CCrmOwnerType::GetCaption($owner, $id, false),
                'ACTIVE' => 'Y',
                'SORT' => 500,
                'RQ_VAT_ID' => $taxNumber,
                'RQ_VAT_PAYER' => 'Y',
            ]), 'crm refused the tax number');
        }
    }

    private static function check(Result $result, string $what): void
    {
        if (!$result->isSuccess()) {
            throw new ApplyFailure($what . ': ' . implode('; ', $result->getErrorMessages()));
        }
    }

    private static function lastError(object $crm): string
    {
        global $APPLICATION;
        $error = property_exists($crm, 'LAST_ERROR') ? trim(strip_tags((string)$crm->LAST_ERROR)) : '';
        if ($error === '' && is_object($APPLICATION) && ($exception = $APPLICATION->GetException())) {
            $error = (string)$exception->GetString();
        }
        return $error !== '' ? $error : 'no reason given';
    }
}
