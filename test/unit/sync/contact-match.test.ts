import { describe, expect, it } from 'vitest';
import { matchContact, partyIdentity, planPartyContact, type ContactCandidate, type PartyIdentity } from '../../../daemon/src/sync/plan/index.ts';
import { company, person } from './plan-fixtures.ts';

const party: PartyIdentity = { entity: { type: 'company', id: 42 }, xeroId: null, name: 'Kiwi Widgets Ltd', contactNumber: 'B24-CO-42' };
const c = (contactID: string, over: Partial<ContactCandidate> = {}): ContactCandidate => ({ contactID, name: 'Someone', contactStatus: 'ACTIVE', ...over });

describe('matchContact', () => {
  it('prefers the link table over every other clue', () => {
    const candidates = [c('linked'), c('bound'), c('numbered', { contactNumber: 'B24-CO-42' })];
    const result = matchContact(candidates, { ...party, xeroId: 'bound' }, [{ entityType: 'company', entityId: 42, xeroId: 'linked' }]);
    expect(result).toEqual({ action: 'use', contactID: 'linked', via: 'link' });
  });

  it('uses the UF_CRM_XERO_ID binding when there is no link', () => {
    expect(matchContact([c('bound')], { ...party, xeroId: 'bound' }, [])).toEqual({ action: 'use', contactID: 'bound', via: 'binding' });
  });

  it('finds a contact by ContactNumber after a lost link', () => {
    expect(matchContact([c('numbered', { contactNumber: 'B24-CO-42' })], party, [])).toEqual({ action: 'use', contactID: 'numbered', via: 'contact_number' });
  });

  it('adopts a same-named Xero contact that has no ContactNumber and belongs to no other Bitrix record', () => {
    expect(matchContact([c('manual', { name: 'kiwi  widgets ltd' })], party, [])).toEqual({ action: 'use', contactID: 'manual', via: 'name' });
  });

  it('never merges a same-named contact carrying another ContactNumber: blocked, with both named', () => {
    const result = matchContact([c('stranger', { name: 'Kiwi Widgets Ltd', contactNumber: 'CUST-7' })], party, []);
    expect(result).toMatchObject({ action: 'blocked', reason: 'name_taken', contactID: 'stranger' });
    if (result.action === 'blocked') {
      expect(result.error.class).toBe('needs_person');
      expect(result.error.message).toBe(
        'Bitrix company 42 would be Xero contact "Kiwi Widgets Ltd", but that name already belongs to Xero contact stranger ' +
          '(ContactNumber CUST-7) — rename one of them, or link them by setting UF_CRM_XERO_ID',
      );
    }
  });

  it('never merges a same-named contact linked to another Bitrix record', () => {
    const result = matchContact([c('other', { name: 'Kiwi Widgets Ltd' })], party, [{ entityType: 'contact', entityId: 5, xeroId: 'other' }]);
    expect(result).toMatchObject({ action: 'blocked', reason: 'name_taken' });
    expect(result.action === 'blocked' && result.error.message).toContain('Bitrix contact 5');
  });

  it('does not follow a binding to a contact another Bitrix record is linked to', () => {
    const result = matchContact([c('taken')], { ...party, xeroId: 'taken' }, [{ entityType: 'company', entityId: 7, xeroId: 'taken' }]);
    expect(result).toEqual({ action: 'create' });
  });

  it('ignores archived contacts of the same name, since Xero only keeps active names unique', () => {
    expect(matchContact([c('old', { name: 'Kiwi Widgets Ltd', contactStatus: 'ARCHIVED' })], party, [])).toEqual({ action: 'create' });
  });

  it('blocks a linked contact that was archived in Xero', () => {
    const result = matchContact([c('linked', { contactStatus: 'ARCHIVED' })], party, [{ entityType: 'company', entityId: 42, xeroId: 'linked' }]);
    expect(result).toMatchObject({ action: 'blocked', reason: 'archived', contactID: 'linked' });
  });

  it('follows a merged contact to the contact it was merged into', () => {
    const candidates = [c('merged', { contactStatus: 'ARCHIVED', mergedToContactID: 'survivor' }), c('survivor')];
    expect(matchContact(candidates, party, [{ entityType: 'company', entityId: 42, xeroId: 'merged' }])).toEqual({
      action: 'use',
      contactID: 'survivor',
      via: 'link',
    });
  });

  it('creates when nothing matches, falling through a link whose contact Xero no longer returns', () => {
    expect(matchContact([c('x', { name: 'Other Ltd' })], party, [{ entityType: 'company', entityId: 42, xeroId: 'vanished' }])).toEqual({ action: 'create' });
  });
});

describe('partyIdentity', () => {
  it("carries the planned name, ContactNumber and email and the Bitrix record's UF_CRM_XERO_ID into matching", () => {
    const party = { type: 'person' as const, person: person(17, { xeroId: ' 0f0e ' }) };
    expect(partyIdentity(party, planPartyContact(party))).toEqual({
      entity: { type: 'contact', id: 17 },
      xeroId: '0f0e',
      name: 'Jane Doe',
      contactNumber: 'B24-C-17',
      email: 'jane17@example.co.nz',
    });
    const co = { type: 'company' as const, company: company(42, []) };
    expect(partyIdentity(co, planPartyContact(co))).toMatchObject({ xeroId: null, contactNumber: 'B24-CO-42' });
  });
});
