/**
 * The admin API acting as a Xero user, observed through xero-node: what the daemon would see after someone approves,
 * emails, pays, voids or edits in the Xero web app.
 */
import { describe, expect, it } from 'vitest';
import { SimAdminError } from './harness.ts';
import { accountingSuite, approvedInvoice, createContact, currentInvoice, salesInvoice } from './accounting-helpers.ts';

const h = await accountingSuite();
const { xero, tenantId } = h;

const invoiceNow = (id: string) => currentInvoice(xero, tenantId, id);

async function draft() {
  const contact = await createContact(xero, tenantId, undefined, { emailAddress: 'ap@example.test' });
  const res = await xero.accountingApi.createInvoices(tenantId, { invoices: [salesInvoice(contact.contactID!,
    [{ description: 'Consulting', quantity: 1, unitAmount: 100, accountCode: '200', taxType: 'OUTPUT2' }])] });
  return res.body.invoices![0]!;
}

async function adminFailure(action: string, body: unknown = {}): Promise<SimAdminError> {
  try {
    await h.orgAdmin(action, body);
  } catch (error) {
    if (error instanceof SimAdminError) return error;
    throw error;
  }
  throw new Error(`expected ${action} to fail`);
}

describe('admin: invoices as a Xero user', () => {
  it('submits and approves a draft', async () => {
    const invoice = await draft();
    await h.orgAdmin(`invoices/${invoice.invoiceID}/submit`, {});
    expect(String((await invoiceNow(invoice.invoiceID!)).status)).toBe('SUBMITTED');
    const approved = await h.orgAdmin(`invoices/${invoice.invoiceID}/approve`, {});
    expect(approved.Status).toBe('AUTHORISED');
    expect(String((await invoiceNow(invoice.invoiceID!)).status)).toBe('AUTHORISED');
  });

  it('emails or marks an approved invoice as sent', async () => {
    const a = await approvedInvoice(xero, tenantId);
    const b = await approvedInvoice(xero, tenantId);
    await h.orgAdmin(`invoices/${a.invoiceID}/email`, {});
    await h.orgAdmin(`invoices/${b.invoiceID}/mark-sent`, {});
    expect((await invoiceNow(a.invoiceID!)).sentToContact).toBe(true);
    expect((await invoiceNow(b.invoiceID!)).sentToContact).toBe(true);
  });

  it('pays part, then the rest (the default amount is what is due)', async () => {
    const invoice = await approvedInvoice(xero, tenantId);
    await h.orgAdmin(`invoices/${invoice.invoiceID}/pay`, { amount: 40, date: '2026-03-02' });
    expect((await invoiceNow(invoice.invoiceID!)).amountDue).toBe(75);
    const result = await h.orgAdmin(`invoices/${invoice.invoiceID}/pay`, { date: '2026-03-09', accountCode: '091' });
    expect(result.Payment.Amount).toBe(75);
    const paid = await invoiceNow(invoice.invoiceID!);
    expect(String(paid.status)).toBe('PAID');
    expect(paid.fullyPaidOnDate).toEqual(new Date('2026-03-09T00:00:00Z'));
  });

  it('deletes a payment, putting the invoice back to AUTHORISED', async () => {
    const invoice = await approvedInvoice(xero, tenantId);
    const { Payment } = await h.orgAdmin(`invoices/${invoice.invoiceID}/pay`, {});
    await h.orgAdmin(`payments/${Payment.PaymentID}/delete`, {});
    const after = await invoiceNow(invoice.invoiceID!);
    expect(String(after.status)).toBe('AUTHORISED');
    expect(after.amountDue).toBe(115);
  });

  it('refuses to overpay, with the API\'s text', async () => {
    const invoice = await approvedInvoice(xero, tenantId);
    const failure = await adminFailure(`invoices/${invoice.invoiceID}/pay`, { amount: 500 });
    expect(failure.status).toBe(400);
    expect(JSON.stringify(failure.body)).toContain('Payment amount exceeds the amount outstanding on this document');
  });

  it('voids an approved invoice and deletes a draft', async () => {
    const approved = await approvedInvoice(xero, tenantId);
    await h.orgAdmin(`invoices/${approved.invoiceID}/void`, {});
    expect(String((await invoiceNow(approved.invoiceID!)).status)).toBe('VOIDED');
    const d = await draft();
    await h.orgAdmin(`invoices/${d.invoiceID}/delete`, {});
    expect(String((await invoiceNow(d.invoiceID!)).status)).toBe('DELETED');
  });

  it('refuses to void a paid invoice, as the web app does', async () => {
    const invoice = await approvedInvoice(xero, tenantId);
    await h.orgAdmin(`invoices/${invoice.invoiceID}/pay`, {});
    const failure = await adminFailure(`invoices/${invoice.invoiceID}/void`);
    expect(failure.status).toBe(400);
    expect(JSON.stringify(failure.body)).toContain('Invoice not of valid status for modification');
  });

  it('edits an approved invoice\'s lines, dates and reference, and the daemon sees the change', async () => {
    const invoice = await approvedInvoice(xero, tenantId);
    h.sim.clock.advance(1_000);
    const since = h.sim.clock.now();
    h.sim.clock.advance(1_000);
    await h.orgAdmin(`invoices/${invoice.invoiceID}/edit`, {
      lineItems: [{ description: 'Consulting (revised)', quantity: 2, unitAmount: 100, accountCode: '200', taxType: 'OUTPUT2' }],
      dueDate: '2026-05-01', reference: 'Revised',
    });
    const changed = (await xero.accountingApi.getInvoices(tenantId, since)).body.invoices!;
    expect(changed.map((i) => i.invoiceID)).toEqual([invoice.invoiceID]);
    const after = await invoiceNow(invoice.invoiceID!);
    expect(after).toMatchObject({ total: 230, amountDue: 230, reference: 'Revised' });
    expect(after.dueDate).toEqual(new Date('2026-05-01T00:00:00Z'));
  });

  it('answers 404 for an unknown invoice', async () => {
    const failure = await adminFailure('invoices/5d3c6b39-0000-4000-8000-000000000000/approve');
    expect(failure.status).toBe(404);
  });
});

describe('admin: contacts, lock dates, state', () => {
  it('creates a contact with persons and edits it', async () => {
    const created = await h.orgAdmin('contacts', {
      name: 'Admin Made Ltd', firstName: 'Ann', lastName: 'Made', emailAddress: 'ann@example.test',
      contactPersons: [{ firstName: 'Bo', lastName: 'Made', emailAddress: 'bo@example.test', includeInEmails: true }],
    });
    await h.orgAdmin(`contacts/${created.ContactID}/edit`, { phones: [{ phoneType: 'MOBILE', phoneNumber: '021 000' }] });
    const seen = (await xero.accountingApi.getContact(tenantId, created.ContactID)).body.contacts![0]!;
    expect(seen.contactPersons!.map((p) => p.firstName)).toEqual(['Bo']);
    expect(seen.phones!.find((p) => String(p.phoneType) === 'MOBILE')!.phoneNumber).toBe('021 000');
  });

  it('archives a contact, which then drops out of the daemon\'s contact list', async () => {
    const contact = await createContact(xero, tenantId, 'To Archive Ltd');
    await h.orgAdmin(`contacts/${contact.contactID}/archive`, {});
    const list = await xero.accountingApi.getContacts(tenantId, undefined, 'Name=="To Archive Ltd"');
    expect(list.body.contacts).toEqual([]);
    const one = await xero.accountingApi.getContact(tenantId, contact.contactID!);
    expect(String(one.body.contacts![0]!.contactStatus)).toBe('ARCHIVED');
  });

  it('sets and clears lock dates', async () => {
    await h.orgAdmin('lock-dates', { periodLockDate: '2026-01-31', endOfYearLockDate: '2025-12-31' });
    let org = (await xero.accountingApi.getOrganisations(tenantId)).body.organisations![0]!;
    expect(org.periodLockDate).toEqual(new Date('2026-01-31T00:00:00Z'));
    await h.orgAdmin('lock-dates', { periodLockDate: null, endOfYearLockDate: null });
    org = (await xero.accountingApi.getOrganisations(tenantId)).body.organisations![0]!;
    expect(org.periodLockDate).toBeUndefined();
  });

  it('dumps the organisation\'s state', async () => {
    const state = await h.orgAdmin('state', undefined, 'GET');
    expect(state.organisation.OrganisationID).toBe(tenantId);
    expect(state.invoices.length).toBeGreaterThan(0);
    expect(state.accounts.some((a: { Code: string }) => a.Code === '200')).toBe(true);
  });
});
