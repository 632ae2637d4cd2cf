import { describe, expect, it } from 'vitest';
import { classifyXeroValidation, diffPayload, formatDiff, itemCodeFor, itemPayloadFromXero, planContactUpdate, planItem, planItemUpdate } from '../../../daemon/src/sync/plan/index.ts';
import type { Product } from '../../../daemon/src/domain/product.ts';
import { nzOrg, settings } from './plan-fixtures.ts';

const product = (over: Partial<Product> = {}): Product => ({
  id: 31,
  name: 'Blue Widget',
  xmlId: '',
  code: 'blue-widget',
  active: true,
  price: 115,
  currency: 'NZD',
  vatRate: 15,
  vatIncluded: true,
  description: '<p>A <b>blue</b> widget &amp; bracket</p>',
  ...over,
});

describe('planItem', () => {
  it('sends a sold item with the CODE, a plain-text description and tax-exclusive sales details', () => {
    const plan = planItem(product(), { org: nzOrg(), settings: settings() });
    expect(plan.payload).toEqual({
      code: 'blue-widget',
      name: 'Blue Widget',
      description: 'A blue widget & bracket',
      isSold: true,
      salesDetails: { unitPrice: 100, accountCode: '200', taxType: 'OUTPUT2' },
    });
    expect(plan.warnings).toEqual([]);
  });

  it('uses B24-P-<id> when CODE is empty or longer than Xero\'s 30 characters, never a cut code', () => {
    expect(itemCodeFor({ id: 31, code: '' })).toBe('B24-P-31');
    expect(itemCodeFor({ id: 31, code: 'x'.repeat(31) })).toBe('B24-P-31');
    expect(itemCodeFor({ id: 31, code: 'x'.repeat(30) })).toBe('x'.repeat(30));
    expect(itemCodeFor({ id: 31, code: 'has space' })).toBe('B24-P-31');
  });

  it("cuts the name to Xero's 50 characters, keeping the full name as the description when there is none", () => {
    const long = 'Industrial grade galvanised steel mounting bracket, large';
    const plan = planItem(product({ name: long, description: '' }), { org: nzOrg(), settings: settings() });
    expect(plan.payload.name).toHaveLength(50);
    expect(plan.payload.description).toBe(long);
    expect(plan.warnings.map((w) => w.code)).toEqual(['item_name_truncated']);
  });

  it('leaves out a price in a currency other than the base currency', () => {
    const plan = planItem(product({ currency: 'USD' }), { org: nzOrg(), settings: settings() });
    expect(plan.payload.salesDetails.unitPrice).toBeUndefined();
    expect(plan.warnings.map((w) => w.code)).toEqual(['item_price_currency']);
  });

  it('keeps a tax-exclusive 4-dp price and the per-product account', () => {
    const plan = planItem(product({ price: 3.3333, vatIncluded: false }), { org: nzOrg(), settings: settings({ productAccounts: { '31': '260' } }) });
    expect(plan.payload.salesDetails).toEqual({ unitPrice: 3.3333, accountCode: '260', taxType: 'OUTPUT2' });
  });

  it('still plans the item, without a tax type, when the rate cannot be resolved', () => {
    const plan = planItem(product({ vatRate: 7 }), { org: nzOrg(), settings: settings() });
    expect(plan.payload.salesDetails.taxType).toBeUndefined();
    expect(plan.warnings.map((w) => w.code)).toEqual(['tax_rate_unmatched']);
  });
});

describe('itemPayloadFromXero', () => {
  it("shows only the price when Xero's copy of an item differs in price", () => {
    const plan = planItem(product(), { org: nzOrg(), settings: settings() });
    const fromXero = { ...plan.payload, itemID: 'i-1', isPurchased: false, salesDetails: { ...plan.payload.salesDetails, unitPrice: 95 } };
    expect(diffPayload(itemPayloadFromXero(fromXero), plan.payload)).toEqual([{ path: 'salesDetails.unitPrice', old: 95, new: 100 }]);
  });
});

describe('contact and item updates', () => {
  it('updates an item only when its hash changed, addressing it by the linked ItemID', () => {
    const plan = planItem(product(), { org: nzOrg(), settings: settings() });
    expect(planItemUpdate({ xeroId: 'i-1', contentHash: plan.hash }, plan)).toEqual({ action: 'unchanged', hash: plan.hash });
    const decision = planItemUpdate({ xeroId: 'i-1', contentHash: 'old' }, plan);
    expect(decision).toMatchObject({ action: 'update', itemID: 'i-1', payload: { itemID: 'i-1', code: 'blue-widget' } });
  });

  it('updates a contact only when its hash changed', () => {
    const payload = { name: 'A', contactNumber: 'B24-C-1', firstName: 'A', lastName: '', contactPersons: [], phones: [], addresses: [] };
    expect(planContactUpdate({ xeroId: 'c-1', contentHash: 'h' }, { payload, hash: 'h' }).action).toBe('unchanged');
    expect(planContactUpdate({ xeroId: 'c-1', contentHash: null }, { payload, hash: 'h' })).toEqual({
      action: 'update',
      contactID: 'c-1',
      payload: { ...payload, contactID: 'c-1' },
      hash: 'h',
    });
  });
});

describe('diffPayload', () => {
  it('lists changed, added and removed leaves with their paths', () => {
    const before = { currencyCode: 'NZD', lineItems: [{ unitAmount: 10, discountRate: 5 }], contact: { contactID: 'a' } };
    const after = { currencyCode: 'NZD', lineItems: [{ unitAmount: 12.5 }, { unitAmount: 1 }], contact: { contactID: 'a' }, dueDate: '2026-12-01' };
    const changes = diffPayload(before, after);
    expect(changes).toEqual([
      { path: 'dueDate', old: undefined, new: '2026-12-01' },
      { path: 'lineItems[0].discountRate', old: 5, new: undefined },
      { path: 'lineItems[0].unitAmount', old: 10, new: 12.5 },
      { path: 'lineItems[1].unitAmount', old: undefined, new: 1 },
    ]);
    expect(formatDiff(changes)).toEqual([
      'dueDate: ∅ → "2026-12-01"',
      'lineItems[0].discountRate: 5 → ∅',
      'lineItems[0].unitAmount: 10 → 12.5',
      'lineItems[1].unitAmount: ∅ → 1',
    ]);
  });

  it('reports nothing for equal payloads and every field for a create', () => {
    expect(diffPayload({ a: 1, b: [1] }, { b: [1], a: 1, c: undefined })).toEqual([]);
    expect(diffPayload(null, { a: 1 })).toEqual([{ path: 'a', old: undefined, new: 1 }]);
  });
});

describe('classifyXeroValidation', () => {
  it.each([
    ['The document date cannot be before the period lock date 31/03/2026', 'locked_period', 'needs_person'],
    ['Organisation is not subscribed to currency British Pound', 'currency_not_enabled', 'needs_person'],
    ['The specified contact details matched an archived contact. Archived contacts cannot currently be edited via the API.', 'contact_archived', 'needs_person'],
    ['Account code \'999\' is not a valid code for this document.', 'invalid_account', 'needs_person'],
    ['Account code or ID must be specified', 'invalid_account', 'needs_person'],
    ['The TaxType code \'OUTPUT9\' does not exist or cannot be used with this type of transaction.', 'invalid_tax_type', 'needs_person'],
    ['Invoice # must be unique.', 'duplicate_invoice_number', 'needs_person'],
    ['The contact name Adam B is already assigned to another contact. The contact name must be unique across all active contacts.', 'contact_name_taken', 'needs_person'],
    ['Price List Item with Code \'abc\' already exists', 'duplicate_item_code', 'needs_person'],
    ['Invoice not of valid status for modification', 'not_editable', 'never'],
    ['This document cannot be edited as it has a payment or credit note allocated to it.', 'has_payments', 'never'],
    ['You have reached the limit of invoices you can approve', 'plan_limit', 'needs_person'],
    ['The Organisation is offline, please try again later', 'xero_unavailable', 'retry'],
    ['The contact is archived and cannot be used.', 'contact_archived', 'needs_person'],
    ["Account code '270' has been archived, or has been deleted. Each line item must reference a valid account.", 'invalid_account', 'needs_person'],
    ["The TaxType code 'INPUT2' cannot be used with account code '200'.", 'invalid_tax_type', 'needs_person'],
    ["Item code 'GONE' is not valid.", 'invalid_item', 'needs_person'],
    ['The contact with ContactID 0f0e could not be found.', 'contact_missing', 'needs_person'],
    ['The document date cannot be before the end of year lock date of 31 March 2026', 'locked_period', 'needs_person'],
    ['The status AUTHORISED cannot be applied to the invoice because it has payments or credit notes allocated to it.', 'has_payments', 'never'],
    ['Invoice not of valid status for creation', 'invalid_create_status', 'needs_person'],
    ['Something nobody has seen before', 'validation', 'needs_person'],
  ])('classifies "%s" as %s / %s', (message, code, cls) => {
    expect(classifyXeroValidation([message])).toEqual({ code, class: cls, message });
  });

  it('lets the most final class win and keeps every message', () => {
    const result = classifyXeroValidation(['Email address must be valid.', 'Invoice not of valid status for modification']);
    expect(result).toEqual({
      code: 'not_editable',
      class: 'never',
      message: 'Email address must be valid.; Invoice not of valid status for modification',
    });
    expect(classifyXeroValidation(['Organisation is offline', 'Invoice # must be unique.']).class).toBe('needs_person');
  });

  it('prefers a recognised code over the generic one at the same class', () => {
    expect(classifyXeroValidation(['The description field is mandatory for each line item.', 'Invoice # must be unique.']).code).toBe('duplicate_invoice_number');
  });

  it('still returns a needs_person error when Xero gives no message', () => {
    expect(classifyXeroValidation([' '])).toMatchObject({ code: 'validation', class: 'needs_person' });
  });
});
