import type { Kysely } from 'kysely';
import type { RowProblem } from '../domain/invoice.ts';
import type { Product } from '../domain/product.ts';
import { type BitrixTables, bitrixDb } from './tables.ts';
import { decimalOrNull, groupBy, int, problemMessage, text, uniqueIds, yes } from './values.ts';

/** The catalog's base price type: CATALOG_GROUP_ID 1 on a stock portal (b_catalog_group BASE='Y'). */
export const BASE_PRICE_GROUP_ID = 1;

export interface ProductPage {
  products: Product[];
  problems: RowProblem[];
}

/**
 * Catalog products (b_iblock_element + b_catalog_product) by id, in the order asked: four queries per page. The price
 * is the base price type's row for the smallest quantity (a portal without group 1 falls back to its lowest group);
 * VAT comes from b_catalog_vat, where a NULL RATE means "no VAT" rather than zero-rated.
 */
export async function readProducts<DB extends BitrixTables>(anyDb: Kysely<DB>, ids: readonly number[]): Promise<ProductPage> {
  const db = bitrixDb(anyDb);
  const wanted = uniqueIds(ids);
  if (wanted.length === 0) return { products: [], problems: [] };
  const [elements, catalog, prices] = await Promise.all([
    db.selectFrom('b_iblock_element')
      .select(['ID', 'NAME', 'ACTIVE', 'XML_ID', 'CODE', 'PREVIEW_TEXT', 'DETAIL_TEXT'])
      .where('ID', 'in', wanted)
      .execute(),
    db.selectFrom('b_catalog_product').select(['ID', 'VAT_ID', 'VAT_INCLUDED']).where('ID', 'in', wanted).execute(),
    db.selectFrom('b_catalog_price')
      .select(['PRODUCT_ID', 'CATALOG_GROUP_ID', 'PRICE', 'CURRENCY', 'QUANTITY_FROM'])
      .where('PRODUCT_ID', 'in', wanted)
      .orderBy('PRODUCT_ID').orderBy('CATALOG_GROUP_ID').orderBy('QUANTITY_FROM').orderBy('ID')
      .execute(),
  ]);
  const vatIds = uniqueIds(catalog.map((c) => c.VAT_ID));
  const vats = vatIds.length === 0 ? [] : await db.selectFrom('b_catalog_vat').select(['ID', 'RATE']).where('ID', 'in', vatIds).execute();
  const vatRate = new Map(vats.map((v) => [v.ID, v.RATE]));
  const catalogOf = new Map(catalog.map((c) => [c.ID, c]));
  const pricesOf = groupBy(prices, (p) => p.PRODUCT_ID);
  const found = new Map(elements.map((e) => [e.ID, e]));

  const products: Product[] = [];
  const problems: RowProblem[] = [];
  for (const id of wanted) {
    const element = found.get(id);
    if (!element) continue;
    try {
      const productPrices = pricesOf.get(id) ?? [];
      const price = productPrices.find((p) => p.CATALOG_GROUP_ID === BASE_PRICE_GROUP_ID) ?? productPrices[0];
      const cat = catalogOf.get(id);
      const vatId = int(cat?.VAT_ID);
      products.push({
        id,
        name: text(element.NAME),
        xmlId: text(element.XML_ID),
        code: text(element.CODE),
        active: yes(element.ACTIVE),
        price: price ? decimalOrNull(price.PRICE, `product ${id}: PRICE`) : null,
        currency: price ? text(price.CURRENCY).toUpperCase() || null : null,
        vatRate: vatId > 0 ? decimalOrNull(vatRate.get(vatId), `product ${id}: VAT RATE`) : null,
        // b_catalog_product.VAT_INCLUDED defaults to 'Y'.
        vatIncluded: text(cat?.VAT_INCLUDED) === '' ? true : yes(cat?.VAT_INCLUDED),
        description: text(element.PREVIEW_TEXT) || text(element.DETAIL_TEXT),
      });
    } catch (error) {
      problems.push({ entity: 'product', id, message: problemMessage(error) });
    }
  }
  return { products, problems };
}

/**
 * Ids of catalog products (elements that have a b_catalog_product row), keyset-paged by ID: pass the last id of the
 * previous page as `afterId`. Elements of other info blocks (news, lists) are not products.
 */
export async function listProductIds<DB extends BitrixTables>(
  anyDb: Kysely<DB>,
  options: { afterId?: number; limit?: number } = {},
): Promise<number[]> {
  const db = bitrixDb(anyDb);
  const rows = await db.selectFrom('b_catalog_product as p')
    .innerJoin('b_iblock_element as e', 'e.ID', 'p.ID')
    .select('p.ID')
    .where('p.ID', '>', options.afterId ?? 0)
    .orderBy('p.ID')
    .limit(options.limit ?? 500)
    .execute();
  return rows.map((r) => r.ID);
}
