import type { Kysely } from 'kysely';
import type { InvoiceKind, Stage } from '../domain/invoice.ts';
import { categoryFromStageId, loadLegacyStages, loadSmartStages } from './stages.ts';
import { type BitrixTables, bitrixDb } from './tables.ts';
import { decimalOrNull, idOrNull, text, textOrNull, uniqueIds } from './values.ts';

/** What the invoice pull needs of a Bitrix invoice: where it stands and the Xero fields it shows. */
export interface InvoicePullState {
  kind: InvoiceKind;
  id: number;
  /** Undefined when the invoice's stage is not in its stage list (a damaged or deleted stage). */
  stage: Stage | undefined;
  stageId: string;
  /** The stages it can move to: its category's (smart) or every invoice status (legacy), in SORT order. */
  stages: Stage[];
  categoryId: number | null;
  uf: { status: string | null; amountDue: number | null; url: string | null };
}

/**
 * Stage, category and UF_CRM_XERO_* of the given invoices, a fixed number of queries whatever their number. Ids that
 * no longer exist are left out. Read with selectAll: the module's UF columns exist only once it is installed.
 */
export async function readInvoicePullStates<DB extends BitrixTables>(
  anyDb: Kysely<DB>, kind: InvoiceKind, ids: readonly number[],
): Promise<Map<number, InvoicePullState>> {
  const db = bitrixDb(anyDb);
  const wanted = uniqueIds(ids);
  const out = new Map<number, InvoicePullState>();
  if (wanted.length === 0) return out;
  if (kind === 'smart') {
    const items = await db.selectFrom('b_crm_dynamic_items_31').selectAll().where('ID', 'in', wanted).execute();
    const categoryOf = (item: (typeof items)[number]) => idOrNull(item.CATEGORY_ID) ?? categoryFromStageId(text(item.STAGE_ID));
    const stages = await loadSmartStages(db, uniqueIds(items.map(categoryOf)));
    for (const item of items) {
      const categoryId = categoryOf(item);
      const list = [...(stages.get(categoryId ?? -1)?.values() ?? [])];
      const stageId = text(item.STAGE_ID);
      out.set(item.ID, {
        kind, id: item.ID, stageId, stage: list.find((s) => s.id === stageId), stages: list, categoryId,
        uf: ufOf(item as unknown as Record<string, unknown>),
      });
    }
    return out;
  }
  const [rows, ufRows, statuses] = await Promise.all([
    db.selectFrom('b_crm_invoice').select(['ID', 'STATUS_ID']).where('ID', 'in', wanted).execute(),
    db.selectFrom('b_uts_crm_invoice').selectAll().where('VALUE_ID', 'in', wanted).execute(),
    loadLegacyStages(db),
  ]);
  const uf = new Map(ufRows.map((row) => [row.VALUE_ID, row as unknown as Record<string, unknown>]));
  const list = [...statuses.values()];
  for (const row of rows) {
    const stageId = text(row.STATUS_ID);
    out.set(row.ID, { kind, id: row.ID, stageId, stage: statuses.get(stageId), stages: list, categoryId: null, uf: ufOf(uf.get(row.ID)) });
  }
  return out;
}

function ufOf(row: Record<string, unknown> | undefined): InvoicePullState['uf'] {
  return {
    status: textOrNull(row?.['UF_CRM_XERO_STATUS']),
    amountDue: row?.['UF_CRM_XERO_AMOUNT_DUE'] == null || row['UF_CRM_XERO_AMOUNT_DUE'] === '' ? null : decimalOrNull(row['UF_CRM_XERO_AMOUNT_DUE'], 'UF_CRM_XERO_AMOUNT_DUE'),
    url: textOrNull(row?.['UF_CRM_XERO_URL']),
  };
}
