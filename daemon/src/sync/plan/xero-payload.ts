/**
 * What the planners produce: plain objects with xero-node's camelCase property names (dist/gen/model/accounting/*),
 * so the executor can hand them to the AccountingApi. xero-node declares its enums as numeric in the .d.ts files but
 * uses strings at runtime (Invoice.StatusEnum.DRAFT === 'DRAFT'); these types use the string values, so the executor
 * passes a payload on with one cast: `{ invoices: [payload as unknown as Invoice] }`. Only fields we set are listed.
 */

export const LINE_AMOUNT_TYPES = ['Exclusive', 'Inclusive', 'NoTax'] as const;
export type LineAmountType = (typeof LINE_AMOUNT_TYPES)[number];

export const CREATE_STATUSES = ['DRAFT', 'SUBMITTED', 'AUTHORISED'] as const;
export type CreateStatus = (typeof CREATE_STATUSES)[number];

export interface LineItemPayload {
  description: string;
  quantity: number;
  unitAmount: number;
  /** Percent, e.g. 10 for 10 %. Only one of discountRate / discountAmount is set. */
  discountRate?: number;
  /** Money off the whole line (not per unit), in the invoice's line amount basis. */
  discountAmount?: number;
  taxType: string;
  accountCode: string;
  itemCode?: string;
}

export interface InvoicePayload {
  type: 'ACCREC';
  contact: { contactID: string };
  lineItems: LineItemPayload[];
  lineAmountTypes: LineAmountType;
  currencyCode: string;
  /** 'YYYY-MM-DD'; omitted when Bitrix has no date (Xero then uses today in the organisation's time zone). */
  date?: string;
  dueDate?: string;
  /** Set under the 'bitrix' numbering policy; omitted lets Xero number the invoice. */
  invoiceNumber?: string;
  /** Carries the Bitrix key (see invoice-reference.ts), which find-before-create searches by. */
  reference: string;
  /** Only on create; updates leave the status Xero has. */
  status?: CreateStatus;
  /** Only on update. */
  invoiceID?: string;
}

export const PHONE_TYPES = ['DEFAULT', 'DDI', 'MOBILE', 'FAX'] as const;
export type PhoneType = (typeof PHONE_TYPES)[number];

export interface PhonePayload {
  phoneType: PhoneType;
  phoneNumber: string;
  phoneAreaCode?: string;
  phoneCountryCode?: string;
}

export const ADDRESS_TYPES = ['POBOX', 'STREET'] as const;
export type AddressType = (typeof ADDRESS_TYPES)[number];

export interface AddressPayload {
  addressType: AddressType;
  addressLine1?: string;
  addressLine2?: string;
  city?: string;
  region?: string;
  postalCode?: string;
  country?: string;
}

export interface ContactPersonPayload {
  firstName: string;
  lastName: string;
  emailAddress?: string;
  includeInEmails: boolean;
}

export interface ContactPayload {
  name: string;
  contactNumber: string;
  firstName: string;
  lastName: string;
  emailAddress?: string;
  contactPersons: ContactPersonPayload[];
  phones: PhonePayload[];
  addresses: AddressPayload[];
  taxNumber?: string;
  /** Only on update. */
  contactID?: string;
}

export interface ItemPayload {
  code: string;
  name: string;
  description: string;
  isSold: true;
  salesDetails: { unitPrice?: number; accountCode?: string; taxType?: string };
  /** Only on update. */
  itemID?: string;
}
