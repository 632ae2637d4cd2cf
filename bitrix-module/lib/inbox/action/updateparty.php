<?php

declare(strict_types=1);

namespace B24xero\Sync\Inbox\Action;

use B24xero\Sync\Crm\CrmGateway;
use B24xero\Sync\Inbox\ApplyFailure;

/** update_party: what changed in Xero on a linked contact or company (and its persons), where Bitrix differs. */
final class UpdateParty implements Action
{
    public function __construct(private readonly CrmGateway $crm)
    {
    }

    public function apply(string $entityType, ?int $entityId, array $payload): ?array
    {
        $party = Entities::party($this->crm, $entityType, (int)$entityId);
        $xeroId = (string)$payload['xeroContactId'];
        $bound = (string)($party->fields['UF_CRM_XERO_ID'] ?? '');
        if ($bound !== '' && $bound !== $xeroId) {
            throw new ApplyFailure("{$party->label()} is bound to Xero contact {$bound}, not {$xeroId}: nothing was changed");
        }
        $set = $payload['set'];
        $names = $entityType === 'contact' ? ['firstName', 'lastName'] : ['title'];
        $foreign = array_diff(array_intersect(array_keys($set), ['firstName', 'lastName', 'title']), $names);
        if ($foreign !== []) {
            throw new ApplyFailure("{$party->label()} has no " . implode(', ', $foreign) . ' (' . ($entityType === 'contact' ? 'contacts take firstName, lastName' : 'companies take title') . ')');
        }
        if (isset($payload['persons']) && $entityType !== 'company') {
            throw new ApplyFailure("{$party->label()}: persons belong to companies");
        }
        $change = PartyDetails::change($party, $set);
        $have = ['firstName' => $party->firstName, 'lastName' => $party->lastName, 'title' => $party->title];
        foreach ($names as $key) {
            if (array_key_exists($key, $set) && trim((string)$set[$key]) !== $have[$key]) {
                $change[$key] = $set[$key];
            }
        }
        if ($change !== []) {
            $this->crm->updateParty($party, $change);
        }
        if (isset($payload['persons'])) {
            (new CompanyPersons($this->crm))->sync($party->id, $xeroId, $payload['persons']['primary'], $payload['persons']['others'], true);
        }
        return null;
    }
}
