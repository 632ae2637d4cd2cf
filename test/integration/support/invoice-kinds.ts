import { sql } from 'kysely';
import { buildSmartInvoice } from '../../fixture/builders/smart-invoice.ts';
import { buildLegacyInvoice } from '../../fixture/builders/legacy-invoice.ts';
import type { PushWorld } from './push-harness.ts';

export interface LineSpec { name: string; price: number; quantity?: number; taxRate?: number | null; productId?: number }

export interface InvoiceSpec {
  contactId?: number;
  companyId?: number;
  currency?: string;
  accountNumber?: string;
  lines: LineSpec[];
}

/** What the integration tests need to do with an invoice of either kind, so every behaviour is proved for both. */
export interface InvoiceKindAdapter {
  kind: 'smart' | 'legacy';
  entityType: 'smart_invoice' | 'legacy_invoice';
  /** The Bitrix key Xero's Reference starts with. */
  key(id: number): string;
  create(world: PushWorld, spec: InvoiceSpec): Promise<number>;
  /** A Bitrix edit: renames the first line and moves the due date; touches the modification time like Bitrix. */
  edit(world: PushWorld, id: number, change: { lineName: string; dueDate: string }): Promise<void>;
  /** Overwrites the invoice total (a manual total that no longer equals its rows). */
  setTotal(world: PushWorld, id: number, total: number): Promise<void>;
}

export const SMART: InvoiceKindAdapter = {
  kind: 'smart',
  entityType: 'smart_invoice',
  key: (id) => `B24-SI-${id}`,
  async create(world, spec) {
    const built = await buildSmartInvoice(world.db, world.info, {
      contactIds: spec.contactId ? [spec.contactId] : [],
      ...(spec.companyId !== undefined && { companyId: spec.companyId }),
      ...(spec.currency !== undefined && { currency: spec.currency }),
      ...(spec.accountNumber !== undefined && { accountNumber: spec.accountNumber }),
      rows: spec.lines.map((l) => ({ ...(l.productId !== undefined && { productId: l.productId }), name: l.name, price: l.price, quantity: l.quantity ?? 1, taxRate: l.taxRate === undefined ? 15 : l.taxRate, taxIncluded: false })),
    });
    return built.id;
  },
  async edit(world, id, change) {
    const first = await world.db.selectFrom('b_crm_product_row').select('ID').where('OWNER_TYPE', '=', 'SI').where('OWNER_ID', '=', id).orderBy('SORT').executeTakeFirstOrThrow();
    await world.db.updateTable('b_crm_product_row').set({ PRODUCT_NAME: change.lineName }).where('ID', '=', first.ID).execute();
    await sql`UPDATE b_crm_dynamic_items_31 SET CLOSEDATE = ${change.dueDate}, UPDATED_TIME = NOW() WHERE ID = ${id}`.execute(world.db);
  },
  async setTotal(world, id, total) {
    await sql`UPDATE b_crm_dynamic_items_31 SET OPPORTUNITY = ${total.toFixed(2)}, IS_MANUAL_OPPORTUNITY = 'Y', UPDATED_TIME = NOW() WHERE ID = ${id}`.execute(world.db);
  },
};

export const LEGACY: InvoiceKindAdapter = {
  kind: 'legacy',
  entityType: 'legacy_invoice',
  key: (id) => `B24-I-${id}`,
  async create(world, spec) {
    const built = await buildLegacyInvoice(world.db, {
      ...(spec.contactId !== undefined && { contactId: spec.contactId }),
      ...(spec.companyId !== undefined && { companyId: spec.companyId }),
      ...(spec.currency !== undefined && { currency: spec.currency }),
      ...(spec.accountNumber !== undefined && { accountNumber: spec.accountNumber }),
      lines: spec.lines.map((l) => ({ ...(l.productId !== undefined && { productId: l.productId }), name: l.name, price: l.price, quantity: l.quantity ?? 1, vatRate: l.taxRate === undefined ? 15 : l.taxRate, vatIncluded: false })),
    });
    return built.id;
  },
  async edit(world, id, change) {
    const first = await world.db.selectFrom('b_crm_invoice_basket').select('ID').where('ORDER_ID', '=', id).orderBy('SORT').executeTakeFirstOrThrow();
    await world.db.updateTable('b_crm_invoice_basket').set({ NAME: change.lineName }).where('ID', '=', first.ID).execute();
    await sql`UPDATE b_crm_invoice SET DATE_PAY_BEFORE = ${`${change.dueDate} 00:00:00`}, DATE_UPDATE = NOW() WHERE ID = ${id}`.execute(world.db);
  },
  async setTotal(world, id, total) {
    await sql`UPDATE b_crm_invoice SET PRICE = ${total.toFixed(4)}, DATE_UPDATE = NOW() WHERE ID = ${id}`.execute(world.db);
  },
};

export const KINDS = [SMART, LEGACY] as const;
