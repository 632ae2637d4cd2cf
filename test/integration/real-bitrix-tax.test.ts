import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCompany } from '../fixture/builders/company.ts';
import { buildContact } from '../fixture/builders/contact.ts';
import { buildLegacyInvoice } from '../fixture/builders/legacy-invoice.ts';
import { buildSmartInvoice } from '../fixture/builders/smart-invoice.ts';
import { createPushWorld, simInvoicesByKey, type PushWorld } from './support/push-harness.ts';

/**
 * An invoice the way a real crm 23.400 portal stores it — every items column NOT NULL ('' / 0), a row without tax
 * as TAX_RATE 0.00 with TAX_INCLUDED 'N' — syncs on a portal where no module option was ever saved.
 */
let world: PushWorld;

beforeAll(async () => {
  world = await createPushWorld('real_bitrix_tax', {}, {}, { crm: '23' });
});
afterAll(async () => {
  await world?.close();
});

describe('a crm 23.400 invoice with rows without tax, and no settings', () => {
  it('goes to Xero with the rows as No GST (NONE), beside a 15 % row, for both kinds', async () => {
    expect(await world.db.selectFrom('b_option').select('NAME').where('MODULE_ID', '=', 'b24xero.sync').where('NAME', '!=', 'start_date').execute()).toEqual([]);
    const person = (await buildContact(world.db, { name: 'Tane', lastName: 'Mahuta' })).contactId;
    const company = (await buildCompany(world.db, { title: 'Kauri Supplies', contacts: [person] })).companyId;
    const smart = await buildSmartInvoice(world.db, world.info, {
      companyId: company, contactIds: [person],
      rows: [
        { name: 'Consulting (no GST)', price: 200, quantity: 1, taxRate: 0, taxIncluded: false },
        { name: 'Widget', price: 100, quantity: 2, taxRate: 15, taxIncluded: false },
      ],
    });
    const legacy = await buildLegacyInvoice(world.db, {
      contactId: person,
      lines: [{ name: 'Delivery (no GST)', price: 50, quantity: 1, vatRate: 0, vatIncluded: false }],
    });
    const row = await world.db.selectFrom('b_crm_product_row').select(['TAX_RATE', 'TAX_INCLUDED']).where('OWNER_ID', '=', smart.id).orderBy('SORT').executeTakeFirstOrThrow();
    expect(row).toEqual({ TAX_RATE: '0.00', TAX_INCLUDED: 'N' });

    const result = await world.pass();
    expect(result.plan.filter((e) => e.action === 'error')).toEqual([]);
    expect(result.stats.created).toBe(2);
    const [xs] = simInvoicesByKey(world, `B24-SI-${smart.id}`);
    expect(xs!.LineItems.map((l) => l.TaxType)).toEqual(['NONE', 'OUTPUT2']);
    expect(xs!.Total).toBe(430);
    const [xl] = simInvoicesByKey(world, `B24-I-${legacy.id}`);
    expect(xl!.LineItems.map((l) => l.TaxType)).toEqual(['NONE']);
    expect(xl!.Total).toBe(50);
  });
});
