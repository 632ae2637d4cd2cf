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

/** Which of these Xero ids (any case) are linked to a Bitrix record as `xeroType`: lower-case ids, one query. */
export async function linkedXeroIds<DB extends StateTables>(
  anyDb: Kysely<DB> | Transaction<DB>, xeroType: 'invoice' | 'contact', xeroIds: readonly string[],
): Promise<Set<string>> {
  if (xeroIds.length === 0) return new Set();
  const rows = await asStateDb(anyDb).selectFrom('b_b24xero_link').select('XERO_ID')
    .where('XERO_TYPE', '=', xeroType)
    .where('XERO_ID', 'in', [...new Set(xeroIds.map((id) => id.toLowerCase()))])
    .execute();
  return new Set(rows.map((r) => String(r.XERO_ID).toLowerCase()));
}

export type OutstandingBy = 'currency' | 'contact' | 'invoice';

export interface OutstandingTotal {
  currency: string;
  /** The contact's or invoice's Xero id; null when grouped by currency alone. */
  key: string | null;
  outstanding: number;
  overdue: number;
  invoices: number;
  overdueInvoices: number;
}

/**
 * What approved invoices still owe, and the part past its due date (before `today`, YYYY-MM-DD), per currency — and per
 * contact or invoice within it. One query, on the (TENANT_ID, XERO_TYPE) prefix of UX_B24XERO_TXN: the tenant's invoice rows
 * only (no new index: sql/ files must stay re-runnable, and MySQL 8.0 has no CREATE INDEX IF NOT EXISTS).
 */
export async function outstandingTotals<DB extends StateTables>(
  anyDb: Kysely<DB> | Transaction<DB>, q: { tenantId: string; today: string; by?: OutstandingBy; contactXeroId?: string },
): Promise<OutstandingTotal[]> {
  const by = q.by ?? 'currency';
  const keyColumn = by === 'contact' ? sql.ref('CONTACT_XERO_ID') : by === 'invoice' ? sql.ref('XERO_ID') : sql`NULL`;
  let query = asStateDb(anyDb).selectFrom('b_b24xero_transaction')
    .select([
      'CURRENCY',
      sql<string | null>`${keyColumn}`.as('KEY_ID'),
      sql<string>`SUM(AMOUNT_DUE)`.as('OUTSTANDING'),
      sql<string>`COALESCE(SUM(CASE WHEN DUE_DATE < ${q.today} THEN AMOUNT_DUE END), 0)`.as('OVERDUE'),
      sql<number>`COUNT(*)`.as('INVOICES'),
      sql<number>`COALESCE(SUM(DUE_DATE < ${q.today}), 0)`.as('OVERDUE_INVOICES'),
    ])
    .where('TENANT_ID', '=', q.tenantId)
    .where('XERO_TYPE', '=', 'invoice')
    .where('STATUS', '=', 'AUTHORISED')
    .where('AMOUNT_DUE', '>', '0');
  if (q.contactXeroId !== undefined) query = query.where('CONTACT_XERO_ID', '=', q.contactXeroId.toLowerCase());
  query = query.groupBy('CURRENCY').orderBy('CURRENCY');
  if (by !== 'currency') query = query.groupBy(by === 'contact' ? 'CONTACT_XERO_ID' : 'XERO_ID').orderBy(by === 'contact' ? 'CONTACT_XERO_ID' : 'XERO_ID');
  const rows = await query.execute();
  return rows.map((r) => ({
    currency: String(r.CURRENCY), key: r.KEY_ID === null ? null : String(r.KEY_ID),
    outstanding: Number(r.OUTSTANDING), overdue: Number(r.OVERDUE), invoices: Number(r.INVOICES), overdueInvoices: Number(r.OVERDUE_INVOICES),
  }));
}

/** When the first link was made: a first pull of transactions need not read Xero's history before it. */
export async function firstLinkTime<DB extends StateTables>(anyDb: Kysely<DB> | Transaction<DB>): Promise<Date | null> {
  const row = await asStateDb(anyDb).selectFrom('b_b24xero_link').select((eb) => eb.fn.min('CREATED_AT').as('first'))
    .where('XERO_TYPE', 'in', ['invoice', 'contact']).executeTakeFirst();
  const first = row?.first as unknown;
  if (!first) return null;
  return first instanceof Date ? first : new Date(`${String(first).replace(' ', 'T')}Z`);
}
