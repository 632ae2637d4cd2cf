import type { DiscountType, InvoiceLine } from '../domain/invoice.ts';
import type { LegacyInvoiceBasketTable, ProductRowTable } from './tables.ts';
import { decimal, decimalOrNull, idOrNull, int, RowValueError, text, yes } from './values.ts';

/** Money in crm 25.x product rows has 8 decimals; rounding there removes binary-float noise of our subtractions only. */
const SCALE = 1e8;
function clean(n: number): number {
  return Math.round(n * SCALE) / SCALE;
}

function requireQuantity(value: unknown, column: string): number {
  const quantity = decimal(value, column, Number.NaN);
  if (Number.isNaN(quantity)) throw new RowValueError(`${column} is missing`);
  return quantity;
}

/**
 * A smart-invoice product row (b_crm_product_row, OWNER_TYPE 'SI') as an InvoiceLine.
 *
 * Bitrix stores the computed prices of a row (crm/lib/productrow.php): PRICE_NETTO (before discount, no tax),
 * DISCOUNT_SUM (per unit, on the tax-exclusive price), PRICE_EXCLUSIVE = NETTO − DISCOUNT_SUM, PRICE = EXCLUSIVE with
 * tax, PRICE_BRUTTO = NETTO with tax. TAX_INCLUDED says how the user entered the price, so the line keeps that basis:
 * BRUTTO and the tax-inclusive discount when included, NETTO and DISCOUNT_SUM when not. Old rows may lack the
 * derived columns (NULL); they are recomputed from PRICE, TAX_RATE and DISCOUNT_SUM.
 */
export function productRowToLine(row: Pick<ProductRowTable,
  'ID' | 'PRODUCT_ID' | 'PRODUCT_NAME' | 'PRICE' | 'PRICE_EXCLUSIVE' | 'PRICE_NETTO' | 'PRICE_BRUTTO' | 'QUANTITY' |
  'DISCOUNT_TYPE_ID' | 'DISCOUNT_RATE' | 'DISCOUNT_SUM' | 'TAX_RATE' | 'TAX_INCLUDED' | 'MEASURE_NAME' | 'SORT'>): InvoiceLine {
  const where = `product row ${row.ID}`;
  const taxRate = decimalOrNull(row.TAX_RATE, `${where}: TAX_RATE`);
  const taxFactor = 1 + (taxRate ?? 0) / 100;
  const taxIncluded = yes(row.TAX_INCLUDED);
  const price = decimal(row.PRICE, `${where}: PRICE`, Number.NaN);
  if (Number.isNaN(price)) throw new RowValueError(`${where}: PRICE is missing`);
  const quantity = requireQuantity(row.QUANTITY, `${where}: QUANTITY`);
  const discountSum = decimal(row.DISCOUNT_SUM, `${where}: DISCOUNT_SUM`);
  const exclusive = decimalOrNull(row.PRICE_EXCLUSIVE, `${where}: PRICE_EXCLUSIVE`) ?? price / taxFactor;
  const netto = decimalOrNull(row.PRICE_NETTO, `${where}: PRICE_NETTO`) ?? exclusive + discountSum;
  const brutto = decimalOrNull(row.PRICE_BRUTTO, `${where}: PRICE_BRUTTO`) ?? netto * taxFactor;
  const discountRate = decimal(row.DISCOUNT_RATE, `${where}: DISCOUNT_RATE`);

  const unitPrice = taxIncluded ? brutto : netto;
  const discountPerUnit = clean(taxIncluded ? brutto - price : netto - exclusive);
  const typeId = int(row.DISCOUNT_TYPE_ID);
  let discountType: DiscountType = 'none';
  if (discountPerUnit !== 0 || discountRate !== 0) discountType = typeId === 2 ? 'percent' : 'amount';

  return {
    rowId: row.ID,
    productId: idOrNull(row.PRODUCT_ID),
    description: text(row.PRODUCT_NAME),
    quantity,
    unitPrice: clean(unitPrice),
    discountType,
    discountRate: discountType === 'percent' ? discountRate : 0,
    discountPerUnit: discountType === 'none' ? 0 : discountPerUnit,
    taxRate,
    taxIncluded,
    totalInclTax: clean(price * quantity),
    sort: int(row.SORT),
    unit: text(row.MEASURE_NAME),
  };
}

/** '10%' / '10.5 %' in the sale basket's DISCOUNT_VALUE (free text written by the sale discount engine). */
const PERCENT = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/;

/**
 * A legacy-invoice basket row (b_crm_invoice_basket) as an InvoiceLine. The sale-module convention: PRICE is the unit
 * price after discount, BASE_PRICE before it, DISCOUNT_PRICE the per-unit difference, all in the basis VAT_INCLUDED
 * says; VAT_RATE is a fraction (0.2 → 20 %). A percent discount is only visible in DISCOUNT_VALUE ('10%').
 */
export function basketRowToLine(row: Pick<LegacyInvoiceBasketTable,
  'ID' | 'PRODUCT_ID' | 'NAME' | 'PRICE' | 'BASE_PRICE' | 'DISCOUNT_PRICE' | 'QUANTITY' | 'VAT_RATE' | 'VAT_INCLUDED' |
  'MEASURE_NAME' | 'SORT'> & Partial<Pick<LegacyInvoiceBasketTable, 'DISCOUNT_VALUE' | 'PRODUCT_XML_ID'>>): InvoiceLine {
  const where = `basket row ${row.ID}`;
  const price = decimal(row.PRICE, `${where}: PRICE`, Number.NaN);
  if (Number.isNaN(price)) throw new RowValueError(`${where}: PRICE is missing`);
  const quantity = requireQuantity(row.QUANTITY, `${where}: QUANTITY`);
  const fraction = decimalOrNull(row.VAT_RATE, `${where}: VAT_RATE`);
  const taxRate = fraction === null ? null : clean(fraction * 100);
  // The column defaults to 'Y'; a NULL/'' left by sql_mode='' means the default.
  const taxIncluded = text(row.VAT_INCLUDED) === '' ? true : yes(row.VAT_INCLUDED);
  const base = decimalOrNull(row.BASE_PRICE, `${where}: BASE_PRICE`);
  let discountPerUnit = decimal(row.DISCOUNT_PRICE, `${where}: DISCOUNT_PRICE`);
  // BASE_PRICE is NULL on rows written before it existed; then PRICE + DISCOUNT_PRICE is the price before discount.
  const unitPrice = base !== null && base > 0 ? base : price + discountPerUnit;
  if (discountPerUnit === 0 && unitPrice > price) discountPerUnit = unitPrice - price;
  discountPerUnit = clean(discountPerUnit);
  const percent = PERCENT.exec(text(row.DISCOUNT_VALUE));
  let discountType: DiscountType = discountPerUnit === 0 ? 'none' : 'amount';
  if (discountType !== 'none' && percent) discountType = 'percent';
  const totalInclTax = taxIncluded ? price * quantity : price * quantity * (1 + (taxRate ?? 0) / 100);

  return {
    rowId: row.ID,
    // CCrmInvoice gives a free-text line a random PRODUCT_ID and PRODUCT_XML_ID 'CRM-…': no catalog product.
    productId: text(row.PRODUCT_XML_ID).startsWith('CRM-') ? null : idOrNull(row.PRODUCT_ID),
    description: text(row.NAME),
    quantity,
    unitPrice: clean(unitPrice),
    discountType,
    discountRate: discountType === 'percent' && percent ? Number(percent[1]) : 0,
    discountPerUnit,
    taxRate,
    taxIncluded,
    totalInclTax: clean(totalInclTax),
    sort: int(row.SORT),
    unit: text(row.MEASURE_NAME),
  };
}
