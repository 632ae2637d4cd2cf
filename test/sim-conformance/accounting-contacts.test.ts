/** Contacts through xero-node: uniqueness rules with Xero's texts, persons, archived contacts, queries. */
import { describe, expect, it } from 'vitest';
import { Contact, Invoice, Phone, Address } from 'xero-node';
import { accountingSuite, createContact, messages, rejection, salesInvoice, uniqueName } from './accounting-helpers.ts';

const h = await accountingSuite();
const { xero, tenantId } = h;

const nameTaken = (name: string) =>
  `The contact name ${name} is already assigned to another contact. The contact name must be unique across all active contacts.`;

describe('creating and updating contacts', () => {
  it('rejects a second active contact with the same name', async () => {
    const name = uniqueName('Acme');
    await createContact(xero, tenantId, name);
    const failure = await rejection(xero.accountingApi.createContacts(tenantId, { contacts: [{ name }] }));
    expect(failure.status).toBe(400);
    expect(messages(failure.body)).toEqual([nameTaken(name)]);
    expect(failure.body.Elements[0].ContactID).toBe('00000000-0000-0000-0000-000000000000');
  });

  it('treats names that differ only in case as the same name', async () => {
    const name = uniqueName('Case');
    await createContact(xero, tenantId, name);
    const failure = await rejection(xero.accountingApi.createContacts(tenantId, { contacts: [{ name: name.toUpperCase() }] }));
    expect(messages(failure.body)).toEqual([nameTaken(name.toUpperCase())]);
  });

  it('POST /Contacts with an existing name updates that contact instead of creating another', async () => {
    const name = uniqueName('Upsert');
    const first = await createContact(xero, tenantId, name);
    const res = await xero.accountingApi.updateOrCreateContacts(tenantId, { contacts: [{ name, emailAddress: 'new@example.test' }] });
    expect(res.body.contacts![0]!.contactID).toBe(first.contactID);
    expect(res.body.contacts![0]!.emailAddress).toBe('new@example.test');
  });

  it('POST /Contacts with an existing ContactNumber updates that contact, even under a new name', async () => {
    const number = `B24-${Math.random().toString(36).slice(2, 8)}`;
    const first = await createContact(xero, tenantId, uniqueName('Before'), { contactNumber: number });
    const renamed = uniqueName('After');
    const res = await xero.accountingApi.updateOrCreateContacts(tenantId, { contacts: [{ contactNumber: number, name: renamed }] });
    expect(res.body.contacts!.map((c) => [c.contactID, c.name])).toEqual([[first.contactID, renamed]]);
  });

  it('allows a new contact with the name of an archived one', async () => {
    const name = uniqueName('Reused');
    const old = await createContact(xero, tenantId, name);
    await xero.accountingApi.updateContact(tenantId, old.contactID!, { contacts: [{ contactStatus: Contact.ContactStatusEnum.ARCHIVED }] });
    const fresh = await createContact(xero, tenantId, name);
    expect(fresh.contactID).not.toBe(old.contactID);
  });

  it('rejects a ContactNumber already used by another contact', async () => {
    const number = `B24-${Math.random().toString(36).slice(2, 8)}`;
    await createContact(xero, tenantId, uniqueName(), { contactNumber: number });
    const failure = await rejection(xero.accountingApi.createContacts(tenantId, { contacts: [{ name: uniqueName(), contactNumber: number }] }));
    expect(messages(failure.body)).toEqual([`The contact number ${number} is already assigned to another contact.`]);
  });

  it('finds a contact by its ContactNumber', async () => {
    const number = `B24-${Math.random().toString(36).slice(2, 8)}`;
    const contact = await createContact(xero, tenantId, uniqueName(), { contactNumber: number });
    const res = await xero.accountingApi.getContact(tenantId, number);
    expect(res.body.contacts![0]!.contactID).toBe(contact.contactID);
  });

  it('keeps a primary person (FirstName, LastName, EmailAddress) and up to 5 contact persons', async () => {
    const persons = [1, 2, 3, 4, 5].map((n) => ({ firstName: `P${n}`, lastName: 'Smith', emailAddress: `p${n}@example.test`, includeInEmails: n === 1 }));
    const contact = await createContact(xero, tenantId, uniqueName('Smith & Co'), {
      firstName: 'Jane', lastName: 'Smith', emailAddress: 'jane@example.test', contactPersons: persons,
    });
    expect(contact).toMatchObject({ firstName: 'Jane', lastName: 'Smith', emailAddress: 'jane@example.test' });
    expect(contact.contactPersons!.map((p) => p.firstName)).toEqual(['P1', 'P2', 'P3', 'P4', 'P5']);
    expect(contact.contactPersons![0]!.includeInEmails).toBe(true);
  });

  it('rejects a sixth contact person', async () => {
    const persons = [1, 2, 3, 4, 5, 6].map((n) => ({ firstName: `P${n}` }));
    const failure = await rejection(xero.accountingApi.createContacts(tenantId, { contacts: [{ name: uniqueName(), contactPersons: persons }] }));
    expect(messages(failure.body)).toEqual(['A contact can have a maximum of 5 contact persons.']);
  });

  it('rejects an invalid email address', async () => {
    const failure = await rejection(xero.accountingApi.createContacts(tenantId, { contacts: [{ name: uniqueName(), emailAddress: 'not-an-email' }] }));
    expect(messages(failure.body)).toEqual(['Email address must be valid.']);
  });

  it('requires a name', async () => {
    const failure = await rejection(xero.accountingApi.createContacts(tenantId, { contacts: [{ firstName: 'No', lastName: 'Name' }] }));
    expect(messages(failure.body)).toEqual(['The contact name must be specified.']);
  });

  it('always shows the STREET and POBOX address slots and the DEFAULT, DDI, FAX, MOBILE phone slots', async () => {
    const contact = await createContact(xero, tenantId, uniqueName(), {
      phones: [{ phoneType: Phone.PhoneTypeEnum.MOBILE, phoneNumber: '021 555 0101' }],
      addresses: [{ addressType: Address.AddressTypeEnum.STREET, addressLine1: '1 Queen St', city: 'Auckland', postalCode: '1010' }],
      taxNumber: '123-456-789',
    });
    expect(contact.addresses!.map((a) => String(a.addressType)).sort()).toEqual(['POBOX', 'STREET']);
    expect(contact.addresses!.find((a) => String(a.addressType) === 'STREET')).toMatchObject({ addressLine1: '1 Queen St', city: 'Auckland' });
    expect(contact.phones!.map((p) => String(p.phoneType)).sort()).toEqual(['DDI', 'DEFAULT', 'FAX', 'MOBILE']);
    expect(contact.phones!.find((p) => String(p.phoneType) === 'MOBILE')!.phoneNumber).toBe('021 555 0101');
    expect(contact.taxNumber).toBe('123-456-789');
  });

  it('updates only the fields sent to /Contacts/{id}', async () => {
    const contact = await createContact(xero, tenantId, uniqueName(), { emailAddress: 'keep@example.test', firstName: 'Kim' });
    h.sim.clock.advance(1_000);
    const res = await xero.accountingApi.updateContact(tenantId, contact.contactID!, { contacts: [{ lastName: 'Lee' }] });
    const updated = res.body.contacts![0]!;
    expect(updated).toMatchObject({ emailAddress: 'keep@example.test', firstName: 'Kim', lastName: 'Lee', name: contact.name });
    expect(updated.updatedDateUTC!.getTime()).toBeGreaterThan(new Date(contact.updatedDateUTC!).getTime());
  });

  it('with summarizeErrors=false saves the good contacts and flags the bad one', async () => {
    const taken = uniqueName();
    await createContact(xero, tenantId, taken);
    const good = uniqueName();
    const res = await xero.accountingApi.createContacts(tenantId, { contacts: [{ name: good }, { name: taken }] }, false);
    expect(res.body.contacts!.map((c) => c.statusAttributeString)).toEqual(['OK', 'ERROR']);
    expect(res.body.contacts![1]!.validationErrors!.map((e) => e.message)).toEqual([nameTaken(taken)]);
    expect(res.body.contacts![1]!.hasValidationErrors).toBe(true);
  });
});

describe('archived contacts', () => {
  it('are left out of lists unless includeArchived=true', async () => {
    const contact = await createContact(xero, tenantId, uniqueName('Gone'));
    await xero.accountingApi.updateContact(tenantId, contact.contactID!, { contacts: [{ contactStatus: Contact.ContactStatusEnum.ARCHIVED }] });
    const where = `Name=="${contact.name}"`;
    expect((await xero.accountingApi.getContacts(tenantId, undefined, where)).body.contacts).toEqual([]);
    const all = await xero.accountingApi.getContacts(tenantId, undefined, where, undefined, undefined, undefined, true);
    expect(all.body.contacts!.map((c) => String(c.contactStatus))).toEqual(['ARCHIVED']);
  });

  it('cannot be edited through the API', async () => {
    const contact = await createContact(xero, tenantId, uniqueName('Frozen'));
    await xero.accountingApi.updateContact(tenantId, contact.contactID!, { contacts: [{ contactStatus: Contact.ContactStatusEnum.ARCHIVED }] });
    const failure = await rejection(xero.accountingApi.updateContact(tenantId, contact.contactID!, { contacts: [{ emailAddress: 'x@example.test' }] }));
    expect(messages(failure.body)).toEqual([
      'The specified contact details matched an archived contact. Archived contacts cannot currently be edited via the API.']);
  });

  it('can be restored by setting ContactStatus ACTIVE', async () => {
    const contact = await createContact(xero, tenantId, uniqueName('Back'));
    await xero.accountingApi.updateContact(tenantId, contact.contactID!, { contacts: [{ contactStatus: Contact.ContactStatusEnum.ARCHIVED }] });
    const res = await xero.accountingApi.updateContact(tenantId, contact.contactID!, { contacts: [{ contactStatus: Contact.ContactStatusEnum.ACTIVE }] });
    expect(String(res.body.contacts![0]!.contactStatus)).toBe('ACTIVE');
  });

  it('cannot be invoiced', async () => {
    const contact = await createContact(xero, tenantId, uniqueName('Old'));
    await xero.accountingApi.updateContact(tenantId, contact.contactID!, { contacts: [{ contactStatus: Contact.ContactStatusEnum.ARCHIVED }] });
    const failure = await rejection(xero.accountingApi.createInvoices(tenantId, {
      invoices: [salesInvoice(contact.contactID!, [{ description: 'x', quantity: 1, unitAmount: 1, accountCode: '200' }])],
    }));
    expect(messages(failure.body)).toEqual(['The contact is archived and cannot be used.']);
  });
});

describe('querying contacts', () => {
  it('filters with where on Name, ContactNumber and EmailAddress, and by IDs', async () => {
    const tag = Math.random().toString(36).slice(2, 7);
    const a = await createContact(xero, tenantId, `Query ${tag} Alpha`, { contactNumber: `Q-${tag}-1`, emailAddress: `alpha.${tag}@example.test` });
    const b = await createContact(xero, tenantId, `Query ${tag} Beta`, { contactNumber: `Q-${tag}-2` });
    const names = async (where?: string, ids?: string[]) =>
      (await xero.accountingApi.getContacts(tenantId, undefined, where, 'Name', ids)).body.contacts!.map((c) => c.name);
    expect(await names(`Name.StartsWith("Query ${tag}")`)).toEqual([a.name, b.name]);
    expect(await names(`ContactNumber=="Q-${tag}-2"`)).toEqual([b.name]);
    expect(await names(`EmailAddress=="alpha.${tag}@example.test"`)).toEqual([a.name]);
    expect(await names(`Name.Contains("${tag}") AND EmailAddress==null`)).toEqual([b.name]);
    expect(await names(undefined, [b.contactID!])).toEqual([b.name]);
  });

  it('searches names, numbers and emails with searchTerm', async () => {
    const tag = Math.random().toString(36).slice(2, 7);
    const contact = await createContact(xero, tenantId, uniqueName(), { emailAddress: `${tag}@example.test` });
    const res = await xero.accountingApi.getContacts(tenantId, undefined, undefined, undefined, undefined, undefined, undefined, undefined, tag);
    expect(res.body.contacts!.map((c) => c.contactID)).toEqual([contact.contactID]);
  });

  it('returns only contacts changed since If-Modified-Since, and pages them', async () => {
    h.sim.clock.advance(2_000);
    const since = h.sim.clock.now();
    h.sim.clock.advance(1_000);
    const created = [];
    for (let i = 0; i < 3; i++) created.push(await createContact(xero, tenantId));
    const changed = await xero.accountingApi.getContacts(tenantId, since);
    expect(changed.body.contacts!.map((c) => c.contactID)).toEqual(created.map((c) => c.contactID));
    const page2 = await xero.accountingApi.getContacts(tenantId, since, undefined, undefined, undefined, 2, undefined, undefined, undefined, 2);
    expect(page2.body.contacts!.map((c) => c.contactID)).toEqual([created[2]!.contactID]);
    expect(page2.response.data.pagination).toEqual({ page: 2, pageSize: 2, pageCount: 2, itemCount: 3 });
  });

  it('marks a contact as customer once a sales invoice is raised against it', async () => {
    const contact = await createContact(xero, tenantId);
    expect(contact.isCustomer).toBe(false);
    h.sim.clock.advance(1_000);
    await xero.accountingApi.createInvoices(tenantId, { invoices: [{ type: Invoice.TypeEnum.ACCREC, contact: { contactID: contact.contactID },
      lineItems: [{ description: 'x', quantity: 1, unitAmount: 1, accountCode: '200' }] }] });
    const reread = await xero.accountingApi.getContact(tenantId, contact.contactID!);
    expect(reread.body.contacts![0]!.isCustomer).toBe(true);
    // Xero does not count IsCustomer/IsSupplier as a change to the contact (reference §5, If-Modified-Since).
    expect(reread.body.contacts![0]!.updatedDateUTC).toEqual(contact.updatedDateUTC);
  });

  it('shows outstanding and overdue balances when one contact is read', async () => {
    const contact = await createContact(xero, tenantId);
    await xero.accountingApi.createInvoices(tenantId, { invoices: [
      salesInvoice(contact.contactID!, [{ description: 'old', quantity: 1, unitAmount: 100, accountCode: '200', taxType: 'OUTPUT2' }],
        { status: Invoice.StatusEnum.AUTHORISED, date: '2020-01-01', dueDate: '2020-01-31' }),
      salesInvoice(contact.contactID!, [{ description: 'new', quantity: 1, unitAmount: 10, accountCode: '200', taxType: 'OUTPUT2' }],
        { status: Invoice.StatusEnum.AUTHORISED, date: '2099-01-01', dueDate: '2099-01-31' }),
    ] });
    const res = await xero.accountingApi.getContact(tenantId, contact.contactID!);
    expect(res.body.contacts![0]!.balances).toEqual({
      accountsReceivable: { outstanding: 126.5, overdue: 115 }, accountsPayable: { outstanding: 0, overdue: 0 },
    });
  });

  it('answers 404 for a contact that does not exist', async () => {
    const failure = await rejection(xero.accountingApi.getContact(tenantId, '0b5a7a44-0000-4000-8000-000000000000'));
    expect(failure.status).toBe(404);
  });
});
