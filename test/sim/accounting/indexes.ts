/** Secondary indexes the business rules look records up by (uniqueness checks, matching by number, name or code). */
import type { Store } from './store.ts';
import type { AccountRec, ContactRec, DocumentRec, ItemRec } from './types.ts';

export const norm = (text: string): string => text.trim().toLowerCase();

export const INDEX = {
  /** Sales invoices / credit notes by number (any status; callers filter DELETED where it matters). */
  salesNumber: 'salesNumber',
  contactName: 'name',
  contactNumber: 'number',
  code: 'code',
} as const;

export function defineIndexes(store: Store): void {
  const salesNumber = (salesType: string) => (d: DocumentRec) => (d.Type === salesType && d.Number ? norm(d.Number) : undefined);
  store.defineIndex('invoices', INDEX.salesNumber, salesNumber('ACCREC'));
  store.defineIndex('creditNotes', INDEX.salesNumber, salesNumber('ACCRECCREDIT'));
  store.defineIndex('contacts', INDEX.contactName, (c: ContactRec) => norm(c.Name));
  store.defineIndex('contacts', INDEX.contactNumber, (c: ContactRec) => (c.ContactNumber ? norm(c.ContactNumber) : undefined));
  store.defineIndex('items', INDEX.code, (i: ItemRec) => norm(i.Code));
  store.defineIndex('accounts', INDEX.code, (a: AccountRec) => norm(a.Code));
}
