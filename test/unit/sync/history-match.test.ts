import { describe, expect, it } from 'vitest';
import {
  candidatesFor, indexHistory, matchContact, matchHistory, type ContactCandidate, type HistoryCandidate, type HistoryInvoice, type PartyIdentity,
} from '../../../daemon/src/sync/plan/index.ts';

const x = (invoiceID: string, over: Partial<HistoryCandidate> = {}): HistoryCandidate => ({
  invoiceID, invoiceNumber: null, reference: null, contactID: 'c-1', contactName: 'Kiwi Widgets Ltd', status: 'AUTHORISED', total: 115, currency: 'NZD', ...over,
});
const inv: HistoryInvoice = { kind: 'smart', id: 12, number: 'INV-12', total: 115, currency: 'NZD', payerContactID: 'c-1' };

describe('matchHistory', () => {
  it('links an invoice whose Reference carries our key, whatever its number', () => {
    const index = indexHistory([x('ours', { reference: 'B24-SI-12 (INV-12)', invoiceNumber: 'INV-0099' })]);
    expect(matchHistory(inv, index, new Set())).toMatchObject({ action: 'link', via: 'reference', invoice: { invoiceID: 'ours' } });
  });

  it('does not take B24-SI-123 for B24-SI-12, nor a legacy key for a smart one', () => {
    const index = indexHistory([x('a', { reference: 'B24-SI-123' }), x('b', { reference: 'B24-I-12' })]);
    expect(matchHistory(inv, index, new Set())).toEqual({ action: 'none' });
  });

  it('links the same number for the same contact, currency and total (within a cent), case- and space-insensitive', () => {
    const index = indexHistory([x('typed', { invoiceNumber: 'inv-12 ', total: 115.004 })]);
    expect(matchHistory(inv, index, new Set())).toMatchObject({ action: 'link', via: 'number', invoice: { invoiceID: 'typed' } });
  });

  it('matches a Bitrix number the accountant typed into Reference (Xero numbering kept)', () => {
    const index = indexHistory([x('ref', { invoiceNumber: 'INV-0042', reference: 'INV-12' })]);
    expect(matchHistory(inv, index, new Set())).toMatchObject({ action: 'link', via: 'number' });
  });

  it('stops at the same number with another total, naming the Xero invoice — never a duplicate, never a guess', () => {
    const index = indexHistory([x('other', { invoiceNumber: 'INV-12', total: 250, contactName: 'Stranger' })]);
    const m = matchHistory(inv, index, new Set());
    expect(m).toMatchObject({ action: 'needs_person', error: { code: 'invoice_number_taken', class: 'needs_person' } });
    if (m.action === 'needs_person') expect(m.error.message).toContain('Xero invoice INV-12 (other, Stranger, NZD 250.00, AUTHORISED)');
  });

  it('stops at the same number for another contact, and when the payer is not in Xero yet', () => {
    const index = indexHistory([x('other', { invoiceNumber: 'INV-12', contactID: 'c-2' })]);
    expect(matchHistory(inv, index, new Set()).action).toBe('needs_person');
    expect(matchHistory({ ...inv, payerContactID: null }, indexHistory([x('same', { invoiceNumber: 'INV-12' })]), new Set()).action).toBe('needs_person');
  });

  it('reports two fitting invoices as ambiguous, and skips one already linked elsewhere', () => {
    const both = indexHistory([x('a', { invoiceNumber: 'INV-12' }), x('b', { invoiceNumber: 'INV-12' })]);
    expect(matchHistory(inv, both, new Set())).toMatchObject({ action: 'needs_person', error: { code: 'invoice_match_ambiguous' } });
    expect(matchHistory(inv, both, new Set(['a']))).toMatchObject({ action: 'link', invoice: { invoiceID: 'b' } });
  });

  it('ignores deleted invoices, and invoices without a Bitrix number', () => {
    expect(matchHistory(inv, indexHistory([x('gone', { invoiceNumber: 'INV-12', status: 'DELETED' })]), new Set())).toEqual({ action: 'none' });
    expect(matchHistory({ ...inv, number: '' }, indexHistory([x('a', { invoiceNumber: '' })]), new Set())).toEqual({ action: 'none' });
  });
});

const party: PartyIdentity = { entity: { type: 'contact', id: 7 }, xeroId: null, name: 'Ana Moana', contactNumber: 'B24-C-7', email: 'Ana@Example.com' };
const c = (contactID: string, over: Partial<ContactCandidate> = {}): ContactCandidate => ({ contactID, name: 'Someone', contactStatus: 'ACTIVE', ...over });

describe('matchContact by email (the last step)', () => {
  it('uses the one active contact with that email when no name or number matched', () => {
    expect(matchContact([c('mail', { emailAddress: 'ana@example.com ' })], party, [])).toEqual({ action: 'use', contactID: 'mail', via: 'email' });
  });

  it('prefers a name match over an email match', () => {
    expect(matchContact([c('mail', { emailAddress: 'ana@example.com' }), c('named', { name: 'ana moana' })], party, []))
      .toMatchObject({ action: 'use', contactID: 'named', via: 'name' });
  });

  it('names every candidate when several share the email, and picks none', () => {
    const m = matchContact([c('one', { name: 'Desk One', emailAddress: 'ana@example.com' }), c('two', { name: 'Desk Two', emailAddress: 'ANA@example.com' })], party, []);
    expect(m).toMatchObject({ action: 'blocked', reason: 'email_ambiguous', error: { code: 'contact_email_ambiguous', class: 'needs_person' } });
    if (m.action === 'blocked') expect(m.error.message).toContain('"Desk One" (one), "Desk Two" (two)');
  });

  it('leaves out archived contacts, another party\'s contact and one with a foreign ContactNumber', () => {
    const others = [
      c('archived', { emailAddress: 'ana@example.com', contactStatus: 'ARCHIVED' }),
      c('owned', { emailAddress: 'ana@example.com' }),
      c('numbered', { emailAddress: 'ana@example.com', contactNumber: 'CUST-1' }),
    ];
    expect(matchContact(others, party, [{ entityType: 'company', entityId: 3, xeroId: 'owned' }])).toEqual({ action: 'create' });
  });

  it('candidatesFor keeps the contacts that can matter, and the contact a match was merged into', () => {
    const book = [c('mail', { emailAddress: 'ana@example.com', mergedToContactID: 'live' }), c('live', { name: 'Live One' }), c('noise', { name: 'Unrelated' })];
    expect(candidatesFor(book, [party]).map((k) => k.contactID).sort()).toEqual(['live', 'mail']);
  });
});
