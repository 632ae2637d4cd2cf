import { describe, expect, it } from 'vitest';
import { importRow, importSkip, mergeXeroEdit, viewOfXeroContact, type XeroPartyView } from '../../../daemon/src/sync/plan/index.ts';

const ID = '9a0b8c6d-4e2f-4a37-8c1d-2e3f4a5b6c7d';

describe('the import rule', () => {
  it('a contact named like its primary person is a Bitrix contact, whatever the case and spacing', () => {
    const v = viewOfXeroContact({ contactID: ID.toUpperCase(), name: ' aroha   NGATA ', firstName: 'Aroha', lastName: 'Ngata' });
    expect(v).toMatchObject({ contactID: ID, kind: 'contact', firstName: 'Aroha', lastName: 'Ngata', primaryPerson: null });
    expect(importRow(v, '2026-12-01 10:00:00')).toMatchObject({ action: 'import_contact', payload: { person: { firstName: 'Aroha', lastName: 'Ngata' } } });
  });

  it('a first-name-only person is a contact too', () => {
    expect(viewOfXeroContact({ contactID: ID, name: 'Cher', firstName: 'Cher' }).kind).toBe('contact');
  });

  it('otherwise a company: its primary person, then up to five ContactPersons', () => {
    const v = viewOfXeroContact({
      contactID: ID, name: 'Kauri Timber Ltd', firstName: 'Mere', lastName: 'Parata', emailAddress: 'accounts@kauri.example',
      contactPersons: [{ firstName: 'Tom', lastName: 'Walsh', emailAddress: 'tom@kauri.example' }, { firstName: 'Ana', lastName: 'Silva', emailAddress: 'not-an-email' }, {}],
    });
    expect(v.kind).toBe('company');
    expect(importRow(v, '2026-12-01 10:00:00').payload).toMatchObject({
      title: 'Kauri Timber Ltd',
      primaryPerson: { firstName: 'Mere', lastName: 'Parata', email: 'accounts@kauri.example' },
      persons: [{ firstName: 'Tom', lastName: 'Walsh', email: 'tom@kauri.example' }, { firstName: 'Ana', lastName: 'Silva', email: null }],
    });
  });

  it('no primary person: a company alone', () => {
    const v = viewOfXeroContact({ contactID: ID, name: 'Harbour Cafe' });
    expect(importRow(v, '2026-12-01 10:00:00').payload).toMatchObject({ title: 'Harbour Cafe', primaryPerson: null, persons: [] });
  });

  it('maps phones (DEFAULT, MOBILE, FAX, DDI), addresses (POBOX, STREET), tax number, website and account number', () => {
    const v = viewOfXeroContact({
      contactID: ID, name: 'Kauri Timber Ltd', taxNumber: '123-456-789', website: 'https://kauri.example', accountNumber: 'ACC-1',
      phones: [
        { phoneType: 'DEFAULT', phoneNumber: '555 0199', phoneAreaCode: '9', phoneCountryCode: '64' }, { phoneType: 'MOBILE', phoneNumber: '021 555' },
        { phoneType: 'FAX', phoneNumber: '555 0198' }, { phoneType: 'DDI', phoneNumber: '555 0197' }, { phoneType: 'DEFAULT', phoneNumber: '' },
      ],
      addresses: [
        { addressType: 'STREET', addressLine1: '8 Mill Road', addressLine2: 'Unit 3', addressLine3: 'Level 2', city: 'Auckland' },
        { addressType: 'POBOX', addressLine1: 'PO Box 4410', postalCode: '1140', country: 'New Zealand' }, { addressType: 'POBOX' },
      ],
    });
    expect(v.details).toEqual({
      emails: [],
      phones: [{ value: '+64 9 555 0199', type: 'WORK' }, { value: '021 555', type: 'MOBILE' }, { value: '555 0198', type: 'FAX' }, { value: '555 0197', type: 'OTHER' }],
      addresses: [
        { type: 'postal', address1: 'PO Box 4410', address2: null, city: null, region: null, postalCode: '1140', country: 'New Zealand' },
        { type: 'street', address1: '8 Mill Road', address2: 'Unit 3, Level 2', city: 'Auckland', region: null, postalCode: null, country: null },
      ],
      website: 'https://kauri.example', taxNumber: '123-456-789', accountNumber: 'ACC-1',
    });
  });

  it('skips archived contacts, ours (a B24 ContactNumber), nameless ones, and non-customers when asked', () => {
    const base = { contactID: ID, name: 'Someone Ltd' };
    expect(importSkip(viewOfXeroContact({ ...base, contactStatus: 'ARCHIVED' }), 'all')).toBe('archived');
    expect(importSkip(viewOfXeroContact({ ...base, contactNumber: 'B24-CO-12' }), 'all')).toBe('ours');
    expect(importSkip(viewOfXeroContact({ ...base, contactNumber: 'CUST-12' }), 'all')).toBeNull();
    expect(importSkip(viewOfXeroContact({ contactID: ID, name: ' ' }), 'all')).toBe('no_name');
    expect(importSkip(viewOfXeroContact(base), 'customers')).toBe('not_customer');
    expect(importSkip(viewOfXeroContact({ ...base, isCustomer: true }), 'customers')).toBeNull();
  });
});

describe('mergeXeroEdit (three-way, base = the copy last seen)', () => {
  const v = (over: Parameters<typeof viewOfXeroContact>[0]): XeroPartyView => viewOfXeroContact({ contactID: ID, name: 'Aroha Ngata', firstName: 'Aroha', lastName: 'Ngata', emailAddress: 'a@x.example', ...over });
  const base = v({});

  it('sends what only Xero changed', () => {
    const m = mergeXeroEdit(base, v({ emailAddress: 'new@x.example', website: 'https://a.example' }), base, 'contact', 'bitrix');
    expect(m).toEqual({ set: { emails: [{ value: 'new@x.example', type: 'WORK' }], website: 'https://a.example' }, persons: null, conflicts: [] });
  });

  it('sends nothing for our own write coming back, nor for an edit both sides made alike', () => {
    const same = v({ emailAddress: 'new@x.example' });
    expect(mergeXeroEdit(base, same, same, 'contact', 'xero')).toEqual({ set: {}, persons: null, conflicts: [] });
  });

  it('a field changed on both sides is a conflict the master wins', () => {
    const xero = v({ emailAddress: 'xero@x.example' });
    const bitrix = v({ emailAddress: 'bitrix@x.example' });
    expect(mergeXeroEdit(base, xero, bitrix, 'contact', 'bitrix')).toMatchObject({ set: {}, conflicts: [{ field: 'emails' }] });
    expect(mergeXeroEdit(base, xero, bitrix, 'contact', 'xero')).toMatchObject({ set: { emails: [{ value: 'xero@x.example' }] }, conflicts: [{ field: 'emails' }] });
  });

  it("a field Bitrix does not carry to Xero (website, account number) is never Bitrix's change", () => {
    const bitrixView = v({ website: undefined });
    const m = mergeXeroEdit(v({ website: 'https://old.example' }), v({ website: 'https://new.example' }), bitrixView, 'contact', 'bitrix');
    expect(m).toEqual({ set: { website: 'https://new.example' }, persons: null, conflicts: [] });
  });

  it("a company's people changed in Xero come back as persons", () => {
    const co = (persons: Array<{ firstName: string; lastName: string }>) => viewOfXeroContact({ contactID: ID, name: 'Kauri Ltd', firstName: 'Mere', lastName: 'Parata', contactPersons: persons });
    const m = mergeXeroEdit(co([]), co([{ firstName: 'New', lastName: 'Hire' }]), co([]), 'company', 'xero');
    expect(m.persons).toEqual({ primary: { firstName: 'Mere', lastName: 'Parata', email: null }, others: [{ firstName: 'New', lastName: 'Hire', email: null }] });
  });
});
