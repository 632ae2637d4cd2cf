import { describe, expect, it } from 'vitest';
import { contactPayloadFromXero, diffPayload, mapAddresses, mapPhones, payerOf, planPartyContact, splitPhone } from '../../../daemon/src/sync/plan/index.ts';
import type { Address } from '../../../daemon/src/domain/party.ts';
import { company, invoice, line, person } from './plan-fixtures.ts';

const address = (typeId: number, line1: string, overrides: Partial<Address> = {}): Address => ({
  typeId,
  line1,
  line2: '',
  city: 'Auckland',
  region: '',
  postalCode: '1010',
  country: 'New Zealand',
  countryCode: 'NZ',
  ...overrides,
});

describe('planPartyContact: a company payer', () => {
  const people = [1, 2, 3, 4, 5, 6, 7].map((id) => person(id, { firstName: `P${id}`, lastName: 'Tane' }));

  it('is named after the company, with its primary contact as Primary Person and ContactNumber B24-CO-<id>', () => {
    const plan = planPartyContact({ type: 'company', company: company(42, people.slice(0, 2), { taxNumber: ' 123-456-789 ' }) });
    expect(plan.entity).toEqual({ type: 'company', id: 42 });
    expect(plan.payload).toEqual({
      name: 'Kiwi Widgets Ltd',
      contactNumber: 'B24-CO-42',
      firstName: 'P1',
      lastName: 'Tane',
      emailAddress: 'jane1@example.co.nz',
      contactPersons: [{ firstName: 'P2', lastName: 'Tane', emailAddress: 'jane2@example.co.nz', includeInEmails: false }],
      phones: [],
      addresses: [],
      taxNumber: '123-456-789',
    });
    expect(plan.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps at most five additional people and warns about the ones dropped', () => {
    const plan = planPartyContact({ type: 'company', company: company(42, people) });
    expect(plan.payload.contactPersons.map((p) => p.firstName)).toEqual(['P2', 'P3', 'P4', 'P5', 'P6']);
    expect(plan.warnings).toEqual([
      {
        code: 'contact_persons_dropped',
        message: 'Company "Kiwi Widgets Ltd": Xero keeps 5 additional people; not sent: P7 Tane',
        details: { dropped: ['P7 Tane'] },
      },
    ]);
  });

  it("uses the company's email when the primary person has none, and empty names when it has no contacts", () => {
    const plan = planPartyContact({ type: 'company', company: company(8, []) });
    expect(plan.payload).toMatchObject({ firstName: '', lastName: '', emailAddress: 'accounts@kiwiwidgets.co.nz', contactPersons: [] });
  });

  it('cuts a long title to 255 characters and removes control characters', () => {
    const plan = planPartyContact({ type: 'company', company: company(9, [], { title: `Acme\u0000\tHoldings ${'x'.repeat(400)}` }) });
    expect(plan.payload.name.startsWith('Acme Holdings x')).toBe(true);
    expect(Array.from(plan.payload.name)).toHaveLength(255);
  });

  it('warns when the company is named exactly like its primary person, which an import would read as a contact', () => {
    const plan = planPartyContact({ type: 'company', company: company(11, [person(1)], { title: 'Jane Doe' }) });
    expect(plan.warnings.map((w) => w.code)).toEqual(['company_named_like_person']);
  });

  it('hashes the same company the same way and a changed email differently', () => {
    const a = planPartyContact({ type: 'company', company: company(42, [person(1)]) });
    const b = planPartyContact({ type: 'company', company: company(42, [person(1)]) });
    const c = planPartyContact({ type: 'company', company: company(42, [person(1, { emails: [{ kind: 'WORK', address: 'new@x.nz' }] })]) });
    expect(a.hash).toBe(b.hash);
    expect(c.hash).not.toBe(a.hash);
  });

  it('falls back to "Company #<id>" for an untitled company', () => {
    const plan = planPartyContact({ type: 'company', company: company(10, [], { title: '  ' }) });
    expect(plan.payload.name).toBe('Company #10');
    expect(plan.warnings.map((w) => w.code)).toContain('name_fallback');
  });
});

describe('planPartyContact: a person payer', () => {
  it('is named "First Last", its Primary Person is that same person, ContactNumber B24-C-<id>', () => {
    const plan = planPartyContact({ type: 'person', person: person(17, { firstName: ' Jane ', lastName: 'Doe ' }) });
    expect(plan.payload).toMatchObject({ name: 'Jane Doe', firstName: 'Jane', lastName: 'Doe', contactNumber: 'B24-C-17', contactPersons: [] });
    expect(plan.entity).toEqual({ type: 'contact', id: 17 });
    expect(plan.warnings).toEqual([]);
  });

  it('falls back to FULL_NAME split at the last space, so Name still equals First + Last', () => {
    const plan = planPartyContact({ type: 'person', person: person(18, { firstName: '', lastName: '', fullName: 'Mary Anne Smith' }) });
    expect(plan.payload).toMatchObject({ name: 'Mary Anne Smith', firstName: 'Mary Anne', lastName: 'Smith' });
  });

  it('falls back to the first valid email, then to "Contact #<id>"', () => {
    const byEmail = planPartyContact({
      type: 'person',
      person: person(19, { firstName: '', lastName: '', fullName: '', emails: [{ kind: 'WORK', address: 'not-an-email' }, { kind: 'HOME', address: 'x@y.nz' }] }),
    });
    expect(byEmail.payload).toMatchObject({ name: 'x@y.nz', firstName: 'x@y.nz', emailAddress: 'x@y.nz' });
    const bare = planPartyContact({ type: 'person', person: person(20, { firstName: '', lastName: '', fullName: '', emails: [] }) });
    expect(bare.payload.name).toBe('Contact #20');
    expect(bare.payload.emailAddress).toBeUndefined();
  });
});

describe('phones', () => {
  it('maps WORK, MOBILE and FAX to their Xero slots and other kinds to DDI', () => {
    const { phones, warnings } = mapPhones(
      [
        { kind: 'MOBILE', number: '021 555 123' },
        { kind: 'WORK', number: '+64 9 555 1234' },
        { kind: 'FAX', number: '(09) 555 9999' },
        { kind: 'HOME', number: '09 444 1111' },
      ],
      'X',
    );
    expect(phones).toEqual([
      { phoneType: 'DEFAULT', phoneCountryCode: '64', phoneAreaCode: '9', phoneNumber: '555 1234' },
      { phoneType: 'DDI', phoneNumber: '09 444 1111' },
      { phoneType: 'MOBILE', phoneNumber: '021 555 123' },
      { phoneType: 'FAX', phoneAreaCode: '09', phoneNumber: '555 9999' },
    ]);
    expect(warnings).toEqual([]);
  });

  it('drops numbers once the slots are full, with a warning listing them', () => {
    const { phones, warnings } = mapPhones(
      ['1', '2', '3', '4'].map((n) => ({ kind: 'WORK', number: `555 000${n}` })).concat([{ kind: 'FAX', number: '1' }, { kind: 'FAX', number: '2' }]),
      'X',
    );
    expect(phones.map((p) => p.phoneType)).toEqual(['DEFAULT', 'DDI', 'MOBILE', 'FAX']);
    expect(warnings[0]?.details).toEqual({ dropped: ['555 0004', '2'] });
  });

  it('splits a number only when its writing is unambiguous', () => {
    expect(splitPhone('+44 (20) 7946 0000')).toEqual({ phoneCountryCode: '44', phoneAreaCode: '20', phoneNumber: '7946 0000' });
    expect(splitPhone('+7 495 123-45-67')).toEqual({ phoneCountryCode: '7', phoneAreaCode: '495', phoneNumber: '123-45-67' });
    expect(splitPhone('8 800 555 35 35')).toEqual({ phoneNumber: '8 800 555 35 35' });
    expect(splitPhone('+6495551234')).toEqual({ phoneNumber: '+6495551234' });
  });
});

describe('addresses', () => {
  it('puts the billing address in POBOX and the primary address in STREET', () => {
    const result = mapAddresses([address(1, '1 Queen St'), address(12, 'PO Box 99', { city: 'Wellington', postalCode: '6011' })]);
    expect(result).toEqual([
      { addressType: 'POBOX', addressLine1: 'PO Box 99', city: 'Wellington', postalCode: '6011', country: 'New Zealand' },
      { addressType: 'STREET', addressLine1: '1 Queen St', city: 'Auckland', postalCode: '1010', country: 'New Zealand' },
    ]);
  });

  it('fills both slots from a single address and skips empty ones', () => {
    const result = mapAddresses([address(6, '', { city: '', postalCode: '', country: '', countryCode: '' }), address(1, '1 Queen St', { country: '', region: 'Auckland' })]);
    expect(result.map((a) => [a.addressType, a.addressLine1, a.country, a.region])).toEqual([
      ['POBOX', '1 Queen St', 'NZ', 'Auckland'],
      ['STREET', '1 Queen St', 'NZ', 'Auckland'],
    ]);
  });
});

describe('payerOf', () => {
  it('bills the company when there is one, else the primary contact, else nobody', () => {
    const jane = person(17);
    expect(payerOf(invoice([line()], { company: company(42, [jane]), contacts: [jane] }))).toMatchObject({ type: 'company' });
    expect(payerOf(invoice([line()], { contacts: [jane, person(18)] }))).toEqual({ type: 'person', person: jane });
    expect(payerOf(invoice([line()]))).toBeNull();
  });
});

describe('contactPayloadFromXero', () => {
  it("shows no difference between a pushed contact and Xero's copy with its empty fixed slots", () => {
    const plan = planPartyContact({
      type: 'company',
      company: company(42, [person(1), person(2)], { phones: [{ kind: 'WORK', number: '+64 9 555 1234' }], addresses: [address(1, '1 Queen St')] }),
    });
    const fromXero = {
      ...plan.payload,
      contactID: 'c-1',
      contactStatus: 'ACTIVE',
      phones: [
        { phoneType: 'DDI' },
        { phoneType: 'DEFAULT', phoneNumber: '555 1234', phoneAreaCode: '9', phoneCountryCode: '64' },
        { phoneType: 'FAX', phoneNumber: '' },
        { phoneType: 'MOBILE' },
      ],
      addresses: [{ addressType: 'STREET', ...plan.payload.addresses[1] }, { addressType: 'POBOX', ...plan.payload.addresses[0] }, { addressType: 'DELIVERY' }],
    };
    expect(diffPayload(contactPayloadFromXero(fromXero), plan.payload)).toEqual([]);
  });
});
