import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProduct } from '../fixture/builders/product.ts';
import { apiWrites, createPushWorld, lastSeq, linkOf, type PushWorld } from './support/push-harness.ts';

/** Items in the simulator's books, read through xero-node (GET /Items). */
async function xeroItemCodes(world: PushWorld): Promise<string[]> {
  const res = await world.xero.accountingApi.getItems(world.tenantId);
  return (res.body.items ?? []).map((i) => i.code!).sort();
}

describe('products become Xero Items: those used on invoices always, all of them on request', () => {
  let world: PushWorld;
  let unused: number;
  let another: number;
  beforeAll(async () => {
    world = await createPushWorld('all_products');
    unused = (await buildProduct(world.db, { name: 'Site survey', price: 450, code: 'SURVEY', vatId: world.info.vat.gst15, vatIncluded: false })).productId;
    another = (await buildProduct(world.db, { name: 'Annual licence', price: 1200, code: 'LIC-YEAR', vatId: world.info.vat.gst15, vatIncluded: true })).productId;
  });
  afterAll(async () => { await world?.close(); });

  it('leaves catalog products that no invoice uses alone in an ordinary pass', async () => {
    await world.pass();
    expect(await xeroItemCodes(world)).toEqual([]);
    expect(await linkOf(world, 'product', unused)).toBeUndefined();
  });

  it('creates an Item for every catalog product when asked, with its sales price, account code and tax type', async () => {
    const result = await world.pass({ allProducts: true });
    expect(result.stats.itemsPushed).toBe(2);
    expect(await xeroItemCodes(world)).toEqual(['LIC-YEAR', 'SURVEY']);
    const res = await world.xero.accountingApi.getItems(world.tenantId, undefined, 'Code=="SURVEY"');
    expect(res.body.items?.[0]?.salesDetails).toMatchObject({ unitPrice: 450, accountCode: '200', taxType: 'OUTPUT2' });
    expect(await linkOf(world, 'product', another)).toMatchObject({ STATE: 'synced', XERO_NUMBER: 'LIC-YEAR' });
  });

  it('sends nothing again when asked a second time and nothing changed', async () => {
    const since = lastSeq(world);
    const result = await world.pass({ allProducts: true });
    expect(result.stats.itemsPushed).toBe(0);
    expect(apiWrites(world, '/Items', since)).toHaveLength(0);
  });
});
