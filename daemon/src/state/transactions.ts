import { sql, type Kysely, type Transaction } from 'kysely';
import { asStateDb } from './state-db.ts';
import type { NewTransaction, TransactionRow, StateTables, TransactionXeroType } from './tables.ts';

/**
 * Stores a Xero payment / bank transaction / invoice balance for the dashboard, keyed by tenant, type and id.
 * Pulls and webhooks can deliver copies out of order, so an existing row is only overwritten by a copy whose
 * XERO_UPDATED_UTC is not older than the stored one (a copy without a date always applies).
 */
export async function upsertTransaction<DB extends StateTables>(anyDb: Kysely<DB> | Transaction<DB>, txn: NewTransaction): Promise<void> {
  const db = asStateDb(anyDb);
  const values: NewTransaction = { ...txn, XERO_ID: txn.XERO_ID.toLowerCase() };
  const incoming = values.XERO_UPDATED_UTC ?? null;
  // Evaluated per column before XERO_UPDATED_UTC itself is replaced (MySQL applies assignments left to right).
  const fresh = sql<boolean>`(${incoming} IS NULL OR XERO_UPDATED_UTC IS NULL OR ${incoming} >= XERO_UPDATED_UTC)`;
  const pick = <T>(column: string, value: T) => sql<T>`IF(${fresh}, ${value}, ${sql.ref(column)})`;
  await db
    .insertInto('b_b24xero_transaction')
    .values(values)
    .onDuplicateKeyUpdate({
      INVOICE_XERO_ID: pick('INVOICE_XERO_ID', values.INVOICE_XERO_ID ?? null),
      CONTACT_XERO_ID: pick('CONTACT_XERO_ID', values.CONTACT_XERO_ID ?? null),
      CONTACT_NAME: pick('CONTACT_NAME', values.CONTACT_NAME ?? null),
      REFERENCE: pick('REFERENCE', values.REFERENCE ?? null),
      TXN_DATE: pick('TXN_DATE', values.TXN_DATE ?? null),
      DUE_DATE: pick('DUE_DATE', values.DUE_DATE ?? null),
      AMOUNT: pick('AMOUNT', values.AMOUNT ?? '0'),
      AMOUNT_DUE: pick('AMOUNT_DUE', values.AMOUNT_DUE ?? null),
      CURRENCY: pick('CURRENCY', values.CURRENCY),
      STATUS: pick('STATUS', values.STATUS),
      RAW: pick('RAW', values.RAW ?? null),
      XERO_UPDATED_UTC: sql<string | null>`IF(${fresh}, COALESCE(${incoming}, XERO_UPDATED_UTC), XERO_UPDATED_UTC)`,
    })
    .execute();
}

export async function getTransaction<DB extends StateTables>(
  anyDb: Kysely<DB> | Transaction<DB>, tenantId: string, xeroType: TransactionXeroType, xeroId: string,
): Promise<TransactionRow | undefined> {
  const db = asStateDb(anyDb);
  return db
    .selectFrom('b_b24xero_transaction')
    .selectAll()
    .where('TENANT_ID', '=', tenantId)
    .where('XERO_TYPE', '=', xeroType)
    .where('XERO_ID', '=', xeroId.toLowerCase())
    .executeTakeFirst();
}

export interface ListTransactions {
  tenantId?: string;
  xeroType?: TransactionXeroType;
  invoiceXeroId?: string;
  limit?: number;
  offset?: number;
}

/** Newest first by transaction date, for the dashboard and `status`. */
export async function listTransactions<DB extends StateTables>(anyDb: Kysely<DB> | Transaction<DB>, options: ListTransactions = {}): Promise<TransactionRow[]> {
  const db = asStateDb(anyDb);
  let query = db
    .selectFrom('b_b24xero_transaction')
    .selectAll()
    .orderBy('TXN_DATE', 'desc')
    .orderBy('ID', 'desc')
    .limit(options.limit ?? 50)
    .offset(options.offset ?? 0);
  if (options.tenantId !== undefined) query = query.where('TENANT_ID', '=', options.tenantId);
  if (options.xeroType !== undefined) query = query.where('XERO_TYPE', '=', options.xeroType);
  if (options.invoiceXeroId !== undefined) query = query.where('INVOICE_XERO_ID', '=', options.invoiceXeroId.toLowerCase());
  return query.execute();
}
