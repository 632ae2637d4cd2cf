/** /Items: Code unique, POST matches by ItemID or Code, IsSold/IsPurchased=false clear the matching details. */
import type { AccountingRequest, AccountingResponse } from '../../contract.ts';
import { Problems, writeBatch, writeSingle } from '../batch.ts';
import type { Books } from '../books.ts';
import { msDateOfInstant } from '../dates.ts';
import { envelope } from '../envelope.ts';
import { INDEX, norm } from '../indexes.ts';
import { ElementError, notFound } from '../errors.ts';
import { bool, compact, field, GUID, has, object, text, type Json } from '../input.ts';
import { findAccountByCode, findTaxRate } from '../lines.ts';
import { roundTo, toNumber } from '../money.ts';
import { listQuery, unitDp } from '../query.ts';
import type { ItemDetailsRec, ItemRec } from '../types.ts';

export const itemMsg = {
  // Reference §4.7: the OAS example writes ''abc''; single quotes are the likely live rendering (L).
  codeTaken: (code: string) => `Price List Item with Code '${code}' already exists`,
  codeRequired: 'Item Code is mandatory.',
  codeTooLong: 'Item Code must not be more than 30 characters long.',
  nameTooLong: 'Item Name must not be more than 50 characters long.',
};

function findByCode(books: Books, code: string, exceptId?: string): ItemRec | undefined {
  return books.store.lookup<ItemRec>('items', INDEX.code, norm(code)).find((i) => i.ItemID !== exceptId);
}

export function findItem(books: Books, idOrCode: string): ItemRec | undefined {
  return (GUID.test(idOrCode) ? books.store.get<ItemRec>('items', idOrCode.toLowerCase()) : undefined) ?? findByCode(books, idOrCode);
}

function details(books: Books, input: Json | undefined, current: ItemDetailsRec, unitdp: 2 | 4, problems: Problems): ItemDetailsRec {
  if (!input) return current;
  const accountCode = has(input, 'AccountCode') ? text(input, 'AccountCode') || undefined : current.AccountCode;
  if (accountCode && !findAccountByCode(books, accountCode)) problems.add(`Account code '${accountCode}' is not a valid code for this document.`);
  const taxType = has(input, 'TaxType') ? text(input, 'TaxType')?.toUpperCase() || undefined : current.TaxType;
  if (taxType && !findTaxRate(books, taxType)) problems.add(`The TaxType code '${taxType}' does not exist or cannot be used with this type of document.`);
  const price = has(input, 'UnitPrice') ? toNumber(field(input, 'UnitPrice')) : current.UnitPrice;
  return compact({
    UnitPrice: price === undefined ? undefined : roundTo(price, unitdp),
    AccountCode: accountCode,
    COGSAccountCode: has(input, 'COGSAccountCode') ? text(input, 'COGSAccountCode') || undefined : current.COGSAccountCode,
    TaxType: taxType,
  });
}

export function saveItem(books: Books, input: Json, existing: ItemRec | undefined, unitdp: 2 | 4): ItemRec {
  const problems = new Problems();
  const code = has(input, 'Code') ? text(input, 'Code') ?? '' : existing?.Code ?? '';
  if (!code) problems.add(itemMsg.codeRequired);
  else if (code.length > 30) problems.add(itemMsg.codeTooLong);
  else if (findByCode(books, code, existing?.ItemID)) problems.add(itemMsg.codeTaken(code));
  const name = has(input, 'Name') ? text(input, 'Name') : existing?.Name;
  if (name && name.length > 50) problems.add(itemMsg.nameTooLong);
  const isSold = bool(input, 'IsSold') ?? existing?.IsSold ?? true;
  const isPurchased = bool(input, 'IsPurchased') ?? existing?.IsPurchased ?? true;
  const sales = details(books, object(input, 'SalesDetails'), existing?.SalesDetails ?? {}, unitdp, problems);
  const purchases = details(books, object(input, 'PurchaseDetails'), existing?.PurchaseDetails ?? {}, unitdp, problems);
  problems.throwIfAny();
  const keep = (key: 'Description' | 'PurchaseDescription') => (has(input, key) ? text(input, key) || undefined : existing?.[key]);
  const record: ItemRec = compact({
    ItemID: existing?.ItemID ?? books.newId(),
    Code: code,
    Name: name || undefined,
    Description: keep('Description'),
    PurchaseDescription: keep('PurchaseDescription'),
    IsSold: isSold,
    IsPurchased: isPurchased,
    IsTrackedAsInventory: existing?.IsTrackedAsInventory ?? false,
    // Setting IsSold/IsPurchased to false clears the corresponding details (reference §4.7).
    SalesDetails: isSold ? sales : {},
    PurchaseDetails: isPurchased ? purchases : {},
    UpdatedDateUTC: existing?.UpdatedDateUTC ?? books.nowIso(),
  });
  if (existing && JSON.stringify({ ...existing, UpdatedDateUTC: '' }) === JSON.stringify({ ...record, UpdatedDateUTC: '' })) return existing;
  record.UpdatedDateUTC = books.nowIso();
  books.store.put('items', record.ItemID, record);
  return record;
}

export function itemView(i: ItemRec, unitdp: 2 | 4): Json {
  const money = (d: ItemDetailsRec) => compact({ ...d, UnitPrice: d.UnitPrice === undefined ? undefined : roundTo(d.UnitPrice, unitdp) });
  return compact({ ...i, SalesDetails: money(i.SalesDetails), PurchaseDetails: money(i.PurchaseDetails),
    UpdatedDateUTC: msDateOfInstant(i.UpdatedDateUTC) });
}

export function listItems(books: Books, req: AccountingRequest): AccountingResponse {
  const { items } = listQuery(books.store.all<ItemRec>('items'), req, {
    typeName: 'Item', paged: false, updatedOf: (i) => i.UpdatedDateUTC,
    fieldsOf: (i) => ({ ...i, Name: i.Name ?? null, Description: i.Description ?? null }),
  });
  const unitdp = unitDp(req);
  return { status: 200, body: envelope(books.now(), 'Items', items.map((i) => itemView(i, unitdp))) };
}

export function getItem(books: Books, req: AccountingRequest, id: string): AccountingResponse {
  const item = findItem(books, id);
  if (!item) throw notFound();
  return { status: 200, body: envelope(books.now(), 'Items', [itemView(item, unitDp(req))]) };
}

export function writeItems(books: Books, req: AccountingRequest, createOnly: boolean): AccountingResponse {
  const unitdp = unitDp(req);
  return writeBatch(books, req, {
    collection: 'Items',
    idField: 'ItemID',
    apply: (element) => {
      const id = text(element, 'ItemID');
      let existing: ItemRec | undefined;
      if (id) {
        existing = books.store.get<ItemRec>('items', id.toLowerCase());
        if (!existing) throw new ElementError([`Item with ItemID ${id} could not be found.`]);
      } else if (!createOnly) {
        const code = text(element, 'Code');
        existing = code ? findByCode(books, code) : undefined;
      }
      return itemView(saveItem(books, element, existing, unitdp), unitdp);
    },
  });
}

export function updateItem(books: Books, req: AccountingRequest, id: string): AccountingResponse {
  const existing = findItem(books, id);
  if (!existing) throw notFound();
  const unitdp = unitDp(req);
  return writeSingle(books, req, {
    collection: 'Items', idField: 'ItemID',
    apply: (element) => itemView(saveItem(books, element, books.store.get<ItemRec>('items', existing.ItemID), unitdp), unitdp),
  });
}

export function deleteItem(books: Books, id: string): AccountingResponse {
  const existing = findItem(books, id);
  if (!existing) throw notFound();
  books.atomically(() => books.store.remove('items', existing.ItemID));
  return { status: 204 };
}
