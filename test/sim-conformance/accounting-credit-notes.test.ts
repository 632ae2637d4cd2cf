/** CreditNotes and their Allocations to invoices through xero-node: numbering, remaining credit, AmountCredited, PAID. */
import { describe, expect, it } from 'vitest';
import { CreditNote, Invoice, LineAmountTypes } from 'xero-node';
import { accountingSuite, approvedInvoice, currentInvoice, messages, rejection } from './accounting-helpers.ts';

const { xero, tenantId } = await accountingSuite();

const invoiceNow = (id: string) => currentInvoice(xero, tenantId, id);

describe('CreditNotes and Allocations', () => {
  async function credit(contactID: string, amount: number, status = CreditNote.StatusEnum.AUTHORISED) {
    const res = await xero.accountingApi.createCreditNotes(tenantId, { creditNotes: [{
      type: CreditNote.TypeEnum.ACCRECCREDIT, contact: { contactID }, date: '2026-03-05', status,
      lineAmountTypes: LineAmountTypes.Exclusive,
      lineItems: [{ description: 'Refund', quantity: 1, unitAmount: amount, accountCode: '200', taxType: 'OUTPUT2' }],
    }] });
    return res.body.creditNotes![0]!;
  }

  it('creates an approved credit note numbered CN-0001 with its remaining credit', async () => {
    const invoice = await approvedInvoice(xero, tenantId);
    const note = await credit(invoice.contact!.contactID!, 20);
    expect(note.creditNoteNumber).toMatch(/^CN-\d{4}$/);
    expect(String(note.status)).toBe('AUTHORISED');
    expect(note).toMatchObject({ total: 23, remainingCredit: 23 });
  });

  it('allocating credit reduces the invoice\'s AmountDue and raises AmountCredited', async () => {
    const invoice = await approvedInvoice(xero, tenantId);
    const note = await credit(invoice.contact!.contactID!, 20);
    const res = await xero.accountingApi.createCreditNoteAllocation(tenantId, note.creditNoteID!, {
      allocations: [{ invoice: { invoiceID: invoice.invoiceID }, amount: 23, date: '2026-03-06' }],
    });
    expect(res.body.allocations![0]!.amount).toBe(23);
    const after = await invoiceNow(invoice.invoiceID!);
    expect(after).toMatchObject({ amountDue: 92, amountCredited: 23 });
    expect(after.creditNotes!.map((c) => c.creditNoteID)).toEqual([note.creditNoteID]);
    const noteAfter = (await xero.accountingApi.getCreditNote(tenantId, note.creditNoteID!)).body.creditNotes![0]!;
    expect(noteAfter.remainingCredit).toBe(0);
    expect(String(noteAfter.status)).toBe('PAID');
  });

  it('an invoice fully covered by credit is PAID', async () => {
    const invoice = await approvedInvoice(xero, tenantId);
    const note = await credit(invoice.contact!.contactID!, 100);
    await xero.accountingApi.createCreditNoteAllocation(tenantId, note.creditNoteID!, {
      allocations: [{ invoice: { invoiceID: invoice.invoiceID }, amount: 115, date: '2026-03-07' }],
    });
    const after = await invoiceNow(invoice.invoiceID!);
    expect(String(after.status)).toBe('PAID');
    expect(after.fullyPaidOnDate).toEqual(new Date('2026-03-07T00:00:00Z'));
  });

  it('refuses to allocate more than the remaining credit or the amount due', async () => {
    const invoice = await approvedInvoice(xero, tenantId);
    const small = await credit(invoice.contact!.contactID!, 10);
    const tooMuchCredit = await rejection(xero.accountingApi.createCreditNoteAllocation(tenantId, small.creditNoteID!, {
      allocations: [{ invoice: { invoiceID: invoice.invoiceID }, amount: 50, date: '2026-03-08' }],
    }));
    expect(messages(tooMuchCredit.body)).toEqual(['The amount to allocate exceeds the remaining credit on this credit note']);
    const big = await credit(invoice.contact!.contactID!, 1000);
    const tooMuchDue = await rejection(xero.accountingApi.createCreditNoteAllocation(tenantId, big.creditNoteID!, {
      allocations: [{ invoice: { invoiceID: invoice.invoiceID }, amount: 200, date: '2026-03-08' }],
    }));
    expect(messages(tooMuchDue.body)).toEqual(['Payment amount exceeds the amount outstanding on this document']);
  });

  it('allocates only approved credit notes', async () => {
    const invoice = await approvedInvoice(xero, tenantId);
    const draft = await credit(invoice.contact!.contactID!, 10, CreditNote.StatusEnum.DRAFT);
    const failure = await rejection(xero.accountingApi.createCreditNoteAllocation(tenantId, draft.creditNoteID!, {
      allocations: [{ invoice: { invoiceID: invoice.invoiceID }, amount: 5, date: '2026-03-08' }],
    }));
    expect(messages(failure.body)).toEqual(['Credit Note not of valid status for allocation. Only AUTHORISED credit notes can be allocated.']);
  });

  it('deleting an allocation gives the credit back', async () => {
    const invoice = await approvedInvoice(xero, tenantId);
    const note = await credit(invoice.contact!.contactID!, 100);
    const alloc = (await xero.accountingApi.createCreditNoteAllocation(tenantId, note.creditNoteID!, {
      allocations: [{ invoice: { invoiceID: invoice.invoiceID }, amount: 115, date: '2026-03-08' }],
    })).body.allocations![0]!;
    await xero.accountingApi.deleteCreditNoteAllocations(tenantId, note.creditNoteID!, alloc.allocationID!);
    const after = await invoiceNow(invoice.invoiceID!);
    expect(String(after.status)).toBe('AUTHORISED');
    expect(after).toMatchObject({ amountDue: 115, amountCredited: 0 });
  });

  it('an invoice with credit allocated cannot be voided', async () => {
    const invoice = await approvedInvoice(xero, tenantId);
    const note = await credit(invoice.contact!.contactID!, 10);
    await xero.accountingApi.createCreditNoteAllocation(tenantId, note.creditNoteID!, {
      allocations: [{ invoice: { invoiceID: invoice.invoiceID }, amount: 11.5, date: '2026-03-08' }],
    });
    const failure = await rejection(xero.accountingApi.updateInvoice(tenantId, invoice.invoiceID!, { invoices: [{ status: Invoice.StatusEnum.VOIDED }] }));
    expect(messages(failure.body)).toEqual(['This document cannot be edited as it has a payment or credit note allocated to it.']);
  });

  it('lists credit notes with where', async () => {
    const invoice = await approvedInvoice(xero, tenantId);
    const note = await credit(invoice.contact!.contactID!, 7);
    const res = await xero.accountingApi.getCreditNotes(tenantId, undefined, `Contact.ContactID==Guid("${invoice.contact!.contactID}")`);
    expect(res.body.creditNotes!.map((c) => c.creditNoteID)).toEqual([note.creditNoteID]);
  });
});
