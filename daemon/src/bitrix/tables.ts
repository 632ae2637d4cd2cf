import type { Kysely } from 'kysely';

/**
 * Kysely types of the Bitrix tables the daemon reads (never writes: ARCHITECTURE rule 1).
 *
 * Only the columns we read are declared; real tables have more. Types describe what the pool of
 * daemon/src/db/connect.ts returns: DATETIME/DATE as the database's own naive strings (possibly the zero date
 * '0000-00-00 00:00:00' under sql_mode=''), DECIMAL as strings, INT as numbers. Nullability follows what real portals
 * contain rather than the DDL: runtime-generated and user-field columns are NULL-able or hold ''/0 defaults, so every
 * reader normalises (see values.ts).
 */

/** 'YYYY-MM-DD HH:MM:SS' as the database stores it (naive server-local time). */
export type DbDateTime = string;
/** 'YYYY-MM-DD'. */
export type DbDate = string;
/** DECIMAL as a string, e.g. '1234.5000'. */
export type DbDecimal = string;
/** CHAR(1) boolean of core tables. */
export type YN = 'Y' | 'N' | string;

/** b_crm_dynamic_items_31: smart invoices (runtime ORM table; UF columns live in it). */
export interface SmartInvoiceItemTable {
  ID: number;
  XML_ID: string | null;
  TITLE: string | null;
  CREATED_TIME: DbDateTime | null;
  UPDATED_TIME: DbDateTime | null;
  MOVED_TIME: DbDateTime | null;
  CATEGORY_ID: number | null;
  STAGE_ID: string | null;
  BEGINDATE: DbDate | null;
  CLOSEDATE: DbDate | null;
  COMPANY_ID: number | null;
  /** The primary contact only (compatibility); the full list is in b_crm_entity_contact. */
  CONTACT_ID: number | null;
  OPPORTUNITY: DbDecimal | null;
  IS_MANUAL_OPPORTUNITY: YN | null;
  TAX_VALUE: DbDecimal | null;
  CURRENCY_ID: string | null;
  MYCOMPANY_ID: number | null;
  ASSIGNED_BY_ID: string | null;
  COMMENTS: string | null;
  ACCOUNT_NUMBER: string | null;
  /** Module user fields (UF entity CRM_SMART_INVOICE): columns added to this table. boolean UF = int 0/1, NULL = unset. */
  UF_CRM_XERO_SYNC: number | null;
  UF_CRM_XERO_STATUS: string | null;
  UF_CRM_XERO_URL: string | null;
  UF_CRM_XERO_AMOUNT_DUE: number | string | null;
}

export interface ItemCategoryTable {
  ID: number;
  ENTITY_TYPE_ID: number;
  IS_DEFAULT: YN;
  IS_SYSTEM: YN;
  CODE: string | null;
  NAME: string | null;
  SORT: number;
}

export interface StatusTable {
  ID: number;
  ENTITY_ID: string;
  STATUS_ID: string;
  NAME: string;
  NAME_INIT: string | null;
  SORT: number;
  SYSTEM: YN;
  COLOR: string | null;
  SEMANTICS: string | null;
  CATEGORY_ID: number | null;
}

export interface EntityContactTable {
  ENTITY_TYPE_ID: number;
  ENTITY_ID: number;
  CONTACT_ID: number;
  SORT: number;
  ROLE_ID: number;
  IS_PRIMARY: YN;
}

export interface EntityRelationTable {
  SRC_ENTITY_TYPE_ID: number;
  SRC_ENTITY_ID: number;
  DST_ENTITY_TYPE_ID: number;
  DST_ENTITY_ID: number;
  RELATION_TYPE: string;
}

/** crm 23.x: money DECIMAL(18,2), OWNER_TYPE CHAR(3); crm 25.x: DECIMAL(26,8), VARCHAR(20). Strings either way. */
export interface ProductRowTable {
  ID: number;
  OWNER_ID: number;
  OWNER_TYPE: string;
  PRODUCT_ID: number;
  PRODUCT_NAME: string | null;
  /** Unit price after discount, tax included. */
  PRICE: DbDecimal;
  /** After discount, without tax. */
  PRICE_EXCLUSIVE: DbDecimal | null;
  /** Before discount, without tax. */
  PRICE_NETTO: DbDecimal | null;
  /** Before discount, with tax. */
  PRICE_BRUTTO: DbDecimal | null;
  QUANTITY: DbDecimal;
  /** 1 monetary, 2 percentage, 0/NULL undefined. */
  DISCOUNT_TYPE_ID: number | null;
  DISCOUNT_RATE: DbDecimal | null;
  /** Per unit, tax excluded. */
  DISCOUNT_SUM: DbDecimal | null;
  /** Percent; NULL = no tax. */
  TAX_RATE: DbDecimal | null;
  TAX_INCLUDED: YN | null;
  MEASURE_CODE: number | null;
  MEASURE_NAME: string | null;
  SORT: number | null;
  XML_ID: string | null;
  TYPE: number;
}

export interface ContactTable {
  ID: number;
  DATE_CREATE: DbDateTime | null;
  DATE_MODIFY: DbDateTime | null;
  COMPANY_ID: number | null;
  FULL_NAME: string | null;
  NAME: string | null;
  LAST_NAME: string | null;
  SECOND_NAME: string | null;
  POST: string | null;
  ORIGINATOR_ID: string | null;
  ORIGIN_ID: string | null;
}

export interface CompanyTable {
  ID: number;
  DATE_CREATE: DbDateTime | null;
  DATE_MODIFY: DbDateTime | null;
  TITLE: string | null;
  IS_MY_COMPANY: YN;
  CURRENCY_ID: string | null;
  ORIGINATOR_ID: string | null;
  ORIGIN_ID: string | null;
}

export interface ContactCompanyTable {
  CONTACT_ID: number;
  COMPANY_ID: number;
  SORT: number;
  ROLE_ID: number;
  IS_PRIMARY: YN;
}

export interface FieldMultiTable {
  ID: number;
  /** 'CONTACT' | 'COMPANY' | 'LEAD' | … */
  ENTITY_ID: string;
  ELEMENT_ID: number;
  /** 'PHONE' | 'EMAIL' | 'WEB' | 'IM' | 'LINK' */
  TYPE_ID: string;
  VALUE_TYPE: string;
  COMPLEX_ID: string;
  VALUE: string;
}

export interface RequisiteTable {
  ID: number;
  /** 3 contact, 4 company (TINYINT in crm 23, INT in crm 25). */
  ENTITY_TYPE_ID: number;
  ENTITY_ID: number;
  PRESET_ID: number;
  NAME: string;
  ACTIVE: YN;
  SORT: number;
  RQ_COMPANY_NAME: string | null;
  RQ_INN: string | null;
  RQ_VAT_ID: string | null;
}

export interface AddrTable {
  ID: number;
  /** 1 primary, 6 registered/legal, 8 post, 11 delivery, 12 billing, … */
  TYPE_ID: number;
  /** 3 contact, 4 company, 8 requisite (then ANCHOR_* name the contact/company). */
  ENTITY_TYPE_ID: number;
  ENTITY_ID: number;
  ANCHOR_TYPE_ID: number | null;
  ANCHOR_ID: number | null;
  ADDRESS_1: string | null;
  ADDRESS_2: string | null;
  CITY: string | null;
  POSTAL_CODE: string | null;
  REGION: string | null;
  PROVINCE: string | null;
  COUNTRY: string | null;
  COUNTRY_CODE: string | null;
}

/** b_uts_crm_contact / b_uts_crm_company: a row exists only once a UF value was saved (LEFT JOIN / may be missing). */
export interface UtsPartyTable {
  VALUE_ID: number;
  UF_CRM_XERO_ID: string | null;
}

export interface OptionTable {
  MODULE_ID: string;
  NAME: string;
  VALUE: string | null;
  SITE_ID: string | null;
}

/** b_crm_invoice: legacy invoices (crm >= 18). */
export interface LegacyInvoiceTable {
  ID: number;
  ACCOUNT_NUMBER: string | null;
  ORDER_TOPIC: string | null;
  STATUS_ID: string;
  DATE_STATUS: DbDateTime | null;
  PRICE: DbDecimal;
  CURRENCY: string;
  TAX_VALUE: DbDecimal;
  DISCOUNT_VALUE: DbDecimal;
  SUM_PAID: DbDecimal;
  PAYED: YN;
  CANCELED: YN;
  DATE_INSERT: DbDateTime | null;
  DATE_UPDATE: DbDateTime | null;
  DATE_BILL: DbDateTime | null;
  DATE_PAY_BEFORE: DbDateTime | null;
  PERSON_TYPE_ID: number;
  RESPONSIBLE_ID: number | null;
  /** The seller legal entity (b_sale_company), NOT the CRM company: the payer is in b_uts_crm_invoice. */
  COMPANY_ID: number | null;
  COMMENTS: string | null;
  USER_DESCRIPTION: string | null;
  XML_ID: string | null;
  LID: string;
}

export interface LegacyInvoiceBasketTable {
  ID: number;
  ORDER_ID: number | null;
  /** A catalog product; for a free-text line CCrmInvoice stores a random 1000000–9999999 (see PRODUCT_XML_ID). */
  PRODUCT_ID: number;
  /** 'CRM-<8 random characters>' marks a free-text line (CCrmInvoice::Add); else the catalog's XML_ID. */
  PRODUCT_XML_ID: string | null;
  NAME: string;
  /** Unit price after discount, in the basis VAT_INCLUDED says. */
  PRICE: DbDecimal;
  CURRENCY: string | null;
  /** Unit price before discount. */
  BASE_PRICE: DbDecimal | null;
  /** Discount per unit. */
  DISCOUNT_PRICE: DbDecimal;
  /** Free text of the sale discount engine, e.g. '10%' for a percent discount. */
  DISCOUNT_VALUE: string | null;
  QUANTITY: number | string;
  /** A fraction (0.20 for 20 %), sale-module convention. */
  VAT_RATE: DbDecimal | null;
  VAT_INCLUDED: YN | null;
  MEASURE_CODE: number | null;
  MEASURE_NAME: string | null;
  XML_ID: string | null;
  SORT: number | null;
}

export interface LegacyInvoicePropsValueTable {
  ID: number;
  ORDER_ID: number;
  ORDER_PROPS_ID: number;
  NAME: string;
  VALUE: string | null;
  CODE: string | null;
}

/** b_uts_crm_invoice: CRM links and module UFs of a legacy invoice (row may be missing). */
export interface UtsLegacyInvoiceTable {
  VALUE_ID: number;
  UF_DEAL_ID: number | null;
  UF_QUOTE_ID: number | null;
  UF_COMPANY_ID: number | null;
  UF_CONTACT_ID: number | null;
  UF_MYCOMPANY_ID: number | null;
  UF_CRM_XERO_SYNC: number | null;
  UF_CRM_XERO_STATUS: string | null;
  UF_CRM_XERO_URL: string | null;
  UF_CRM_XERO_AMOUNT_DUE: number | string | null;
}

export interface IblockElementTable {
  ID: number;
  IBLOCK_ID: number;
  IBLOCK_SECTION_ID: number | null;
  NAME: string;
  ACTIVE: YN;
  XML_ID: string | null;
  CODE: string | null;
  SORT: number;
  PREVIEW_TEXT: string | null;
  DETAIL_TEXT: string | null;
  TIMESTAMP_X: DbDateTime | null;
}

export interface CatalogProductTable {
  ID: number;
  QUANTITY: number | null;
  VAT_ID: number | null;
  VAT_INCLUDED: YN | null;
  MEASURE: number | null;
  TYPE: number | null;
}

export interface CatalogPriceTable {
  ID: number;
  PRODUCT_ID: number;
  /** Price type; the base price type is 1 on a stock portal. */
  CATALOG_GROUP_ID: number;
  PRICE: DbDecimal;
  CURRENCY: string;
  QUANTITY_FROM: number | null;
  QUANTITY_TO: number | null;
}

export interface CatalogVatTable {
  ID: number;
  NAME: string;
  RATE: DbDecimal | null;
  ACTIVE: YN;
  EXCLUDE_VAT: YN | null;
}

export interface CatalogCurrencyTable {
  CURRENCY: string;
  AMOUNT_CNT: number;
  AMOUNT: DbDecimal | null;
  BASE: YN;
  SORT: number | null;
}

/** Every Bitrix table we read. Combine with the module tables: `Kysely<StateTables & BitrixTables>`. */
export interface BitrixTables {
  b_crm_dynamic_items_31: SmartInvoiceItemTable;
  b_crm_item_category: ItemCategoryTable;
  b_crm_status: StatusTable;
  b_crm_entity_contact: EntityContactTable;
  b_crm_entity_relation: EntityRelationTable;
  b_crm_product_row: ProductRowTable;
  b_crm_contact: ContactTable;
  b_crm_company: CompanyTable;
  b_crm_contact_company: ContactCompanyTable;
  b_crm_field_multi: FieldMultiTable;
  b_crm_requisite: RequisiteTable;
  b_crm_addr: AddrTable;
  b_uts_crm_contact: UtsPartyTable;
  b_uts_crm_company: UtsPartyTable;
  b_option: OptionTable;
  b_crm_invoice: LegacyInvoiceTable;
  b_crm_invoice_basket: LegacyInvoiceBasketTable;
  b_crm_invoice_props_value: LegacyInvoicePropsValueTable;
  b_uts_crm_invoice: UtsLegacyInvoiceTable;
  b_iblock_element: IblockElementTable;
  b_catalog_product: CatalogProductTable;
  b_catalog_price: CatalogPriceTable;
  b_catalog_vat: CatalogVatTable;
  b_catalog_currency: CatalogCurrencyTable;
}

/**
 * Kysely's DB type parameter is invariant, so a daemon holding `Kysely<StateTables & BitrixTables>` could not pass it
 * to a `Kysely<BitrixTables>` parameter. Readers therefore take any `Kysely<DB extends BitrixTables>` and view it
 * through this narrowing, which is sound: they only touch tables BitrixTables declares.
 */
export function bitrixDb<DB extends BitrixTables>(db: Kysely<DB>): Kysely<BitrixTables> {
  return db as unknown as Kysely<BitrixTables>;
}

/** Bitrix entity type ids used in link tables (CCrmOwnerType). */
export const OWNER_TYPE = { contact: 3, company: 4, invoice: 5, requisite: 8, smartInvoice: 31 } as const;
