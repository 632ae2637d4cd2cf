<?php

declare(strict_types=1);

namespace B24xero\Sync\Crm;

use B24xero\Sync\Ui\CrmAccess;
use B24xero\Sync\Ui\CrmScope;
use Bitrix\Crm\Security\QueryBuilder\Options;
use Bitrix\Crm\Service\Container;
use Bitrix\Crm\Service\UserPermissions;

/**
 * CRM read permission of a portal user, from crm's permission service: an administrator (or a user whose role reads
 * every invoice) reads all; otherwise crm's list query builder gives the subquery of readable IDs over
 * b_crm_access_attr, the same one crm's own lists filter with (UserPermissions::applyAvailableItemsFilter). Smart
 * invoices are checked over every category (permission entity SMART_INVOICE_C<cat>), legacy ones as INVOICE.
 * Written against crm 23.400's source; not yet run inside a portal.
 */
final class BitrixCrmAccess implements CrmAccess
{
    /** @var array<string, CrmScope> */
    private array $scopes = [];

    public function __construct(private readonly int $userId)
    {
    }

    public function invoices(string $entityType): CrmScope
    {
        return $this->scopes[$entityType] ??= $this->build($entityType);
    }

    public function readsEverything(): bool
    {
        return $this->invoices('smart_invoice')->kind === 'all' && $this->invoices('legacy_invoice')->kind === 'all';
    }

    private function build(string $entityType): CrmScope
    {
        $permissions = Container::getInstance()->getUserPermissions($this->userId);
        if ($permissions->isAdmin()) {
            return CrmScope::all();
        }
        $entityTypeId = $entityType === 'smart_invoice' ? \CCrmOwnerType::SmartInvoice : \CCrmOwnerType::Invoice;
        if (!$permissions->canReadType($entityTypeId)) {
            return CrmScope::none();
        }
        $types = [];
        if ($entityType === 'smart_invoice') {
            $factory = Container::getInstance()->getFactory(\CCrmOwnerType::SmartInvoice);
            foreach ($factory ? $factory->getCategories() : [] as $category) {
                $types[] = UserPermissions::getPermissionEntityType($entityTypeId, (int)$category->getId());
            }
        } else {
            $types[] = UserPermissions::getPermissionEntityType($entityTypeId);
        }
        if ($types === []) {
            return CrmScope::none();
        }
        $options = (new Options())->setNeedReturnRawQuery(true)->setOperations([UserPermissions::OPERATION_READ]);
        $result = $permissions->createListQueryBuilder($types, $options)->build();
        if (!$result->hasRestrictions()) {
            return CrmScope::all();
        }
        return $result->hasAccess() ? CrmScope::ids($result->getSql()) : CrmScope::none();
    }
}
