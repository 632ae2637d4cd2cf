import { describe, expect, it } from 'vitest';
import type { Account, Contact, Currency, Invoice, Item, Organisation, TaxRate } from 'xero-node';
import {
  contactPayloadFromXero,
  invoicePayloadFromXero,
  matchContact,
  orgContextFromXero,
  planInvoiceUpdate,
  type ContactPayload,
  type InvoicePayload,
  type ItemPayload,
} from '../../../daemon/src/sync/plan/index.ts';

// Compile-time contract (checked by `tsc --noEmit`): what the gateway returns is accepted by the planners as is, and
// a payload reaches xero-node with the single documented cast.
export function gatewayObjectsFitThePlanners(o: Organisation, c: Currency[], t: TaxRate[], a: Account[], i: Item[], inv: Invoice, contacts: Contact[]): void {
  orgContextFromXero({ organisation: o, currencies: c, taxRates: t, accounts: a, items: i });
  invoicePayloadFromXero(inv);
  contactPayloadFromXero(contacts[0] ?? {});
  matchContact(contacts, {
    entity: { type: 'contact', id: 1 },
    xeroId: null,
    name: 'x',
    contactNumber: 'B24-C-1',
  }, []);
  planInvoiceUpdate({ xeroId: 'x', contentHash: null }, inv, {} as InvoicePayload);
}
export const toXeroInvoice = (p: InvoicePayload): Invoice => p as unknown as Invoice;
export const toXeroContact = (p: ContactPayload): Contact => p as unknown as Contact;
export const toXeroItem = (p: ItemPayload): Item => p as unknown as Item;

describe('xero-node shapes', () => {
  it('uses the same string values at runtime as the planners emit', async () => {
    const xero = await import('xero-node');
    expect(String(xero.Invoice.StatusEnum.DRAFT)).toBe('DRAFT');
    expect(String(xero.LineAmountTypes.Inclusive)).toBe('Inclusive');
    expect(String(xero.Phone.PhoneTypeEnum.MOBILE)).toBe('MOBILE');
    expect(String(xero.Address.AddressTypeEnum.POBOX)).toBe('POBOX');
  });
});
