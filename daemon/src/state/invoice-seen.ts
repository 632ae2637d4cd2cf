import { sql, type Kysely, type Transaction } from 'kysely';
import type { XeroInvoiceContent } from '../sync/plan/invoice-content.ts';
import type { StateDb, StateTables } from './tables.ts';

/** Last-seen contents of these Xero invoices (b_b24xero_invoice_seen), by lower-case InvoiceID. */
export async function readSeenInvoices(state: StateDb, xeroIds: readonly string[]): Promise<Map<string, XeroInvoiceContent>> {
  if (xeroIds.length === 0) return new Map();
  const rows = await state.selectFrom('b_b24xero_invoice_seen').select(['XERO_ID', 'CONTENT_JSON'])
    .where('XERO_ID', 'in', xeroIds.map((id) => id.toLowerCase())).execute();
  const out = new Map<string, XeroInvoiceContent>();
  for (const row of rows) {
    try {
      out.set(row.XERO_ID, JSON.parse(row.CONTENT_JSON) as XeroInvoiceContent);
    } catch {
      // No usable base: the next look stores a fresh one.
    }
  }
  return out;
}

export async function saveSeenInvoice<DB extends StateTables>(db: Kysely<DB> | Transaction<DB>, xeroId: string, content: XeroInvoiceContent): Promise<void> {
  const json = JSON.stringify(content);
  await (db as unknown as StateDb).insertInto('b_b24xero_invoice_seen')
    .values({ XERO_ID: xeroId.toLowerCase(), CONTENT_JSON: json, UPDATED_AT: sql<string>`UTC_TIMESTAMP(3)` })
    .onDuplicateKeyUpdate({ CONTENT_JSON: json, UPDATED_AT: sql<string>`UTC_TIMESTAMP(3)` })
    .execute();
}
