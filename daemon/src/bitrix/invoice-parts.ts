import type { DomainInvoice, RowProblem } from '../domain/invoice.ts';
import type { Company, Person } from '../domain/party.ts';
import type { Parties } from './parties.ts';
import { RowValueError, int, problemMessage, text } from './values.ts';

/** The result of reading a page of invoices: complete invoices, and one problem per row that could not be read. */
export interface InvoicePage {
  invoices: DomainInvoice[];
  problems: RowProblem[];
}

const CURRENCY = /^[A-Z]{3}$/;

/** ISO 4217 code of a row; missing or malformed is a row problem (Xero refuses an invoice without one). */
export function requireCurrency(value: unknown, column: string): string {
  const currency = text(value).toUpperCase();
  if (currency === '') throw new RowValueError(`${column} is empty: the invoice has no currency`);
  if (!CURRENCY.test(currency)) throw new RowValueError(`${column} ${JSON.stringify(currency)} is not an ISO 4217 code`);
  return currency;
}

/**
 * The module's "Sync with Xero" boolean user field: NULL means never set, i.e. the default, on (ARCHITECTURE
 * "Names"); 0 off; any other number on.
 */
export function syncFlag(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return true;
  return int(value, 1) !== 0;
}

/**
 * The payer of an invoice. A company or contact id that points to no row is a problem of the invoice, not something
 * to guess around: sending it without its payer would create the wrong Xero contact.
 */
export function resolvePayer(
  parties: Parties,
  companyId: number | null,
  contactIds: readonly number[],
): { company: Company | null; contacts: Person[] } {
  let company: Company | null = null;
  if (companyId !== null) {
    company = parties.companies.get(companyId) ?? null;
    if (!company) throw new RowValueError(`payer company ${companyId} does not exist`);
  }
  const contacts = contactIds.map((id) => {
    const person = parties.contacts.get(id);
    if (!person) throw new RowValueError(`payer contact ${id} does not exist`);
    return person;
  });
  return { company, contacts };
}

/** Runs `build` for each row; a throw becomes a RowProblem for that row and the page goes on. */
export function buildEach<R extends { ID: number }>(
  rows: readonly R[],
  entity: RowProblem['entity'],
  build: (row: R) => DomainInvoice,
): InvoicePage {
  const invoices: DomainInvoice[] = [];
  const problems: RowProblem[] = [];
  for (const row of rows) {
    try {
      invoices.push(build(row));
    } catch (error) {
      problems.push({ entity, id: row.ID, message: problemMessage(error) });
    }
  }
  return { invoices, problems };
}
