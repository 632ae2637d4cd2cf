import { sql, type Kysely, type Transaction } from 'kysely';
import { asStateDb, toDbUtc } from './state-db.ts';
import type { EntityType, LinkRow, StateTables } from './tables.ts';

const INVOICE_ENTITIES: readonly EntityType[] = ['smart_invoice', 'legacy_invoice'];

/** Links of Bitrix invoices to these Xero invoice ids (any case), by lower-case Xero id. One query. */
export async function invoiceLinksByXeroIds<DB extends StateTables>(
  anyDb: Kysely<DB> | Transaction<DB>, xeroIds: readonly string[],
): Promise<Map<string, LinkRow[]>> {
  const out = new Map<string, LinkRow[]>();
  const ids = [...new Set(xeroIds.map((id) => id.toLowerCase()))];
  if (ids.length === 0) return out;
  const rows = await asStateDb(anyDb).selectFrom('b_b24xero_link').selectAll()
    .where('XERO_TYPE', '=', 'invoice')
    .where('ENTITY_TYPE', 'in', [...INVOICE_ENTITIES])
    .where('XERO_ID', 'in', ids)
    .where('STATE', 'in', ['synced', 'conflict'])
    .execute();
  for (const row of rows) {
    const key = String(row.XERO_ID).toLowerCase();
    out.set(key, [...(out.get(key) ?? []), row]);
  }
  return out;
}

/** When the first invoice link was made: the first invoice pull need not read Xero's history before it. */
export async function firstInvoiceLinkTime<DB extends StateTables>(anyDb: Kysely<DB> | Transaction<DB>): Promise<Date | null> {
  const row = await asStateDb(anyDb).selectFrom('b_b24xero_link').select((eb) => eb.fn.min('CREATED_AT').as('first'))
    .where('XERO_TYPE', '=', 'invoice').where('XERO_ID', 'is not', null).executeTakeFirst();
  const first = row?.first as unknown;
  if (!first) return null;
  return first instanceof Date ? first : new Date(`${String(first).replace(' ', 'T')}Z`);
}

/**
 * Xero's status and modification time as the pull saw them, on the link (the push reads XERO_STATUS to know whether
 * Xero owns the invoice: rule 5). The content hash is not touched — it is what the push last sent.
 */
export async function recordPulledInvoice<DB extends StateTables>(
  anyDb: Kysely<DB> | Transaction<DB>, linkId: number, seen: { xeroStatus: string; xeroUpdatedUtc: Date | null },
): Promise<void> {
  await asStateDb(anyDb).updateTable('b_b24xero_link')
    .set({ XERO_STATUS: seen.xeroStatus, ...(seen.xeroUpdatedUtc && { XERO_UPDATED_UTC: toDbUtc(seen.xeroUpdatedUtc) }), UPDATED_AT: sql<string>`UTC_TIMESTAMP(3)` })
    .where('ID', '=', linkId)
    .execute();
}

/**
 * The payloads of still-pending inbox rows of these entities and action (oldest first, so a later row's keys win
 * when the caller merges them): what Bitrix will hold once the applier has run.
 */
export async function pendingInboxPayloads<DB extends StateTables>(
  anyDb: Kysely<DB> | Transaction<DB>, entityType: EntityType, entityIds: readonly number[], action: string,
): Promise<Map<number, Array<Record<string, unknown>>>> {
  const out = new Map<number, Array<Record<string, unknown>>>();
  if (entityIds.length === 0) return out;
  const rows = await asStateDb(anyDb).selectFrom('b_b24xero_inbox').select(['ENTITY_ID', 'PAYLOAD'])
    .where('STATE', '=', 'pending').where('ENTITY_TYPE', '=', entityType).where('ACTION', '=', action)
    .where('ENTITY_ID', 'in', [...new Set(entityIds)])
    .orderBy('ID')
    .execute();
  for (const row of rows) {
    if (row.ENTITY_ID === null) continue;
    try {
      const payload = JSON.parse(row.PAYLOAD) as unknown;
      if (payload && typeof payload === 'object' && !Array.isArray(payload)) {
        out.set(row.ENTITY_ID, [...(out.get(row.ENTITY_ID) ?? []), payload as Record<string, unknown>]);
      }
    } catch {
      // A hand-edited row that is not JSON: the applier will fail it; it promises nothing.
    }
  }
  return out;
}
