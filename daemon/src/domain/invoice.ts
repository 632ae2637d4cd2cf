import type { Company, Person } from './party.ts';

export const INVOICE_KINDS = ['smart', 'legacy'] as const;
export type InvoiceKind = (typeof INVOICE_KINDS)[number];

/** Bitrix stage semantics: SEMANTICS 'S' success, 'F' failure, anything else process. */
export const STAGE_SEMANTICS = ['process', 'success', 'failure'] as const;
export type StageSemantics = (typeof STAGE_SEMANTICS)[number];

export interface Stage {
  /** 'DT31_7:N' for smart invoices, 'N' for legacy ones. */
  id: string;
  name: string;
  semantics: StageSemantics;
  sort: number;
}

export const DISCOUNT_TYPES = ['none', 'amount', 'percent'] as const;
export type DiscountType = (typeof DISCOUNT_TYPES)[number];

/**
 * One product row. Money is a JS number rounded only where Xero rounds (the planner decides);
 * readers parse DECIMAL strings without rounding.
 */
export interface InvoiceLine {
  /** b_crm_product_row.ID or b_crm_invoice_basket.ID */
  rowId: number;
  /** Catalog element id, null for a free-text row (PRODUCT_ID 0). */
  productId: number | null;
  description: string;
  quantity: number;
  /** Unit price before discount, as entered: tax-inclusive when taxIncluded, else exclusive. */
  unitPrice: number;
  discountType: DiscountType;
  /** Percent (e.g. 10 for 10 %) when discountType is 'percent'. */
  discountRate: number;
  /** Discount per unit, in money, in the same tax basis as unitPrice. */
  discountPerUnit: number;
  /** Percent (15 for 15 %), null when the row carries no tax. */
  taxRate: number | null;
  /** How the price was entered (TAX_INCLUDED / VAT_INCLUDED). */
  taxIncluded: boolean;
  /** Row total including tax, as Bitrix computed it (PRICE × QUANTITY). */
  totalInclTax: number;
  sort: number;
  /** Unit name (MEASURE_NAME), '' when none. */
  unit: string;
}

export interface DomainInvoice {
  kind: InvoiceKind;
  /** Bitrix id within its kind. */
  id: number;
  /** ACCOUNT_NUMBER, '' when none. */
  number: string;
  title: string;
  stage: Stage;
  /** Smart-invoice category (null for legacy invoices). */
  categoryId: number | null;
  /** ISO 4217, upper case; '' when the row has none (a per-record error downstream). */
  currency: string;
  /** Total including tax (OPPORTUNITY / PRICE). */
  total: number;
  taxTotal: number;
  /** Invoice date and due date 'YYYY-MM-DD', null when missing or a zero date. */
  issueDate: string | null;
  dueDate: string | null;
  /** Last change in database terms 'YYYY-MM-DD HH:MM:SS' (UPDATED_TIME / DATE_UPDATE). */
  updatedAt: string | null;
  /** UF_CRM_XERO_SYNC: NULL means the default, on. */
  syncEnabled: boolean;
  /** XML_ID: the Xero InvoiceID once bound, else null. */
  xmlId: string | null;
  /** Payer company (null when the payer is a person). */
  company: Company | null;
  /** Payer contacts, the primary one first. */
  contacts: Person[];
  lines: InvoiceLine[];
  comments: string;
}

/** A row the reader could not turn into a domain object; it is reported and the rest of the page goes on. */
export interface RowProblem {
  entity: 'smart_invoice' | 'legacy_invoice' | 'contact' | 'company' | 'product';
  id: number;
  message: string;
}
