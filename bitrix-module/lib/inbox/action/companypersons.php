<?php

declare(strict_types=1);

namespace B24xero\Sync\Inbox\Action;

use B24xero\Sync\Crm\CrmGateway;
use B24xero\Sync\Crm\Party;

/**
 * The persons of a Xero organisation as contacts of its Bitrix company: each is matched among the contacts attached to
 * the company by email (case-insensitive), then by first + last name, else created — with
 * UF_CRM_XERO_ID = 'person:<ContactID of the company>', since they are not Xero contacts of their own — and attached.
 * The primary person becomes the primary contact. No contact is ever detached or deleted.
 */
final class CompanyPersons
{
    public function __construct(private readonly CrmGateway $crm)
    {
    }

    /**
     * @param array{firstName: string, lastName: string, email: ?string}|null $primary
     * @param list<array{firstName: string, lastName: string, email: ?string}> $others
     * @param bool $updateMatched write names and a new email onto a matched contact (update_party), or leave it (imports)
     * @return list<array{contactId: int, created: bool, primary: bool, email: ?string, firstName: string, lastName: string}>
     */
    public function sync(int $companyId, string $xeroContactId, ?array $primary, array $others, bool $updateMatched): array
    {
        $contacts = $this->crm->companyContacts($companyId);
        $persons = [];
        if ($primary !== null) {
            $persons[] = [$primary, true];
        }
        foreach ($others as $person) {
            $persons[] = [$person, false];
        }
        $out = [];
        foreach ($persons as [$person, $isPrimary]) {
            $email = isset($person['email']) && trim($person['email']) !== '' ? trim($person['email']) : null;
            $match = $this->match($contacts, $person, $email);
            if ($match === null) {
                $id = $this->crm->createParty('contact', [
                    'firstName' => $person['firstName'],
                    'lastName' => $person['lastName'],
                    'emails' => $email === null ? [] : [['value' => $email, 'type' => 'WORK']],
                    'fields' => ['UF_CRM_XERO_ID' => 'person:' . $xeroContactId],
                ]);
                $this->crm->attachContact($companyId, $id, $isPrimary);
                $contacts[] = $this->crm->findParty('contact', $id) ?? throw new \LogicException("contact {$id} vanished after it was created");
                $created = true;
            } else {
                $id = $match->id;
                $created = false;
                if ($isPrimary && !$match->primary) {
                    $this->crm->attachContact($companyId, $id, true);
                }
                if ($updateMatched) {
                    $this->update($match, $person, $email);
                }
            }
            $out[] = ['contactId' => $id, 'created' => $created, 'primary' => $isPrimary, 'email' => $email,
                'firstName' => $person['firstName'], 'lastName' => $person['lastName']];
        }
        return $out;
    }

    /** @param list<Party> $contacts @param array{firstName: string, lastName: string} $person */
    private function match(array $contacts, array $person, ?string $email): ?Party
    {
        if ($email !== null) {
            foreach ($contacts as $contact) {
                if (in_array(mb_strtolower($email), $contact->emailKeys(), true)) {
                    return $contact;
                }
            }
        }
        $name = self::nameKey($person['firstName'], $person['lastName']);
        if ($name === "\t") {
            return null; // no name to go by
        }
        foreach ($contacts as $contact) {
            if (self::nameKey($contact->firstName, $contact->lastName) === $name) {
                return $contact;
            }
        }
        return null;
    }

    /** @param array{firstName: string, lastName: string} $person */
    private function update(Party $contact, array $person, ?string $email): void
    {
        $change = [];
        if (trim($person['firstName']) !== $contact->firstName) {
            $change['firstName'] = $person['firstName'];
        }
        if (trim($person['lastName']) !== $contact->lastName) {
            $change['lastName'] = $person['lastName'];
        }
        if ($email !== null && !in_array(mb_strtolower($email), $contact->emailKeys(), true)) {
            $change['emails'] = [...$contact->emails, ['value' => $email, 'type' => 'WORK']];
        }
        if ($change !== []) {
            $this->crm->updateParty($contact, $change);
        }
    }

    private static function nameKey(string $first, string $last): string
    {
        return mb_strtolower(trim($first)) . "\t" . mb_strtolower(trim($last));
    }
}
