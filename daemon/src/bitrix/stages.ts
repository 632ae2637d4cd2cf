import type { Kysely } from 'kysely';
import type { Stage, StageSemantics } from '../domain/invoice.ts';
import { type BitrixTables, type StatusTable, bitrixDb } from './tables.ts';
import { idOrNull, int, text } from './values.ts';

export const LEGACY_STATUS_ENTITY = 'INVOICE_STATUS';
const SMART_STAGE_ENTITY_PREFIX = 'SMART_INVOICE_STAGE_';

/** b_crm_status ENTITY_ID of the smart-invoice stages of one category (reference §2.4). */
export function smartStageEntityId(categoryId: number): string {
  return `${SMART_STAGE_ENTITY_PREFIX}${categoryId}`;
}

/** 'DT31_7:P' → 7: the category a stage id belongs to, for items whose CATEGORY_ID is missing (0 / NULL). */
export function categoryFromStageId(stageId: string): number | null {
  const m = /^DT31_(\d+):/.exec(stageId);
  return m ? idOrNull(m[1]) : null;
}

/** Smart invoices: SEMANTICS 'S' success, 'F' failure, anything else process (crm Service\Factory::getStageSemantics). */
export function smartSemantics(semantics: string | null): StageSemantics {
  const s = text(semantics).toUpperCase();
  if (s === 'S') return 'success';
  if (s === 'F') return 'failure';
  return 'process';
}

type StatusRow = Pick<StatusTable, 'ENTITY_ID' | 'STATUS_ID' | 'NAME' | 'SORT' | 'SEMANTICS' | 'CATEGORY_ID'>;

function toStage(row: StatusRow, semantics: StageSemantics): Stage {
  return { id: row.STATUS_ID, name: text(row.NAME) || row.STATUS_ID, semantics, sort: int(row.SORT) };
}

/**
 * Legacy invoices decide paid/refused by SORT, not by SEMANTICS (CCrmInvoice::SetStatus, reference §1.6): a status
 * sorted at or after 'D' is a failure, at or after 'P' a success, anything before a process status. So a custom status
 * placed between P and D counts as paid. When P or D is missing (a damaged list) the SEMANTICS column decides.
 */
export function legacyStages(rows: readonly StatusRow[]): Stage[] {
  const sortOf = (id: string) => rows.find((r) => r.STATUS_ID === id)?.SORT;
  const paid = sortOf('P');
  const refused = sortOf('D');
  return [...rows]
    .sort((a, b) => int(a.SORT) - int(b.SORT) || a.STATUS_ID.localeCompare(b.STATUS_ID))
    .map((row) => {
      const sort = int(row.SORT);
      let semantics: StageSemantics;
      if (paid === undefined || refused === undefined) semantics = smartSemantics(row.SEMANTICS);
      else if (sort >= int(refused)) semantics = 'failure';
      else if (sort >= int(paid)) semantics = 'success';
      else semantics = 'process';
      return toStage(row, semantics);
    });
}

const STATUS_COLUMNS = ['ENTITY_ID', 'STATUS_ID', 'NAME', 'SORT', 'SEMANTICS', 'CATEGORY_ID'] as const;

/** Smart-invoice stages of the given categories: categoryId → stage id → Stage. One query. */
export async function loadSmartStages<DB extends BitrixTables>(
  anyDb: Kysely<DB>,
  categoryIds: readonly number[],
): Promise<Map<number, Map<string, Stage>>> {
  const db = bitrixDb(anyDb);
  const result = new Map<number, Map<string, Stage>>();
  if (categoryIds.length === 0) return result;
  const rows = await db.selectFrom('b_crm_status').select(STATUS_COLUMNS)
    .where('ENTITY_ID', 'in', categoryIds.map(smartStageEntityId))
    .orderBy('SORT').orderBy('ID')
    .execute();
  for (const row of rows) {
    const categoryId = Number(row.ENTITY_ID.slice(SMART_STAGE_ENTITY_PREFIX.length));
    let stages = result.get(categoryId);
    if (!stages) result.set(categoryId, (stages = new Map()));
    stages.set(row.STATUS_ID, toStage(row, smartSemantics(row.SEMANTICS)));
  }
  return result;
}

/** Legacy invoice statuses by id. One query. */
export async function loadLegacyStages<DB extends BitrixTables>(anyDb: Kysely<DB>): Promise<Map<string, Stage>> {
  const db = bitrixDb(anyDb);
  const rows = await db.selectFrom('b_crm_status').select(STATUS_COLUMNS)
    .where('ENTITY_ID', '=', LEGACY_STATUS_ENTITY)
    .orderBy('SORT').orderBy('ID')
    .execute();
  return new Map(legacyStages(rows).map((stage) => [stage.id, stage]));
}

export interface SmartCategoryStages {
  categoryId: number;
  /** b_crm_item_category.NAME, '' when unnamed or when the category row is missing. */
  name: string;
  isDefault: boolean;
  stages: Stage[];
}

export interface AllStages {
  smart: SmartCategoryStages[];
  legacy: Stage[];
}

/**
 * Every stage the status map can refer to: smart-invoice stages per category (from the stage lists themselves, so a
 * category row that was deleted but still has stages is listed too) and the legacy invoice statuses.
 */
export async function readStages<DB extends BitrixTables>(anyDb: Kysely<DB>): Promise<AllStages> {
  const db = bitrixDb(anyDb);
  const [rows, categories, legacy] = await Promise.all([
    db.selectFrom('b_crm_status').select(STATUS_COLUMNS)
      .where('ENTITY_ID', 'like', `${SMART_STAGE_ENTITY_PREFIX}%`)
      .orderBy('ENTITY_ID').orderBy('SORT').orderBy('ID')
      .execute(),
    db.selectFrom('b_crm_item_category').select(['ID', 'NAME', 'IS_DEFAULT'])
      .where('ENTITY_TYPE_ID', '=', 31)
      .execute(),
    loadLegacyStages(db),
  ]);
  const byCategory = new Map<number, SmartCategoryStages>();
  for (const row of rows) {
    const categoryId = idOrNull(row.ENTITY_ID.slice(SMART_STAGE_ENTITY_PREFIX.length));
    if (categoryId === null) continue;
    let entry = byCategory.get(categoryId);
    if (!entry) {
      const category = categories.find((c) => c.ID === categoryId);
      entry = { categoryId, name: text(category?.NAME), isDefault: text(category?.IS_DEFAULT) === 'Y', stages: [] };
      byCategory.set(categoryId, entry);
    }
    entry.stages.push(toStage(row, smartSemantics(row.SEMANTICS)));
  }
  const smart = [...byCategory.values()].sort((a, b) => a.categoryId - b.categoryId);
  return { smart, legacy: [...legacy.values()] };
}
