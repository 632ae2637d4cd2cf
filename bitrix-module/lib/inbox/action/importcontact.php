<?php

declare(strict_types=1);

namespace B24xero\Sync\Inbox\Action;

use B24xero\Sync\Crm\CrmGateway;

/** import_contact: the contact bound to the Xero contact gets its details; without one, a bound contact is created. */
final class ImportContact implements Action
{
    public function __construct(private readonly CrmGateway $crm)
    {
    }

    public function apply(string $entityType, ?int $entityId, array $payload): ?array
    {
        $xeroId = (string)$payload['xeroContactId'];
        $existing = $this->crm->findPartyByXeroId('contact', $xeroId);
        $details = PartyDetails::change($existing, $payload['details']);
        if ($existing !== null) {
            if ($details !== []) {
                $this->crm->updateParty($existing, $details);
            }
            return ['entityId' => $existing->id, 'created' => false];
        }
        $id = $this->crm->createParty('contact', [
            'firstName' => $payload['person']['firstName'],
            'lastName' => $payload['person']['lastName'],
            ...$details,
            'fields' => ['UF_CRM_XERO_ID' => $xeroId],
        ]);
        return ['entityId' => $id, 'created' => true];
    }
}
