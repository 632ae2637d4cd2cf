import { sql, type Kysely } from 'kysely';
import { naiveDateTime, priceProductRow, totalsOf, type FixtureInfo, type ProductRowSpec } from '../../../test/fixture/index.ts';
import { accountRateOf } from '../../../test/fixture/builders/context.ts';
import { toDecimal } from '../../../test/fixture/builders/money.ts';
import type { StateDb } from '../state/tables.ts';
import type { DemoInvoiceRef } from './demo-portal.ts';

/**
 * Acts as a manager saving a smart invoice in Bitrix, on the demo's fixture tables: the product rows re-priced the
 * way crm prices them, OPPORTUNITY and TAX_VALUE recomputed, UPDATED_TIME bumped, and the b_b24xero_change row the
 * module's OnCrmSmartInvoiceUpdate handler writes. (The daemon itself never writes b_crm_*: this is the demo playing
 * the Bitrix side.) Returns the new total.
 */
export async function editSmartInvoiceRows(db: Kysely<any>, info: FixtureInfo, ref: DemoInvoiceRef, rows: readonly ProductRowSpec[]): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const item = await trx.selectFrom('b_crm_dynamic_items_31').select(['CURRENCY_ID']).where('ID', '=', ref.id).executeTakeFirstOrThrow();
    const existing = await trx.selectFrom('b_crm_product_row').select(['ID'])
      .where('OWNER_TYPE', '=', 'SI').where('OWNER_ID', '=', ref.id).orderBy('SORT').orderBy('ID').execute();
    if (existing.length !== rows.length) throw new Error(`smart invoice ${ref.id} has ${existing.length} product rows, the edit gives ${rows.length}`);
    const rate = accountRateOf(String(item.CURRENCY_ID));
    const priced = rows.map((row) => priceProductRow({
      price: row.price, quantity: row.quantity ?? 1, taxRate: row.taxRate ?? null, taxIncluded: row.taxIncluded ?? false, discount: row.discount,
    }, info.crm));
    for (const [i, p] of priced.entries()) {
      await trx.updateTable('b_crm_product_row')
        .set({ ...p, PRICE_ACCOUNT: toDecimal(Number(p.PRICE) * rate, 8), PRODUCT_NAME: rows[i]!.name ?? `Item ${i + 1}` })
        .where('ID', '=', existing[i]!.ID).execute();
    }
    const totals = totalsOf(priced);
    await trx.updateTable('b_crm_dynamic_items_31')
      .set({
        OPPORTUNITY: totals.opportunity, TAX_VALUE: totals.taxValue,
        OPPORTUNITY_ACCOUNT: toDecimal(Number(totals.opportunity) * rate, 2), TAX_VALUE_ACCOUNT: toDecimal(Number(totals.taxValue) * rate, 2),
        // Bitrix writes server-local naive time; the demo's process plays the Bitrix server, as the fixture does.
        UPDATED_TIME: naiveDateTime(), UPDATED_BY: 1,
      })
      .where('ID', '=', ref.id).execute();
    await recordModuleChange(trx, ref.entityType, ref.id);
    return totals.opportunity;
  });
}

/** The row the module's event handler adds to the change feed on every add/update/delete it hears of. */
export async function recordModuleChange(db: Kysely<any>, entityType: 'smart_invoice' | 'legacy_invoice', entityId: number): Promise<void> {
  await (db as unknown as StateDb).insertInto('b_b24xero_change')
    .values({ ENTITY_TYPE: entityType, ENTITY_ID: entityId, ACTION: 'update', CREATED_AT: sql<string>`UTC_TIMESTAMP(3)` as unknown as string })
    .execute();
}
