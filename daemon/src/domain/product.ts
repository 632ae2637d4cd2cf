export interface Product {
  /** b_iblock_element.ID */
  id: number;
  name: string;
  /** b_iblock_element.XML_ID, '' when none. */
  xmlId: string;
  /** CODE of the element (used to derive a Xero Item code), '' when none. */
  code: string;
  active: boolean;
  /** Base price (b_catalog_price, base group) and its currency, null when none. */
  price: number | null;
  currency: string | null;
  /** VAT percent from b_catalog_vat, null when none. */
  vatRate: number | null;
  vatIncluded: boolean;
  description: string;
}
