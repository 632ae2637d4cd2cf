import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildContact } from '../fixture/builders/contact.ts';
import { buildSmartInvoice } from '../fixture/builders/smart-invoice.ts';
import { apiWrites, createPushWorld, errorsOf, lastSeq, linkOf, simInvoicesByKey, simState, type PushWorld } from './support/push-harness.ts';
import { SMART } from './support/invoice-kinds.ts';

/**
 * Invoice numbers that cannot collide (issue 10 item 3), on an organisation that already holds INV-0001…INV-0500
 * (Xero's own sequence) and INV-1…INV-50 (an earlier system's): Bitrix's INV-1…INV-60 are all created, the ten free
 * numbers kept, the fifty taken ones numbered by Xero with the Bitrix number in the Reference; nothing fails, nothing
 * is duplicated, and a later edit of a renumbered draft updates it without touching its number.
 */
let world: PushWorld;
const ids = new Map<number, number>();

beforeAll(async () => {
  world = await createPushWorld('invoice_numbers');
  const line = [{ Description: 'history', Quantity: 1, UnitAmount: 10, AccountCode: '200' }];
  for (let n = 1; n <= 500; n++) world.sim.tenantAdmin(world.tenantId, 'invoices', 'POST', { Type: 'ACCREC', Contact: { Name: 'Old Customer' }, LineItems: line });
  for (let n = 1; n <= 50; n++) world.sim.tenantAdmin(world.tenantId, 'invoices', 'POST', { Type: 'ACCREC', Contact: { Name: 'Old Customer' }, InvoiceNumber: `INV-${n}`, LineItems: line });
  const payer = (await buildContact(world.db, { name: 'Nora', lastName: 'Numbers' })).contactId;
  for (let n = 1; n <= 60; n++) {
    ids.set(n, (await buildSmartInvoice(world.db, world.info, { contactIds: [payer], accountNumber: `INV-${n}`, rows: [{ name: `Work ${n}`, price: 100 + n, taxRate: 15 }] })).id);
  }
}, 120_000);
afterAll(async () => {
  await world?.close();
});

describe('invoice numbers on an organisation with history', () => {
  it('creates all sixty: free numbers kept, taken ones numbered by Xero, the Bitrix number in the Reference', async () => {
    expect(simState(world).invoices.filter((i) => /^INV-0\d{3}$/.test(i.Number))).toHaveLength(500);
    const since = lastSeq(world);
    const result = await world.pass();
    expect(result.stats).toMatchObject({ created: 60, failed: 0 });
    // Two batches of the sixty, then one batch of the fifty Xero refused.
    expect(apiWrites(world, '/Invoices', since).filter((w) => w.method === 'PUT')).toHaveLength(3);
    const numbers = simState(world).invoices.filter((i) => i.Kind === 'INVOICE').map((i) => i.Number);
    expect(new Set(numbers).size).toBe(numbers.length);
    for (const [n, id] of ids) {
      const [inv] = simInvoicesByKey(world, `B24-SI-${id}`);
      expect(inv, `INV-${n}`).toBeDefined();
      expect(inv!.Reference).toBe(`B24-SI-${id} (INV-${n})`);
      if (n > 50) {
        expect(inv!.Number).toBe(`INV-${n}`);
        expect(await errorsOf(world, 'smart_invoice', id)).toEqual([]);
      } else {
        expect(inv!.Number).toMatch(/^INV-0(5\d\d|6\d\d)$/);
        expect((await errorsOf(world, 'smart_invoice', id)).map((e) => e.CODE)).toEqual(['invoice_renumbered']);
      }
      expect((await linkOf(world, 'smart_invoice', id))?.XERO_NUMBER).toBe(inv!.Number);
    }
  });

  it('a second pass sends nothing, and an edit of a renumbered draft updates it keeping Xero’s number', async () => {
    let since = lastSeq(world);
    const idle = await world.pass();
    expect(idle.stats).toMatchObject({ created: 0, updated: 0, failed: 0 });
    expect(apiWrites(world, undefined, since)).toEqual([]);

    const id = ids.get(7)!;
    const before = simInvoicesByKey(world, `B24-SI-${id}`)[0]!;
    await SMART.edit(world, id, { lineName: 'Work 7, revised', dueDate: '2031-01-31' });
    since = lastSeq(world);
    const result = await world.pass();
    expect(result.stats).toMatchObject({ updated: 1, failed: 0 });
    const after = simInvoicesByKey(world, `B24-SI-${id}`)[0]!;
    expect(after.Number).toBe(before.Number);
    expect(after.LineItems[0]!.Description).toBe('Work 7, revised');
  });
});
