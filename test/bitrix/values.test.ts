import { describe, expect, it } from 'vitest';
import { basketRowToLine, productRowToLine } from '../../daemon/src/bitrix/lines.ts';
import { legacyStages, smartSemantics } from '../../daemon/src/bitrix/stages.ts';
import { syncFlag } from '../../daemon/src/bitrix/invoice-parts.ts';
import { dbDate, dbDateTime, decimal, decimalOrNull, idOrNull, RowValueError, text } from '../../daemon/src/bitrix/values.ts';

describe('row value normalisation', () => {
  it('turns zero and partial-zero dates into null and keeps real ones in database terms', () => {
    expect(dbDate('0000-00-00')).toBeNull();
    expect(dbDateTime('0000-00-00 00:00:00')).toBeNull();
    expect(dbDate('2024-00-10')).toBeNull();
    expect(dbDate(null)).toBeNull();
    expect(dbDate('')).toBeNull();
    expect(dbDate('2025-03-01 10:00:00')).toBe('2025-03-01');
    expect(dbDateTime('2025-03-01')).toBe('2025-03-01 00:00:00');
    expect(dbDateTime('2025-03-01 10:00:05')).toBe('2025-03-01 10:00:05');
  });

  it('reads decimals without rounding, and refuses garbage instead of guessing', () => {
    expect(decimal('1234.56780000', 'PRICE')).toBe(1234.5678);
    expect(decimal(null, 'PRICE')).toBe(0);
    expect(decimal('', 'PRICE', 5)).toBe(5);
    expect(decimalOrNull(null, 'TAX_RATE')).toBeNull();
    expect(() => decimal('12,50', 'PRICE')).toThrow(RowValueError);
    expect(() => decimal('abc', 'QUANTITY')).toThrow(/QUANTITY is not a number/);
    expect(() => decimal(Number.NaN, 'QUANTITY')).toThrow(/not a finite number/);
  });

  it('treats 0, NULL and negatives as "no id" and NULL strings as empty', () => {
    expect(idOrNull(0)).toBeNull();
    expect(idOrNull('0')).toBeNull();
    expect(idOrNull(null)).toBeNull();
    expect(idOrNull('17')).toBe(17);
    expect(text(null)).toBe('');
    expect(text('  Kauri  ')).toBe('Kauri');
  });

  it('reads the "Sync with Xero" flag with NULL meaning the default, on', () => {
    expect(syncFlag(null)).toBe(true);
    expect(syncFlag(undefined)).toBe(true);
    expect(syncFlag(1)).toBe(true);
    expect(syncFlag(0)).toBe(false);
    expect(syncFlag('0')).toBe(false);
  });

  it('maps stage semantics: S success, F failure, anything else process', () => {
    expect([smartSemantics('S'), smartSemantics('F'), smartSemantics(null), smartSemantics('P'), smartSemantics('')])
      .toEqual(['success', 'failure', 'process', 'process', 'process']);
  });

  it('falls back to SEMANTICS for legacy statuses when P or D is missing from the list', () => {
    const stages = legacyStages([
      { ENTITY_ID: 'INVOICE_STATUS', STATUS_ID: 'N', NAME: 'New', SORT: 100, SEMANTICS: null, CATEGORY_ID: null },
      { ENTITY_ID: 'INVOICE_STATUS', STATUS_ID: 'X', NAME: '', SORT: 300, SEMANTICS: 'S', CATEGORY_ID: null },
    ]);
    expect(stages).toEqual([
      { id: 'N', name: 'New', semantics: 'process', sort: 100 },
      { id: 'X', name: 'X', semantics: 'success', sort: 300 },
    ]);
  });
});

const row = {
  ID: 1, PRODUCT_ID: 0, PRODUCT_NAME: 'x', PRICE: '103.50', PRICE_EXCLUSIVE: '90.00', PRICE_NETTO: '100.00', PRICE_BRUTTO: '115.00',
  QUANTITY: '2.0000', DISCOUNT_TYPE_ID: 1, DISCOUNT_RATE: '10.00', DISCOUNT_SUM: '10.00', TAX_RATE: '15.00', TAX_INCLUDED: 'N',
  MEASURE_NAME: 'h', SORT: 10,
};

describe('product row mapping', () => {
  it('keeps the tax-exclusive basis for a price entered without tax', () => {
    expect(productRowToLine(row)).toMatchObject({ unitPrice: 100, discountPerUnit: 10, discountType: 'amount', taxIncluded: false, totalInclTax: 207 });
  });

  it('recomputes the derived prices an old row lacks (NULL NETTO/BRUTTO/EXCLUSIVE)', () => {
    const old = { ...row, PRICE_EXCLUSIVE: null, PRICE_NETTO: null, PRICE_BRUTTO: null, TAX_INCLUDED: 'Y' };
    expect(productRowToLine(old)).toMatchObject({ unitPrice: 115, discountPerUnit: 11.5, taxIncluded: true });
  });

  it('names the row and column when a number is unreadable', () => {
    expect(() => productRowToLine({ ...row, QUANTITY: 'lots' })).toThrow('product row 1: QUANTITY is not a number ("lots")');
  });

  it('reads a percent discount a legacy basket only shows in DISCOUNT_VALUE', () => {
    const line = basketRowToLine({
      ID: 5, PRODUCT_ID: 3, NAME: 'y', PRICE: '90.0000', BASE_PRICE: '100.0000', DISCOUNT_PRICE: '10.0000', QUANTITY: 1,
      VAT_RATE: '0.0700', VAT_INCLUDED: null, MEASURE_NAME: null, SORT: null, DISCOUNT_VALUE: '10%',
    });
    expect(line).toEqual({
      rowId: 5, productId: 3, description: 'y', quantity: 1, unitPrice: 100, discountType: 'percent', discountRate: 10,
      discountPerUnit: 10, taxRate: 7, taxIncluded: true, totalInclTax: 90, sort: 0, unit: '',
    });
  });

  it('reads a free-text basket line, which CCrmInvoice gives a random PRODUCT_ID and a CRM- PRODUCT_XML_ID, as no product', () => {
    const row = { ID: 6, PRODUCT_ID: 4_817_233, NAME: 'Travel', PRICE: '40.0000', BASE_PRICE: '40.0000', DISCOUNT_PRICE: '0.0000',
      QUANTITY: 1, VAT_RATE: '0.0000', VAT_INCLUDED: 'N' as const, MEASURE_NAME: 'pcs.', SORT: 100 };
    expect(basketRowToLine({ ...row, PRODUCT_XML_ID: 'CRM-k3J9xQ2a' }).productId).toBeNull();
    expect(basketRowToLine({ ...row, PRODUCT_XML_ID: '4817233' }).productId).toBe(4_817_233);
  });
});
