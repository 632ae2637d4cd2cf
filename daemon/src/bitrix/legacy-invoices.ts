import type { Kysely } from 'kysely';
import { buildEach, requireCurrency, resolvePayer, syncFlag, type InvoicePage } from './invoice-parts.ts';
import { basketRowToLine } from './lines.ts';
import { loadParties } from './parties.ts';
import { loadLegacyStages } from './stages.ts';
import { type BitrixTables, bitrixDb } from './tables.ts';
import { dbDate, dbDateTime, decimal, groupBy, idOrNull, RowValueError, text, textOrNull, uniqueIds } from './values.ts';

/**
 * Legacy CRM invoices (b_crm_invoice, crm >= 18) by id, as complete domain invoices, in the order asked. The payer is
 * in the invoice's user fields (b_uts_crm_invoice UF_COMPANY_ID / UF_CONTACT_ID: one of each at most) — not
 * b_crm_invoice.COMPANY_ID, which is the seller's sale company. Stage semantics follow the SORT rule (stages.ts).
 */
export async function readLegacyInvoices<DB extends BitrixTables>(anyDb: Kysely<DB>, ids: readonly number[]): Promise<InvoicePage> {
  const db = bitrixDb(anyDb);
  const wanted = uniqueIds(ids);
  if (wanted.length === 0) return { invoices: [], problems: [] };

  const [rows, ufRows, basket, stages] = await Promise.all([
    db.selectFrom('b_crm_invoice')
      .select(['ID', 'ACCOUNT_NUMBER', 'ORDER_TOPIC', 'STATUS_ID', 'PRICE', 'CURRENCY', 'TAX_VALUE', 'DATE_UPDATE',
        'DATE_BILL', 'DATE_PAY_BEFORE', 'COMMENTS', 'XML_ID'])
      .where('ID', 'in', wanted)
      .execute(),
    // selectAll: the row exists only once a UF value was saved, and the module's columns only once it is installed.
    db.selectFrom('b_uts_crm_invoice').selectAll().where('VALUE_ID', 'in', wanted).execute(),
    db.selectFrom('b_crm_invoice_basket').selectAll()
      .where('ORDER_ID', 'in', wanted)
      .orderBy('ORDER_ID').orderBy('SORT').orderBy('ID')
      .execute(),
    loadLegacyStages(db),
  ]);
  const found = new Map(rows.map((row) => [row.ID, row]));
  const ordered = wanted.flatMap((id) => found.get(id) ?? []);
  const ufOf = new Map(ufRows.map((uf) => [uf.VALUE_ID, uf as unknown as Record<string, unknown>]));
  const linesOf = groupBy(basket, (line) => line.ORDER_ID);
  const companyIdOf = (id: number) => idOrNull(ufOf.get(id)?.['UF_COMPANY_ID']);
  const contactIdsOf = (id: number) => uniqueIds([ufOf.get(id)?.['UF_CONTACT_ID']]);
  const parties = await loadParties(db, ordered.flatMap((r) => contactIdsOf(r.ID)), ordered.map((r) => companyIdOf(r.ID)));

  return buildEach(ordered, 'legacy_invoice', (row) => {
    const stageId = text(row.STATUS_ID);
    const stage = stages.get(stageId);
    if (!stage) throw new RowValueError(`status ${JSON.stringify(stageId)} is not an INVOICE_STATUS`);
    const uf = ufOf.get(row.ID);
    const { company, contacts } = resolvePayer(parties, companyIdOf(row.ID), contactIdsOf(row.ID));
    return {
      kind: 'legacy',
      id: row.ID,
      number: text(row.ACCOUNT_NUMBER),
      title: text(row.ORDER_TOPIC),
      stage,
      categoryId: null,
      currency: requireCurrency(row.CURRENCY, 'CURRENCY'),
      total: decimal(row.PRICE, 'PRICE'),
      taxTotal: decimal(row.TAX_VALUE, 'TAX_VALUE'),
      issueDate: dbDate(row.DATE_BILL),
      dueDate: dbDate(row.DATE_PAY_BEFORE),
      updatedAt: dbDateTime(row.DATE_UPDATE),
      syncEnabled: syncFlag(uf?.['UF_CRM_XERO_SYNC']),
      xmlId: textOrNull(row.XML_ID),
      company,
      contacts,
      lines: (linesOf.get(row.ID) ?? []).map((line) => basketRowToLine(line)),
      comments: text(row.COMMENTS),
    };
  });
}
