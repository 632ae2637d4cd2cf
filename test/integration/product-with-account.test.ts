import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setModuleOption } from '../fixture/builders/module-options.ts';
import { buildProduct } from '../fixture/builders/product.ts';
import { createPushWorld, linkOf, type PushWorld } from './support/push-harness.ts';

/** What the module's "Add product" form leaves behind: a new catalog product, its change-feed row, its own account code. */
async function changeRow(world: PushWorld, productId: number): Promise<void> {
  await world.db.insertInto('b_b24xero_change')
    .values({ ENTITY_TYPE: 'product', ENTITY_ID: productId, ACTION: 'update', CREATED_AT: '2026-12-04 03:00:00.000', CLAIMED_BY: null, CLAIMED_UNTIL: null })
    .execute();
}

describe('a product given its own sales account becomes a Xero Item at the next pass', () => {
  let world: PushWorld;
  beforeAll(async () => { world = await createPushWorld('product_account'); });
  afterAll(async () => { await world?.close(); });

  it('creates the Item of a changed product that has a per-product account, with that account', async () => {
    const { productId } = await buildProduct(world.db, { name: 'Pruning, hour', price: 80, code: 'PRUNE', vatId: world.info.vat.gst15, vatIncluded: false });
    await setModuleOption(world.db, 'product_accounts', JSON.stringify({ [productId]: '260' }));
    await changeRow(world, productId);
    const result = await world.pass();
    expect(result.stats.itemsPushed).toBe(1);
    expect(await linkOf(world, 'product', productId)).toMatchObject({ STATE: 'synced', XERO_NUMBER: 'PRUNE' });
    const res = await world.xero.accountingApi.getItems(world.tenantId, undefined, 'Code=="PRUNE"');
    expect(res.body.items?.[0]?.salesDetails).toMatchObject({ unitPrice: 80, accountCode: '260' });
  });

  it('still leaves a changed product without its own account alone until an invoice needs it', async () => {
    const { productId } = await buildProduct(world.db, { name: 'Mulch, bag', price: 12, code: 'MULCH' });
    await changeRow(world, productId);
    const result = await world.pass();
    expect(result.stats.itemsPushed).toBe(0);
    expect(await linkOf(world, 'product', productId)).toBeUndefined();
  });
});
