/**
 * The Xero object vocabulary the sync builds and reads, re-exported so no other folder imports xero-node.
 * Values at runtime are plain strings even where the typings declare enums (reference §3: compare with
 * `String(invoice.status) === 'PAID'`); the enums are exported for building requests.
 */
export type {
  Account, Address, Contact, ContactPerson, Currency, Invoice, Item, LineItem, OnlineInvoice, Organisation, Payment,
  Phone, Purchase, TaxRate, ValidationError,
} from 'xero-node';
export { CurrencyCode, LineAmountTypes } from 'xero-node';
import { Address, Contact, Invoice, Phone } from 'xero-node';

export const InvoiceStatus = Invoice.StatusEnum;
export const InvoiceType = Invoice.TypeEnum;
export const ContactStatus = Contact.ContactStatusEnum;
export const AddressType = Address.AddressTypeEnum;
export const PhoneType = Phone.PhoneTypeEnum;
