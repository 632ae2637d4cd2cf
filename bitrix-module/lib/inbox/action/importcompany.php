<?php

declare(strict_types=1);

namespace B24xero\Sync\Inbox\Action;

use B24xero\Sync\Crm\CrmGateway;

/** import_company: the bound company (found or created with its details), then its persons as its contacts. */
final class ImportCompany implements Action
{
    public function __construct(private readonly CrmGateway $crm)
    {
    }

    public function apply(string $entityType, ?int $entityId, array $payload): ?array
    {
        $xeroId = (string)$payload['xeroContactId'];
        $existing = $this->crm->findPartyByXeroId('company', $xeroId);
        $details = PartyDetails::change($existing, $payload['details']);
        if ($existing !== null) {
            if ($details !== []) {
                $this->crm->updateParty($existing, $details);
            }
            $companyId = $existing->id;
        } else {
            $companyId = $this->crm->createParty('company', [
                'title' => $payload['title'],
                ...$details,
                'fields' => ['UF_CRM_XERO_ID' => $xeroId],
            ]);
        }
        $persons = (new CompanyPersons($this->crm))->sync($companyId, $xeroId, $payload['primaryPerson'], $payload['persons'], false);
        return ['entityId' => $companyId, 'created' => $existing === null, 'persons' => $persons];
    }
}
