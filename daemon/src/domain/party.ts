/** Contacts and companies as the sync sees them, independent of how Bitrix stores them. */

export interface Address {
  /** Bitrix b_crm_addr TYPE_ID (1 primary, 6 legal/registered, 8 post, 12 billing, …). */
  typeId: number;
  line1: string;
  line2: string;
  city: string;
  region: string;
  postalCode: string;
  country: string;
  countryCode: string;
}

export interface Phone {
  /** WORK, MOBILE, FAX, HOME, … (b_crm_field_multi.VALUE_TYPE). */
  kind: string;
  number: string;
}

export interface Email {
  kind: string;
  address: string;
}

export interface Person {
  /** b_crm_contact.ID */
  id: number;
  firstName: string;
  lastName: string;
  secondName: string;
  /** FULL_NAME, or first + last when FULL_NAME is empty. */
  fullName: string;
  emails: Email[];
  phones: Phone[];
  addresses: Address[];
  /** Tax id from the person's active requisite (RQ_VAT_ID, else RQ_INN), '' when none. */
  taxNumber: string;
  /** UF_CRM_XERO_ID: the Xero ContactID this contact is bound to, or null. */
  xeroId: string | null;
  /** DATE_MODIFY in database terms ('YYYY-MM-DD HH:MM:SS'), null when missing or a zero date. */
  modifiedAt: string | null;
}

export interface Company {
  /** b_crm_company.ID */
  id: number;
  title: string;
  emails: Email[];
  phones: Phone[];
  addresses: Address[];
  taxNumber: string;
  xeroId: string | null;
  /** Attached contacts, the primary one first (b_crm_contact_company IS_PRIMARY, then SORT). */
  contacts: Person[];
  modifiedAt: string | null;
}
