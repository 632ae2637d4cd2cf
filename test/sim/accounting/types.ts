/**
 * Stored records. Field names are Xero's (PascalCase) so `where` expressions and snapshots read like the API;
 * calendar dates are 'YYYY-MM-DD', instants ISO strings. Wire formatting happens in the resource views.
 */
import type { OrgCountry } from '../contract.ts';

export type InvoiceType = 'ACCREC' | 'ACCPAY';
export type CreditNoteType = 'ACCRECCREDIT' | 'ACCPAYCREDIT';
export type DocStatus = 'DRAFT' | 'SUBMITTED' | 'AUTHORISED' | 'PAID' | 'VOIDED' | 'DELETED';
export type LineAmountTypes = 'Exclusive' | 'Inclusive' | 'NoTax';

export interface TaxComponent { Name: string; Rate: number; IsCompound: boolean; IsNonRecoverable: boolean }

export interface TaxRateRec {
  Name: string;
  TaxType: string;
  ReportTaxType: string;
  Status: 'ACTIVE' | 'DELETED' | 'ARCHIVED';
  CanApplyToAssets: boolean;
  CanApplyToEquity: boolean;
  CanApplyToExpenses: boolean;
  CanApplyToLiabilities: boolean;
  CanApplyToRevenue: boolean;
  DisplayTaxRate: number;
  EffectiveRate: number;
  TaxComponents: TaxComponent[];
}

export type AccountClass = 'ASSET' | 'EQUITY' | 'EXPENSE' | 'LIABILITY' | 'REVENUE';

export interface AccountRec {
  AccountID: string;
  Code: string;
  Name: string;
  Type: string;
  Class: AccountClass;
  Status: 'ACTIVE' | 'ARCHIVED';
  TaxType: string;
  Description?: string;
  EnablePaymentsToAccount: boolean;
  ShowInExpenseClaims: boolean;
  BankAccountNumber?: string;
  BankAccountType?: string;
  CurrencyCode?: string;
  SystemAccount?: string;
  ReportingCode?: string;
  ReportingCodeName?: string;
  AddToWatchlist: boolean;
  UpdatedDateUTC: string;
}

export interface CurrencyRec { Code: string; Description: string }

export interface TrackingOptionRec { TrackingOptionID: string; Name: string; Status: 'ACTIVE' | 'ARCHIVED' }

export interface TrackingCategoryRec {
  TrackingCategoryID: string;
  Name: string;
  Status: 'ACTIVE' | 'ARCHIVED';
  Options: TrackingOptionRec[];
}

export interface ContactPersonRec { FirstName?: string; LastName?: string; EmailAddress?: string; IncludeInEmails: boolean }

export interface AddressRec {
  AddressType: string;
  AddressLine1?: string; AddressLine2?: string; AddressLine3?: string; AddressLine4?: string;
  City?: string; Region?: string; PostalCode?: string; Country?: string; AttentionTo?: string;
}

export interface PhoneRec { PhoneType: string; PhoneNumber?: string; PhoneAreaCode?: string; PhoneCountryCode?: string }

export interface ContactRec {
  ContactID: string;
  ContactNumber?: string;
  AccountNumber?: string;
  ContactStatus: 'ACTIVE' | 'ARCHIVED' | 'GDPRREQUEST';
  Name: string;
  FirstName?: string;
  LastName?: string;
  EmailAddress?: string;
  CompanyNumber?: string;
  Website?: string;
  TaxNumber?: string;
  DefaultCurrency?: string;
  ContactPersons: ContactPersonRec[];
  Addresses: AddressRec[];
  Phones: PhoneRec[];
  IsSupplier: boolean;
  IsCustomer: boolean;
  UpdatedDateUTC: string;
}

export interface ItemDetailsRec { UnitPrice?: number; AccountCode?: string; COGSAccountCode?: string; TaxType?: string }

export interface ItemRec {
  ItemID: string;
  Code: string;
  Name?: string;
  Description?: string;
  PurchaseDescription?: string;
  IsSold: boolean;
  IsPurchased: boolean;
  IsTrackedAsInventory: boolean;
  SalesDetails: ItemDetailsRec;
  PurchaseDetails: ItemDetailsRec;
  UpdatedDateUTC: string;
}

export interface LineTrackingRec { TrackingCategoryID: string; TrackingOptionID: string; Name: string; Option: string }

export interface LineRec {
  LineItemID: string;
  Description?: string;
  Quantity?: number;
  UnitAmount?: number;
  ItemCode?: string;
  AccountCode?: string;
  AccountID?: string;
  TaxType?: string;
  TaxAmount: number;
  LineAmount: number;
  DiscountRate?: number;
  DiscountAmount?: number;
  Tracking: LineTrackingRec[];
}

/** What an invoice shows of a payment or a credit-note allocation made against it. */
export interface AppliedPaymentRec { PaymentID: string; Date: string; Amount: number; Reference?: string; CurrencyRate: number }
export interface AppliedCreditRec { AllocationID: string; CreditNoteID: string; CreditNoteNumber: string; Date: string; AppliedAmount: number }

/** Invoices and credit notes share this shape; credit notes keep their own type/number fields. */
export interface DocumentRec {
  ID: string;
  Kind: 'INVOICE' | 'CREDITNOTE';
  Type: InvoiceType | CreditNoteType;
  Number: string;
  Reference?: string;
  ContactID: string;
  Date: string;
  DueDate?: string;
  ExpectedPaymentDate?: string;
  PlannedPaymentDate?: string;
  LineAmountTypes: LineAmountTypes;
  Status: DocStatus;
  CurrencyCode: string;
  CurrencyRate: number;
  SentToContact: boolean;
  Url?: string;
  BrandingThemeID?: string;
  LineItems: LineRec[];
  SubTotal: number;
  TotalTax: number;
  Total: number;
  TotalDiscount: number;
  AmountPaid: number;
  AmountCredited: number;
  AmountDue: number;
  FullyPaidOnDate?: string;
  Payments: AppliedPaymentRec[];
  /** On invoices: credit notes allocated to it. On credit notes: invoices it was allocated to. */
  Credits: AppliedCreditRec[];
  UpdatedDateUTC: string;
}

export interface PaymentRec {
  PaymentID: string;
  /** Invoice or credit note paid. */
  DocumentID: string;
  DocumentKind: 'INVOICE' | 'CREDITNOTE';
  AccountID: string;
  Date: string;
  Amount: number;
  CurrencyRate: number;
  Reference?: string;
  IsReconciled: boolean;
  Status: 'AUTHORISED' | 'DELETED';
  PaymentType: string;
  UpdatedDateUTC: string;
}

export interface AllocationRec {
  AllocationID: string;
  CreditNoteID: string;
  InvoiceID: string;
  Amount: number;
  Date: string;
  IsDeleted: boolean;
}

export interface BankTransactionRec {
  BankTransactionID: string;
  Type: 'RECEIVE' | 'SPEND';
  ContactID: string;
  BankAccountID: string;
  Date: string;
  Reference?: string;
  Status: 'AUTHORISED' | 'DELETED';
  IsReconciled: boolean;
  LineAmountTypes: LineAmountTypes;
  LineItems: LineRec[];
  SubTotal: number;
  TotalTax: number;
  Total: number;
  CurrencyCode: string;
  CurrencyRate: number;
  Url?: string;
  UpdatedDateUTC: string;
}

/** Organisation-level settings (not per record). */
export interface OrgSettings {
  tenantId: string;
  name: string;
  country: OrgCountry;
  baseCurrency: string;
  shortCode: string;
  version: string;
  timezone: string;
  createdDateUTC: string;
  periodLockDate?: string;
  endOfYearLockDate?: string;
  /** The org's one branding theme ("Standard"), which documents may name. */
  brandingThemeId: string;
  invoicePrefix: string;
  creditNotePrefix: string;
  nextInvoiceNumber: number;
  nextCreditNoteNumber: number;
  defaultSalesTax: string;
  defaultPurchasesTax: string;
  salesTaxBasis: string;
  salesTaxPeriod: string;
}
