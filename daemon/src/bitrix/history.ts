import { sql, type Kysely } from 'kysely';
import type { InvoiceKind } from '../domain/invoice.ts';
import { bitrixDb } from './tables.ts';

/**
 * Invoices of the portal's history for `b24xero backfill`, by ID (a stable order to resume from after kill -9).
 * `since` ('YYYY-MM-DD') keeps invoices dated on or after it: the invoice date (BEGINDATE / DATE_BILL), or, where
 * that is missing or a zero date, the day it was created. Null: every invoice.
 */
const SOURCES = {
  smart: { table: 'b_crm_dynamic_items_31', date: 'BEGINDATE', created: 'CREATED_TIME' },
  legacy: { table: 'b_crm_invoice', date: 'DATE_BILL', created: 'DATE_INSERT' },
} as const;

function dated(kind: InvoiceKind, since: string) {
  const s = SOURCES[kind];
  // A zero date ('0000-00-00', legal under sql_mode='') compares below any real date, so it falls back like NULL.
  return sql<boolean>`COALESCE(NULLIF(DATE(${sql.ref(s.date)}), '0000-00-00'), DATE(${sql.ref(s.created)})) >= ${since}`;
}

export async function historyIds(db: Kysely<any>, kind: InvoiceKind, options: { since: string | null; afterId: number; limit: number }): Promise<number[]> {
  const s = SOURCES[kind];
  let q = db.selectFrom(s.table).select('ID').where('ID', '>', options.afterId);
  if (options.since) q = q.where(dated(kind, options.since));
  const rows = await q.orderBy('ID').limit(options.limit).execute();
  return rows.map((r) => Number(r.ID));
}

export async function countHistory(db: Kysely<any>, kind: InvoiceKind, options: { since: string | null; afterId?: number }): Promise<number> {
  const s = SOURCES[kind];
  let q = db.selectFrom(s.table).select(sql<number>`COUNT(*)`.as('n')).where('ID', '>', options.afterId ?? 0);
  if (options.since) q = q.where(dated(kind, options.since));
  const row = await q.executeTakeFirst();
  return Number(row?.n ?? 0);
}
