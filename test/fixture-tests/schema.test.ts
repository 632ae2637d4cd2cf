import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { createTestDb, type TestDb } from '../helpers/test-db.ts';
import { createBitrixSchema, SCAN_INDEXES, type FixtureInfo } from '../fixture/bitrix-schema.ts';

interface ColumnRow { TABLE_NAME: string; COLUMN_NAME: string; COLUMN_TYPE: string; IS_NULLABLE: string; COLUMN_DEFAULT: string | null }

async function columns(db: Kysely<any>, schema: string, table: string): Promise<Map<string, ColumnRow>> {
  const { rows } = await sql<ColumnRow>`
    SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT FROM information_schema.COLUMNS
    WHERE TABLE_SCHEMA = ${schema} AND TABLE_NAME = ${table}`.execute(db);
  return new Map(rows.map((r) => [r.COLUMN_NAME, r]));
}

/** Index name → ordered column list. */
async function indexes(db: Kysely<any>, schema: string, table: string): Promise<Map<string, string[]>> {
  const { rows } = await sql<{ INDEX_NAME: string; COLUMN_NAME: string }>`
    SELECT INDEX_NAME, COLUMN_NAME FROM information_schema.STATISTICS
    WHERE TABLE_SCHEMA = ${schema} AND TABLE_NAME = ${table} ORDER BY INDEX_NAME, SEQ_IN_INDEX`.execute(db);
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.INDEX_NAME, [...(out.get(r.INDEX_NAME) ?? []), r.COLUMN_NAME]);
  return out;
}

function leadingColumns(ix: Map<string, string[]>): string[] {
  return [...ix.values()].map((cols) => cols[0]!);
}

const TABLES = [
  'b_crm_dynamic_type', 'b_crm_item_category', 'b_crm_dynamic_items_31', 'b_crm_status', 'b_crm_entity_contact',
  'b_crm_entity_relation', 'b_crm_product_row', 'b_crm_contact', 'b_crm_company', 'b_crm_contact_company',
  'b_crm_field_multi', 'b_crm_requisite', 'b_crm_addr', 'b_uts_crm_contact', 'b_uts_crm_company', 'b_user_field',
  'b_user_field_lang', 'b_option', 'b_crm_invoice', 'b_crm_invoice_basket', 'b_crm_invoice_props_value',
  'b_uts_crm_invoice', 'b_iblock_element', 'b_catalog_product', 'b_catalog_price', 'b_catalog_vat', 'b_catalog_currency',
];

describe('Bitrix fixture schema', () => {
  let v23: TestDb;
  let v25: TestDb;
  let indexed: TestDb;
  let info23: FixtureInfo;
  let info25: FixtureInfo;

  beforeAll(async () => {
    [v23, v25, indexed] = await Promise.all([createTestDb('fx_schema23'), createTestDb('fx_schema25'), createTestDb('fx_schemaix')]);
    info23 = await createBitrixSchema(v23.db, { crm: '23' });
    info25 = await createBitrixSchema(v25.db);
    await createBitrixSchema(indexed.db, { scanIndexes: true, smartInvoiceCategoryId: 12 });
  });
  afterAll(async () => {
    await Promise.all([v23?.drop(), v25?.drop(), indexed?.drop()]);
  });

  it('creates every table of the issue in both crm variants', async () => {
    for (const t of [v23, v25]) {
      const { rows } = await sql<{ TABLE_NAME: string }>`
        SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ${t.name}`.execute(t.db);
      expect(rows.map((r) => r.TABLE_NAME).sort()).toEqual([...TABLES].sort());
    }
    expect(info23.crm).toBe('23');
    expect(info25.crm).toBe('25');
  });

  it('gives b_crm_product_row the crm 23.x types (DECIMAL(18,2), CHAR(3)) and the crm 25.x types (DECIMAL(26,8), VARCHAR(20))', async () => {
    const c23 = await columns(v23.db, v23.name, 'b_crm_product_row');
    const c25 = await columns(v25.db, v25.name, 'b_crm_product_row');
    for (const col of ['PRICE', 'PRICE_EXCLUSIVE', 'PRICE_NETTO', 'PRICE_BRUTTO', 'PRICE_ACCOUNT', 'DISCOUNT_SUM']) {
      expect(c23.get(col)?.COLUMN_TYPE, col).toBe('decimal(18,2)');
      expect(c25.get(col)?.COLUMN_TYPE, col).toBe('decimal(26,8)');
    }
    expect(c23.get('OWNER_TYPE')?.COLUMN_TYPE).toBe('char(3)');
    expect(c25.get('OWNER_TYPE')?.COLUMN_TYPE).toBe('varchar(20)');
    expect(c23.get('TAX_RATE')?.COLUMN_TYPE).toBe('decimal(18,2)');
    expect(c25.get('TAX_RATE')?.COLUMN_TYPE).toBe('decimal(18,4)');
    expect(c23.get('QUANTITY')?.COLUMN_TYPE).toBe('decimal(18,4)');
    expect(c25.get('QUANTITY')?.COLUMN_TYPE).toBe('decimal(18,4)');
  });

  it('widens ENTITY_TYPE_ID of addresses and requisites from TINYINT UNSIGNED in crm 23.x to INT in crm 25.x', async () => {
    for (const table of ['b_crm_addr', 'b_crm_requisite']) {
      expect((await columns(v23.db, v23.name, table)).get('ENTITY_TYPE_ID')?.COLUMN_TYPE).toMatch(/^tinyint(\(\d+\))? unsigned$/);
      expect((await columns(v25.db, v25.name, table)).get('ENTITY_TYPE_ID')?.COLUMN_TYPE).toMatch(/^int(\(\d+\))?$/);
    }
  });

  it('carries exactly the indexes crm creates on the tables the readers query, none invented', async () => {
    // Index names as in crm 25.1200 install/db/mysql/install.sql (reference S25); an extra index here would make a
    // reader look fast in tests and slow on a real portal.
    const expected: Record<string, string[]> = {
      b_crm_status: ['PRIMARY', 'IX_B_CRM_STATUS', 'IX_B_CRM_STATUS_2'],
      b_crm_entity_contact: ['PRIMARY', 'IX_B_CRM_ENTITY_CONTACT_1', 'IX_B_CRM_ENTITY_CONTACT_2', 'IX_B_CRM_ENTITY_CONTACT_3'],
      b_crm_entity_relation: ['PRIMARY', 'IX_B_CRM_ENT_REL_DST_ENT_ID'],
      b_crm_product_row: ['PRIMARY', 'IX_B_CRM_PROD_ROW_2', 'IX_B_CRM_PROD_PRODUCT'],
      b_crm_contact: ['PRIMARY', 'IX_CONTACT_LAST_NAME', 'IX_CONTACT_NAME', 'IX_CONTACT_FULL_NAME', 'IX_CONTACT_BDAY_2',
        'IX_CONTACT_BDATE_2', 'IX_CONTACT_COMPANY_2', 'IX_CONTACT_EMAIL_2', 'IX_CONTACT_COMM_2', 'IX_CONTACT_WFORM',
        'IX_CONTACT_FACE', 'IX_CONTACT_IMOL', 'IX_CONTACT_LEAD', 'IX_CONTACT_LAST_NAME_AND_NAME', 'IX_CONTACT_CATEGORY',
        'IX_CONTACT_LAST_ACTIVITY_TIME', 'IX_B_CRM_CONTACT_SEARCH'],
      b_crm_company: ['PRIMARY', 'IX_COMPANY_TITLE', 'IX_COMPANY_EMAIL_2', 'IX_COMPANY_COMM_2', 'IX_COMPANY_WFORM',
        'IX_COMPANY_IMOL', 'IX_COMPANY_LEAD', 'IX_B_CRM_COMPANY_1', 'IX_COMPANY_LAST_ACTIVITY_TIME', 'IX_B_CRM_COMPANY_SEARCH'],
      b_crm_contact_company: ['PRIMARY', 'IX_B_CRM_CONTACT_COMPANY_1', 'IX_B_CRM_CONTACT_COMPANY_2', 'IX_B_CRM_CONTACT_COMPANY_3'],
      b_crm_field_multi: ['PRIMARY', 'IX_B_CRM_FM_3', 'IX_B_CRM_FM_4', 'IX_B_CRM_FM_5', 'IX_B_CRM_FM_6'],
      b_crm_addr: ['PRIMARY', ...[1, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20].map((n) => `IX_B_CRM_ADDR_${n}`)],
      b_crm_requisite: ['PRIMARY', ...Array.from({ length: 48 }, (_, i) => `IX_B_CRM_REQUISITE_${i + 2}`)],
      b_crm_item_category: ['PRIMARY', 'IX_B_CRM_ITEM_CATEGORY_CODE', 'IX_B_CRM_ITEM_CATEGORY_ETD'],
      b_crm_dynamic_type: ['PRIMARY', 'ux_crm_type_table', 'ux_b_crm_dynamic_type_entity_type_id', 'IX_B_CRM_TYPE_CSI',
        'IX_B_CRM_TYPE_IS_INITIALIZED', 'IX_B_CRM_TYPE_CREATED_TIME'],
      b_crm_invoice_basket: ['PRIMARY', 'IXS_BASKET_LID', 'IXS_BASKET_USER_ID', 'IXS_BASKET_ORDER_ID', 'IXS_BASKET_PRODUCT_ID',
        'IXS_BASKET_PRODUCT_PRICE_ID', 'IXS_SBAS_XML_ID', 'IXS_BASKET_DATE_INSERT', 'IXS_BASKET_SET_PARENT_ID'],
      b_crm_invoice_props_value: ['PRIMARY', 'IX_SOPV_ORD_PROP_UNI', 'IX_SOPV_ORD_PROP_UNI_OLD'],
      b_crm_invoice: ['PRIMARY', 'IXS_ACCOUNT_NUMBER', 'IXS_ORDER_PERSON_TYPE_ID', 'IXS_ORDER_STATUS_ID', 'IXS_ORDER_REC_ID',
        'IX_SOO_AFFILIATE_ID', 'IXS_ORDER_UPDATED_1C', 'IXS_SALE_COUNT', 'IXS_DATE_UPDATE', 'IXS_XML_ID', 'IXS_ID_1C',
        'IX_BSO_DATE_ALLOW_DELIVERY', 'IX_BSO_ALLOW_DELIVERY', 'IX_BSO_DATE_CANCELED', 'IX_BSO_CANCELED', 'IX_BSO_DATE_PAYED',
        'IX_BSO_DATE_INSERT', 'IX_BSO_DATE_PAY_BEFORE', 'IX_B_CRM_INVOICE_SEARCH'],
    };
    for (const [table, names] of Object.entries(expected)) {
      expect([...(await indexes(v25.db, v25.name, table)).keys()].sort(), table).toEqual([...names].sort());
    }
    // crm 23.400 (measured on a real portal): the type registry has the plain ENTITY_TYPE_ID index instead of 25.x's
    // unique key and audit-column indexes, and requisites have no IX_B_CRM_REQUISITE_49 (PRESET_ID).
    expect([...(await indexes(v23.db, v23.name, 'b_crm_dynamic_type')).keys()].sort()).toEqual(['IX_B_CRM_TYPE_ETD', 'PRIMARY', 'ux_crm_type_table']);
    expect([...(await indexes(v23.db, v23.name, 'b_crm_requisite')).keys()].sort())
      .toEqual(['PRIMARY', ...Array.from({ length: 47 }, (_, i) => `IX_B_CRM_REQUISITE_${i + 2}`)].sort());
  });

  it('has no index on smart-invoice UPDATED_TIME nor on contact/company DATE_MODIFY by default', async () => {
    expect(leadingColumns(await indexes(v25.db, v25.name, 'b_crm_dynamic_items_31'))).not.toContain('UPDATED_TIME');
    expect(leadingColumns(await indexes(v25.db, v25.name, 'b_crm_contact'))).not.toContain('DATE_MODIFY');
    expect(leadingColumns(await indexes(v25.db, v25.name, 'b_crm_company'))).not.toContain('DATE_MODIFY');
    const items = await indexes(v25.db, v25.name, 'b_crm_dynamic_items_31');
    const typeId = info25.smartInvoiceTypeId;
    expect([...items.keys()].sort()).toEqual([
      'PRIMARY', `ix_crm_type_item_${typeId}_category`, `ix_crm_type_item_${typeId}_company`,
      `ix_crm_type_item_${typeId}_contact`, `ix_crm_type_item_${typeId}_last_activity_time`,
    ].sort());
  });

  it('adds the (UPDATED_TIME, ID) and (DATE_MODIFY, ID) indexes only when scanIndexes is set', async () => {
    for (const ix of Object.values(SCAN_INDEXES)) {
      const found = await indexes(indexed.db, indexed.name, ix.table);
      expect(found.get(ix.name)).toEqual([...ix.columns]);
      expect((await indexes(v25.db, v25.name, ix.table)).has(ix.name)).toBe(false);
    }
  });

  it('indexes legacy DATE_UPDATE and keeps ACCOUNT_NUMBER unique and XML_ID indexed, as crm does', async () => {
    const ix = await indexes(v25.db, v25.name, 'b_crm_invoice');
    expect(ix.get('IXS_DATE_UPDATE')).toEqual(['DATE_UPDATE']);
    expect(ix.get('IXS_XML_ID')).toEqual(['XML_ID']);
    const { rows } = await sql<{ NON_UNIQUE: number | string }>`
      SELECT NON_UNIQUE FROM information_schema.STATISTICS
      WHERE TABLE_SCHEMA = ${v25.name} AND TABLE_NAME = 'b_crm_invoice' AND INDEX_NAME = 'IXS_ACCOUNT_NUMBER'`.execute(v25.db);
    expect(Number(rows[0]?.NON_UNIQUE)).toBe(0);
  });

  it('puts the default smart-invoice category on an id other than 1, by auto-increment', async () => {
    expect(info25.smartInvoiceCategoryId).toBe(7);
    const cats = await v25.db.selectFrom('b_crm_item_category').selectAll().where('ENTITY_TYPE_ID', '=', 31).execute();
    expect(cats).toHaveLength(1);
    expect(Number(cats[0]!.ID)).toBe(7);
    expect(cats[0]!.IS_DEFAULT).toBe('Y');
    const other = await indexed.db.selectFrom('b_crm_item_category').select('ID').where('ENTITY_TYPE_ID', '=', 31).executeTakeFirstOrThrow();
    expect(Number(other.ID)).toBe(12);
    await expect(createBitrixSchema(v23.db, { smartInvoiceCategoryId: 1 })).rejects.toThrow(/from 2 to 10000/);
  });

  it('seeds the four default stages of that category with SORT 10..40 and semantics NULL, NULL, S, F', async () => {
    const rows = await v25.db.selectFrom('b_crm_status').select(['STATUS_ID', 'SORT', 'SEMANTICS', 'CATEGORY_ID', 'SYSTEM'])
      .where('ENTITY_ID', '=', 'SMART_INVOICE_STAGE_7').orderBy('SORT').execute();
    expect(rows.map((r) => [r.STATUS_ID, Number(r.SORT), r.SEMANTICS, Number(r.CATEGORY_ID)])).toEqual([
      ['DT31_7:N', 10, null, 7], ['DT31_7:S', 20, null, 7], ['DT31_7:P', 30, 'S', 7], ['DT31_7:D', 40, 'F', 7],
    ]);
    expect(info25.stages).toEqual({ new: 'DT31_7:N', sent: 'DT31_7:S', paid: 'DT31_7:P', declined: 'DT31_7:D' });
  });

  it('seeds legacy INVOICE_STATUS N, S, P, D with SORT 100, 110, 130, 140', async () => {
    const rows = await v25.db.selectFrom('b_crm_status').select(['STATUS_ID', 'SORT', 'SEMANTICS'])
      .where('ENTITY_ID', '=', 'INVOICE_STATUS').orderBy('SORT').execute();
    expect(rows.map((r) => [r.STATUS_ID, Number(r.SORT), r.SEMANTICS])).toEqual([
      ['N', 100, null], ['S', 110, null], ['P', 130, 'S'], ['D', 140, 'F'],
    ]);
  });

  it('seeds NZD as the base currency plus AUD, USD, GBP, EUR, and VAT rates', async () => {
    const cur = await v25.db.selectFrom('b_catalog_currency').select(['CURRENCY', 'BASE']).orderBy('SORT').execute();
    expect(cur.map((c) => c.CURRENCY)).toEqual(['NZD', 'AUD', 'USD', 'GBP', 'EUR']);
    expect(cur.filter((c) => c.BASE === 'Y').map((c) => c.CURRENCY)).toEqual(['NZD']);
    const vat = await v25.db.selectFrom('b_catalog_vat').select(['ID', 'RATE']).orderBy('ID').execute();
    expect(vat.map((v) => v.RATE)).toEqual(['15.00', '0.00', null]);
  });

  it('adds the module user fields as Bitrix does: columns on the items table and on b_uts_*, with metadata rows', async () => {
    const items = await columns(v25.db, v25.name, 'b_crm_dynamic_items_31');
    const uts = await columns(v25.db, v25.name, 'b_uts_crm_invoice');
    for (const c of [items, uts]) {
      // MySQL 8.0.19+ reports int without display width.
      expect(c.get('UF_CRM_XERO_SYNC')?.COLUMN_TYPE).toMatch(/^int(\(18\))?$/);
      expect(c.get('UF_CRM_XERO_SYNC')?.IS_NULLABLE).toBe('YES');
      expect(c.get('UF_CRM_XERO_STATUS')?.COLUMN_TYPE).toBe('text');
      expect(c.get('UF_CRM_XERO_URL')?.COLUMN_TYPE).toBe('text');
      expect(c.get('UF_CRM_XERO_AMOUNT_DUE')?.COLUMN_TYPE).toBe('double');
    }
    for (const f of ['UF_DEAL_ID', 'UF_QUOTE_ID', 'UF_COMPANY_ID', 'UF_CONTACT_ID', 'UF_MYCOMPANY_ID']) {
      expect(uts.get(f)?.COLUMN_TYPE, f).toMatch(/^int(\(18\))?$/);
    }
    expect((await columns(v25.db, v25.name, 'b_uts_crm_contact')).get('UF_CRM_XERO_ID')?.COLUMN_TYPE).toBe('text');
    expect((await columns(v25.db, v25.name, 'b_uts_crm_company')).get('UF_CRM_XERO_ID')?.COLUMN_TYPE).toBe('text');

    const sync = await v25.db.selectFrom('b_user_field').selectAll()
      .where('ENTITY_ID', '=', 'CRM_SMART_INVOICE').where('FIELD_NAME', '=', 'UF_CRM_XERO_SYNC').executeTakeFirstOrThrow();
    expect(sync.USER_TYPE_ID).toBe('boolean');
    expect(sync.SETTINGS).toBe('a:4:{s:13:"DEFAULT_VALUE";i:1;s:7:"DISPLAY";s:8:"CHECKBOX";s:5:"LABEL";a:2:{i:0;s:0:"";i:1;s:0:"";}s:14:"LABEL_CHECKBOX";s:0:"";}');
    const labels = await v25.db.selectFrom('b_user_field_lang').select(['LANGUAGE_ID', 'EDIT_FORM_LABEL'])
      .where('USER_FIELD_ID', '=', sync.ID).orderBy('LANGUAGE_ID').execute();
    expect(labels).toEqual([{ LANGUAGE_ID: 'en', EDIT_FORM_LABEL: 'Sync with Xero' }, { LANGUAGE_ID: 'ru', EDIT_FORM_LABEL: 'Синхронизировать с Xero' }]);
  });

  it('leaves the module fields out when the module is not installed', async () => {
    const t = await createTestDb('fx_nomodule');
    try {
      const info = await createBitrixSchema(t.db, { moduleInstalled: false });
      expect(info.moduleInstalled).toBe(false);
      const items = await columns(t.db, t.name, 'b_crm_dynamic_items_31');
      expect(items.has('UF_CRM_XERO_SYNC')).toBe(false);
      expect(items.has(info.foreignUfColumn)).toBe(true);
    } finally {
      await t.drop();
    }
  });

  it('makes every generated column of b_crm_dynamic_items_31 NOT NULL without a default, as crm 23.400 does', async () => {
    for (const v of [v25, v23]) {
      const items = await columns(v.db, v.name, 'b_crm_dynamic_items_31');
      const generated = [...items.keys()].filter((c) => !c.startsWith('UF_'));
      expect(generated).toHaveLength(34);
      for (const col of generated) {
        expect(items.get(col)?.IS_NULLABLE, col).toBe('NO');
        expect(items.get(col)?.COLUMN_DEFAULT ?? null, col).toBeNull();
      }
      // User-field columns are added NULL-able by main's UF engine.
      for (const col of ['UF_CRM_XERO_SYNC', 'UF_CRM_XERO_STATUS', 'UF_CRM_XERO_REFERENCE']) expect(items.get(col)?.IS_NULLABLE, col).toBe('YES');
    }
  });

  it('matches the other column differences measured on crm 23.400', async () => {
    for (const table of ['b_crm_contact', 'b_crm_company']) {
      const cols = await columns(v23.db, v23.name, table);
      for (const col of ['HAS_PHONE', 'HAS_EMAIL']) {
        expect(cols.get(col)?.IS_NULLABLE, `${table}.${col}`).toBe('YES');
        expect(String(cols.get(col)?.COLUMN_DEFAULT ?? 'NULL').toUpperCase(), `${table}.${col}`).toBe('NULL');
      }
    }
    const basket = await columns(v23.db, v23.name, 'b_crm_invoice_basket');
    for (const col of ['FUSER_ID', 'LID']) expect(basket.get(col)?.IS_NULLABLE, col).toBe('NO');
    for (const col of ['DEDUCTED', 'BARCODE_MULTI', 'RESERVE_QUANTITY', 'PRODUCT_PROVIDER_CLASS']) expect(basket.has(col), col).toBe(true);
  });
});
