import { sql, type Kysely, type Transaction } from 'kysely';
import type { XeroPartyView } from '../sync/plan/contact-import.ts';
import type { StateDb, StateTables } from './tables.ts';

/** The last-seen copies of these Xero contacts (b_b24xero_contact_seen), by lower-case ContactID. */
export async function readSeenContacts(state: StateDb, xeroIds: readonly string[]): Promise<Map<string, XeroPartyView>> {
  if (xeroIds.length === 0) return new Map();
  const rows = await state.selectFrom('b_b24xero_contact_seen').select(['XERO_ID', 'VIEW_JSON'])
    .where('XERO_ID', 'in', xeroIds.map((id) => id.toLowerCase())).execute();
  const out = new Map<string, XeroPartyView>();
  for (const row of rows) {
    try {
      out.set(row.XERO_ID, JSON.parse(row.VIEW_JSON) as XeroPartyView);
    } catch {
      // A copy that no longer parses is no base: the next look stores a fresh one.
    }
  }
  return out;
}

export async function saveSeenContact<DB extends StateTables>(db: Kysely<DB> | Transaction<DB>, view: XeroPartyView, xeroUpdatedUtc: string | null): Promise<void> {
  const json = JSON.stringify(view);
  await (db as unknown as StateDb).insertInto('b_b24xero_contact_seen')
    .values({ XERO_ID: view.contactID, VIEW_JSON: json, XERO_UPDATED_UTC: xeroUpdatedUtc, UPDATED_AT: sql<string>`UTC_TIMESTAMP(3)` })
    .onDuplicateKeyUpdate({ VIEW_JSON: json, XERO_UPDATED_UTC: xeroUpdatedUtc, UPDATED_AT: sql<string>`UTC_TIMESTAMP(3)` })
    .execute();
}
