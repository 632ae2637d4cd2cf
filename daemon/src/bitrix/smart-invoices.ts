import type { Kysely } from 'kysely';
import type { InvoiceLine } from '../domain/invoice.ts';
import { buildEach, requireCurrency, resolvePayer, syncFlag, type InvoicePage } from './invoice-parts.ts';
import { productRowToLine } from './lines.ts';
import { loadParties } from './parties.ts';
import { categoryFromStageId, loadSmartStages } from './stages.ts';
import { OWNER_TYPE, type BitrixTables, type SmartInvoiceItemTable, bitrixDb } from './tables.ts';
import { dbDate, dbDateTime, decimal, groupBy, idOrNull, RowValueError, text, textOrNull, uniqueIds, yes } from './values.ts';

/** OWNER_TYPE of smart-invoice product rows (CCrmOwnerTypeAbbr::SmartInvoice). */
export const SMART_INVOICE_OWNER_TYPE = 'SI';

/**
 * Smart invoices (b_crm_dynamic_items_31) by id, as complete domain invoices, in the order asked. A fixed number of
 * queries per page (items, stages, contact bindings, product rows, then the parties' eight at most), never one per row.
 * Ids that do not exist are left out (deleted); a row that cannot be read becomes a RowProblem.
 */
export async function readSmartInvoices<DB extends BitrixTables>(anyDb: Kysely<DB>, ids: readonly number[]): Promise<InvoicePage> {
  const db = bitrixDb(anyDb);
  const wanted = uniqueIds(ids);
  if (wanted.length === 0) return { invoices: [], problems: [] };

  // selectAll: the module's UF columns exist only once it is installed, and other UF columns come and go.
  const items = await db.selectFrom('b_crm_dynamic_items_31').selectAll().where('ID', 'in', wanted).execute();
  const found = new Map(items.map((item) => [item.ID, item]));
  const ordered = wanted.flatMap((id) => found.get(id) ?? []);
  const categoryOf = (item: SmartInvoiceItemTable) =>
    idOrNull(item.CATEGORY_ID) ?? categoryFromStageId(text(item.STAGE_ID));

  const [stages, bindings, productRows] = await Promise.all([
    loadSmartStages(db, uniqueIds(ordered.map(categoryOf))),
    db.selectFrom('b_crm_entity_contact').select(['ENTITY_ID', 'CONTACT_ID', 'SORT', 'IS_PRIMARY'])
      .where('ENTITY_TYPE_ID', '=', OWNER_TYPE.smartInvoice)
      .where('ENTITY_ID', 'in', wanted)
      .execute(),
    db.selectFrom('b_crm_product_row').selectAll()
      .where('OWNER_TYPE', '=', SMART_INVOICE_OWNER_TYPE)
      .where('OWNER_ID', 'in', wanted)
      .orderBy('OWNER_ID').orderBy('SORT').orderBy('ID')
      .execute(),
  ]);

  // Primary contact first, then SORT (reference §2.3). CONTACT_ID on the item is a copy of the primary; it settles
  // which one leads when an old migration left two rows marked primary.
  const itemContact = new Map(ordered.map((item) => [item.ID, idOrNull(item.CONTACT_ID)]));
  const rank = (b: { ENTITY_ID: number; CONTACT_ID: number; IS_PRIMARY: string }) =>
    (yes(b.IS_PRIMARY) ? 2 : 0) + (yes(b.IS_PRIMARY) && itemContact.get(b.ENTITY_ID) === b.CONTACT_ID ? 1 : 0);
  const contactsOf = groupBy(
    [...bindings].sort((a, b) => rank(b) - rank(a) || a.SORT - b.SORT || a.CONTACT_ID - b.CONTACT_ID),
    (b) => b.ENTITY_ID,
  );
  const payerContactIds = (item: SmartInvoiceItemTable): number[] => {
    const bound = (contactsOf.get(item.ID) ?? []).map((b) => b.CONTACT_ID);
    if (bound.length > 0) return uniqueIds(bound);
    return uniqueIds([item.CONTACT_ID]);
  };
  const rowsOf = groupBy(productRows, (r) => r.OWNER_ID);
  const parties = await loadParties(db, ordered.flatMap(payerContactIds), ordered.map((i) => i.COMPANY_ID));

  return buildEach(ordered, 'smart_invoice', (item) => {
    const stageId = text(item.STAGE_ID);
    const categoryId = categoryOf(item);
    const stage = categoryId === null ? undefined : stages.get(categoryId)?.get(stageId);
    if (!stage) {
      throw new RowValueError(`stage ${JSON.stringify(stageId)} is not a stage of smart-invoice category ${categoryId ?? '(none)'}`);
    }
    const lines: InvoiceLine[] = (rowsOf.get(item.ID) ?? []).map((row) => productRowToLine(row));
    const { company, contacts } = resolvePayer(parties, idOrNull(item.COMPANY_ID), payerContactIds(item));
    return {
      kind: 'smart',
      id: item.ID,
      number: text(item.ACCOUNT_NUMBER),
      title: text(item.TITLE),
      stage,
      categoryId,
      currency: requireCurrency(item.CURRENCY_ID, 'CURRENCY_ID'),
      total: decimal(item.OPPORTUNITY, 'OPPORTUNITY'),
      taxTotal: decimal(item.TAX_VALUE, 'TAX_VALUE'),
      issueDate: dbDate(item.BEGINDATE),
      dueDate: dbDate(item.CLOSEDATE),
      updatedAt: dbDateTime(item.UPDATED_TIME),
      syncEnabled: syncFlag(item.UF_CRM_XERO_SYNC),
      xmlId: textOrNull(item.XML_ID),
      company,
      contacts,
      lines,
      comments: text(item.COMMENTS),
    };
  });
}
