import type { Contact, Invoice } from '../../xero/index.ts';
import type { ContactCandidate, HistoryCandidate } from '../plan/index.ts';
import type { PushGateway } from '../push/push-context.ts';

const PAGE_SIZE = 100;

/** What the organisation already holds, read in bulk once per backfill (issue 10 "match before create"). */
export interface XeroBooks {
  contacts: Array<ContactCandidate & { contactID: string }>;
  invoices: HistoryCandidate[];
  /** GET calls the read cost: ⌈contacts/100⌉ + ⌈invoices/100⌉ (at least one each). */
  readCalls: number;
}

async function readAll<T>(read: (page: number) => Promise<{ items: T[] }>): Promise<{ items: T[]; calls: number }> {
  const items: T[] = [];
  let calls = 0;
  for (let page = 1; ; page++) {
    const got = (await read(page)).items;
    calls++;
    items.push(...got);
    if (got.length < PAGE_SIZE) return { items, calls };
  }
}

/**
 * Every contact (archived too, so an archived match blocks instead of being duplicated) and every sales invoice
 * (ACCREC; deleted ones are dropped by the matcher), in pages of 100. Only what matching needs is kept, so an
 * organisation with tens of thousands of invoices costs a few megabytes, not the full documents.
 */
export async function readXeroBooks(gateway: Pick<PushGateway, 'getContacts' | 'getInvoices'>): Promise<XeroBooks> {
  const contacts = await readAll<Contact>((page) => gateway.getContacts({ page, pageSize: PAGE_SIZE, includeArchived: true, order: 'Name' }));
  const invoices = await readAll<Invoice>((page) => gateway.getInvoices({ page, pageSize: PAGE_SIZE, where: 'Type=="ACCREC"', order: 'InvoiceNumber' }));
  return {
    contacts: contacts.items.flatMap((c) => (c.contactID ? [{
      contactID: c.contactID.toLowerCase(), name: c.name, contactNumber: c.contactNumber, contactStatus: c.contactStatus,
      mergedToContactID: c.mergedToContactID?.toLowerCase(), emailAddress: c.emailAddress,
    }] : [])),
    invoices: invoices.items.flatMap((i) => (i.invoiceID ? [{
      invoiceID: i.invoiceID.toLowerCase(), invoiceNumber: i.invoiceNumber ?? null, reference: i.reference ?? null,
      contactID: i.contact?.contactID?.toLowerCase() ?? null, contactName: i.contact?.name ?? null,
      status: String(i.status ?? ''), total: Number(i.total ?? 0), currency: String(i.currencyCode ?? ''),
    }] : [])),
    readCalls: contacts.calls + invoices.calls,
  };
}
