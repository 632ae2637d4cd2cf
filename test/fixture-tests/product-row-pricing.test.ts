import { describe, expect, it } from 'vitest';
import { priceProductRow, totalsOf } from '../fixture/builders/product-row-pricing.ts';
import { roundHalfUp, toDecimal } from '../fixture/builders/money.ts';

describe('product-row pricing (Bitrix arithmetic)', () => {
  it('adds tax on top of an exclusive price and stores PRICE as the tax-inclusive unit price', () => {
    expect(priceProductRow({ price: 100, quantity: 2, taxRate: 15, taxIncluded: false }, '23')).toMatchObject({
      PRICE: '115.00', PRICE_EXCLUSIVE: '100.00', PRICE_NETTO: '100.00', PRICE_BRUTTO: '115.00',
      DISCOUNT_TYPE_ID: 0, DISCOUNT_SUM: '0.00', TAX_RATE: '15.00', TAX_INCLUDED: 'N', QUANTITY: '2.0000',
    });
  });

  it('takes tax out of an inclusive price for NETTO and EXCLUSIVE', () => {
    expect(priceProductRow({ price: 115, quantity: 1, taxRate: 15, taxIncluded: true }, '25')).toMatchObject({
      PRICE: '115.00000000', PRICE_EXCLUSIVE: '100.00000000', PRICE_NETTO: '100.00000000', PRICE_BRUTTO: '115.00000000',
      TAX_RATE: '15.0000', TAX_INCLUDED: 'Y',
    });
  });

  it('applies a percent discount (type 2) to the tax-exclusive price', () => {
    expect(priceProductRow({ price: 115, quantity: 1, taxRate: 15, taxIncluded: true, discount: { type: 'percent', rate: 10 } }, '23')).toMatchObject({
      PRICE: '103.50', PRICE_EXCLUSIVE: '90.00', PRICE_NETTO: '100.00', PRICE_BRUTTO: '115.00',
      DISCOUNT_TYPE_ID: 2, DISCOUNT_RATE: '10.00', DISCOUNT_SUM: '10.00',
    });
  });

  it('turns a money discount (type 1) entered tax-inclusive into an exclusive DISCOUNT_SUM and derives the rate', () => {
    expect(priceProductRow({ price: 115, quantity: 1, taxRate: 15, taxIncluded: true, discount: { type: 'amount', perUnit: 11.5 } }, '23')).toMatchObject({
      PRICE: '103.50', PRICE_EXCLUSIVE: '90.00', DISCOUNT_TYPE_ID: 1, DISCOUNT_SUM: '10.00', DISCOUNT_RATE: '10.00',
    });
  });

  it('keeps TAX_RATE NULL for a row without tax', () => {
    expect(priceProductRow({ price: 10, quantity: 3, taxRate: null, taxIncluded: false }, '25')).toMatchObject({ PRICE: '10.00000000', TAX_RATE: null });
  });

  it('rounds to 2 decimals in crm 23.x and keeps 8 in crm 25.x', () => {
    const r23 = priceProductRow({ price: 49.9, quantity: 1, taxRate: 15, taxIncluded: true }, '23');
    const r25 = priceProductRow({ price: 49.9, quantity: 1, taxRate: 15, taxIncluded: true }, '25');
    expect(r23.PRICE_EXCLUSIVE).toBe('43.39');
    expect(r25.PRICE_EXCLUSIVE).toBe('43.39130435');
  });

  it('totals OPPORTUNITY as Σ PRICE × QUANTITY and TAX_VALUE as Σ (PRICE − EXCLUSIVE) × QUANTITY, rounded half-up to cents', () => {
    const rows = [
      { PRICE: '10.005', PRICE_EXCLUSIVE: '8.70', QUANTITY: '1.0000' },
      { PRICE: '3.33333333', PRICE_EXCLUSIVE: '2.89855072', QUANTITY: '3.0000' },
    ];
    // 10.005 + 9.99999999 = 20.00499999 → 20.00; tax 1.305 + 1.30434783 = 2.60934783 → 2.61
    expect(totalsOf(rows)).toEqual({ opportunity: '20.00', taxValue: '2.61' });
    expect(totalsOf([{ PRICE: '0.125', PRICE_EXCLUSIVE: '0.125', QUANTITY: '1.0000' }]).opportunity).toBe('0.13');
  });

  it('rounds half-up like DECIMAL storage, without float noise', () => {
    expect(roundHalfUp(1.005, 2)).toBe(1.01);
    expect(roundHalfUp(2.675, 2)).toBe(2.68);
    expect(toDecimal(-0.004, 2)).toBe('0.00');
    expect(toDecimal(-1.005, 2)).toBe('-1.01');
  });
});
