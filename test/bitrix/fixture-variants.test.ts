import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLegacyInvoices } from '../../daemon/src/bitrix/legacy-invoices.ts';
import { readModuleOptionsRaw } from '../../daemon/src/bitrix/module-options.ts';
import { readCompanies, readContacts } from '../../daemon/src/bitrix/parties.ts';
import { listProductIds, readProducts } from '../../daemon/src/bitrix/products.ts';
import { scanChanged } from '../../daemon/src/bitrix/scan.ts';
import { readSmartInvoices } from '../../daemon/src/bitrix/smart-invoices.ts';
import { readStages } from '../../daemon/src/bitrix/stages.ts';
import type { DomainInvoice } from '../../daemon/src/domain/invoice.ts';
import { createBitrixSchema, type CrmVersion } from '../fixture/bitrix-schema.ts';
import { buildPortal, type BuiltPortal } from '../fixture/builders/portal.ts';
import { buildSmartInvoice } from '../fixture/builders/smart-invoice.ts';
import { createTestDb, type TestDb } from '../helpers/test-db.ts';

/**
 * The same generated portal (same seed) on a crm 23.x and a crm 25.x schema. The generations differ in column types
 * (product-row money DECIMAL(18,2) vs DECIMAL(26,8), OWNER_TYPE CHAR(3) vs VARCHAR(20), address/requisite entity types
 * TINYINT vs INT), so the readers must produce the same domain objects from both — to the cent, since crm 23 stores
 * the derived product-row prices rounded to 2 decimals.
 */
const portals = {} as Record<CrmVersion, { t: TestDb; portal: BuiltPortal }>;

beforeAll(async () => {
  for (const crm of ['23', '25'] as const) {
    const t = await createTestDb(`variants_${crm}`);
    const info = await createBitrixSchema(t.db, { crm, smartInvoiceCategoryId: 3 });
    portals[crm] = { t, portal: await buildPortal(t.db, info, { seed: 7, smartInvoices: 20, legacyInvoices: 6 }) };
  }
});
afterAll(async () => {
  await Promise.all(Object.values(portals).map((p) => p.t.drop()));
});

/**
 * Paths where two read results differ: numbers may differ by at most a cent (crm 23 stores every derived product-row
 * price, and so the totals Bitrix computes from them, rounded to 2 decimals), everything else must be equal.
 */
function differences(a: unknown, b: unknown, path = '$'): string[] {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= 0.0100001 ? [] : [`${path}: ${a} vs ${b}`];
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return [`${path}: ${a.length} items vs ${b.length}`];
    return a.flatMap((x, i) => differences(x, b[i], `${path}[${i}]`));
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((k) => differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`));
  }
  return Object.is(a, b) ? [] : [`${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`];
}

function stripTotals(invoice: DomainInvoice) {
  const { total: _t, taxTotal: _x, lines, ...rest } = invoice;
  return { ...rest, lines: lines.map(({ totalInclTax: _l, ...line }) => line) };
}

async function readAll(crm: CrmVersion) {
  const { t, portal } = portals[crm];
  const smart = await readSmartInvoices(t.db, portal.smartInvoiceIds);
  const legacy = await readLegacyInvoices(t.db, portal.legacyInvoiceIds);
  const contacts = await readContacts(t.db, portal.contactIds);
  const companies = await readCompanies(t.db, portal.companyIds);
  const products = await readProducts(t.db, portal.productIds);
  const stages = await readStages(t.db);
  const options = await readModuleOptionsRaw(t.db);
  const scanned: number[] = [];
  for await (const page of scanChanged(t.db, 'smart_invoice', null, { limit: 7 })) scanned.push(...page.ids);
  return { smart, legacy, contacts, companies, products, stages, options, scanned };
}

describe('crm 23.x and 25.x portals', () => {
  it('read into the same domain objects', async () => {
    const v23 = await readAll('23');
    const v25 = await readAll('25');
    expect(v25.smart.problems).toEqual([]);
    expect(v25.legacy.problems).toEqual([]);
    expect(v25.smart.invoices).toHaveLength(20);
    expect(v25.legacy.invoices).toHaveLength(6);
    // Per-unit amounts differ by at most the cent crm 23 rounds to; amounts multiplied by quantities (line totals and
    // the invoice totals Bitrix sums from them) by at most a cent per unit.
    const withoutTotals = (r: typeof v23) => ({
      ...r,
      smart: { ...r.smart, invoices: r.smart.invoices.map(stripTotals) },
      legacy: { ...r.legacy, invoices: r.legacy.invoices.map(stripTotals) },
    });
    expect(differences(withoutTotals(v23), withoutTotals(v25))).toEqual([]);
    for (const kind of ['smart', 'legacy'] as const) {
      v23[kind].invoices.forEach((a, i) => {
        const b = v25[kind].invoices[i]!;
        const units = a.lines.reduce((n, l) => n + Math.max(1, l.quantity), 0);
        expect(Math.abs(a.total - b.total)).toBeLessThanOrEqual(0.01 * units + 1e-9);
        expect(Math.abs(a.taxTotal - b.taxTotal)).toBeLessThanOrEqual(0.01 * units + 1e-9);
        a.lines.forEach((l, j) => expect(Math.abs(l.totalInclTax - b.lines[j]!.totalInclTax)).toBeLessThanOrEqual(0.01 * Math.max(1, l.quantity) + 1e-9));
      });
    }
    // The comparison is not vacuous: a changed cent-and-a-half is caught.
    expect(differences({ x: [1.5] }, { x: [1.515] })).toEqual(['$.x[0]: 1.5 vs 1.515']);
  });

  it('read exactly alike when the amounts are whole cents, as most hand-entered prices are', async () => {
    const read = async (crm: CrmVersion) => {
      const { t, portal } = portals[crm];
      const built = await buildSmartInvoice(t.db, portal.info, {
        companyId: portal.companyIds[0], contactIds: portal.contactIds.slice(0, 2), currency: 'GBP', updatedTime: '2025-03-20 10:00:00',
        rows: [
          { name: 'Excl', price: 100, quantity: 3, taxRate: 15, discount: { type: 'percent', rate: 10 } },
          { name: 'Incl', price: 230, taxRate: 15, taxIncluded: true, discount: { type: 'amount', perUnit: 23 } },
          { name: 'No tax', price: 12.34, quantity: 2, taxRate: null },
        ],
      });
      return readSmartInvoices(t.db, [built.id]);
    };
    const [a, b] = [await read('23'), await read('25')];
    expect(a.problems).toEqual([]);
    expect(a).toEqual(b);
    expect(a.invoices[0]!.total).toBe(310.5 + 207 + 24.68);
  });

  it('lists every smart invoice exactly once in a scan pass, whatever the crm version', async () => {
    for (const crm of ['23', '25'] as const) {
      const { scanned } = await readAll(crm);
      const all = await portals[crm].t.db.selectFrom('b_crm_dynamic_items_31').select('ID').orderBy('ID').execute();
      expect(all.length).toBeGreaterThanOrEqual(20);
      expect([...scanned].sort((a, b) => a - b)).toEqual(all.map((r) => r.ID));
    }
  });

  it('read the generated variety: several currencies, discounts of both kinds, tax included and excluded, custom stages', async () => {
    const { smart, legacy } = await readAll('23');
    const lines = smart.invoices.flatMap((i) => i.lines);
    expect(new Set(smart.invoices.map((i) => i.currency)).size).toBeGreaterThan(2);
    expect(new Set(lines.map((l) => l.discountType))).toEqual(new Set(['none', 'percent', 'amount']));
    expect(new Set(lines.map((l) => l.taxIncluded))).toEqual(new Set([true, false]));
    expect(smart.invoices.some((i) => i.stage.id === portals['23'].portal.approvalStageId)).toBe(true);
    expect(new Set(smart.invoices.map((i) => i.stage.semantics))).toEqual(new Set(['process', 'success', 'failure']));
    expect(smart.invoices.some((i) => i.company && i.company.contacts.length > 1)).toBe(true);
    expect(legacy.invoices.some((i) => i.stage.id === 'A' && i.stage.semantics === 'process')).toBe(true);
    // Every line's stored total agrees with its own price terms.
    for (const l of lines) {
      const net = (l.unitPrice - l.discountPerUnit) * l.quantity;
      const gross = l.taxIncluded ? net : net * (1 + (l.taxRate ?? 0) / 100);
      expect(Math.abs(gross - l.totalInclTax)).toBeLessThan(0.02 * Math.max(1, l.quantity));
    }
  });
});

describe('catalog, stage and option readers', () => {
  it('lists catalog products by keyset and reads their base price and VAT', async () => {
    const { t, portal } = portals['25'];
    const first = await listProductIds(t.db, { limit: 3 });
    const rest = await listProductIds(t.db, { afterId: first[first.length - 1]!, limit: 100 });
    expect([...first, ...rest]).toEqual(portal.productIds);
    const { products, problems } = await readProducts(t.db, [portal.productIds[0]!, 987654]);
    expect(problems).toEqual([]);
    expect(products).toEqual([{
      id: portal.productIds[0], name: 'Consulting hour', xmlId: String(portal.productIds[0]), code: '', active: true,
      price: 150, currency: 'NZD', vatRate: 15, vatIncluded: true, description: '',
    }]);
    expect((await readProducts(t.db, [portal.productIds[1]!])).products[0]).toMatchObject({ vatIncluded: false, price: 49.9 });
  });

  it('lists smart-invoice stages of every category and the legacy statuses with their semantics', async () => {
    const { t, portal } = portals['25'];
    const stages = await readStages(t.db);
    expect(stages.smart).toHaveLength(1);
    expect(stages.smart[0]).toMatchObject({ categoryId: 3, name: 'Invoices', isDefault: true });
    expect(stages.smart[0]!.stages.map((s) => [s.id, s.semantics])).toEqual([
      ['DT31_3:N', 'process'], ['DT31_3:S', 'process'], [portal.approvalStageId, 'process'], ['DT31_3:P', 'success'], ['DT31_3:D', 'failure'],
    ]);
    expect(stages.legacy.map((s) => [s.id, s.semantics])).toEqual([
      ['N', 'process'], ['S', 'process'], ['A', 'process'], ['P', 'success'], ['D', 'failure'],
    ]);
  });

  it('reads the module options as raw strings', async () => {
    const { t, portal } = portals['25'];
    // Another module's option of the same name is not ours.
    await t.db.insertInto('b_option').values({ MODULE_ID: 'main', NAME: 'default_sales_account', VALUE: 'x', DESCRIPTION: null, SITE_ID: null }).execute();
    const options = await readModuleOptionsRaw(t.db);
    expect(options).toMatchObject({ default_sales_account: '200', invoice_kinds: '["smart","legacy"]' });
    expect(JSON.parse(options['status_map']!)).toEqual({ pull: { smart: { PAID: 'DT31_3:P', AUTHORISED: portal.approvalStageId } } });
  });
});
