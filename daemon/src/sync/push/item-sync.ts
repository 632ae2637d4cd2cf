import { listProductIds, readProducts } from '../../bitrix/products.ts';
import { markLinkSynced, recordCreateIntent } from '../../state/links.ts';
import type { Item } from '../../xero/index.ts';
import { classifyXeroValidation, diffPayload, planItem, type ItemPlan } from '../plan/index.ts';
import { batchKey, fromState, intentKey } from './idempotency-keys.ts';
import { linksOf, withdrawIntent } from './link-queries.ts';
import { chunk } from '../../util/chunk.ts';
import type { PushContext } from './push-context.ts';
import { clearFailure, errorOf, recordFailure } from './record-failure.ts';
import { stopIfTenantWide } from './tenant-outage.ts';

const BATCH = 50;

/**
 * Xero Items for the catalog products used on the invoices being pushed (and for products changed in Bitrix when
 * `refresh` is set): product id → Item code, for the lines' ItemCode. A product already linked is not read again
 * unless refreshed. Items go through POST /Items, which Xero matches by Code — so a repeated create after a crash
 * updates the same Item instead of adding a second (the intent row is still written first, like every create).
 * A product that cannot become an Item is recorded and its lines simply go without ItemCode.
 */
export async function syncItems(ctx: PushContext, productIds: readonly number[], options: { refresh?: boolean } = {}): Promise<Map<number, string>> {
  const codes = new Map<number, string>();
  const ids = [...new Set(productIds)];
  if (ids.length === 0) return codes;
  const links = await linksOf(ctx.state, 'product', ids);
  const todo: number[] = [];
  for (const id of ids) {
    const link = links.get(id);
    if (link?.STATE === 'synced' && link.XERO_NUMBER && !options.refresh) codes.set(id, link.XERO_NUMBER);
    else todo.push(id);
  }
  if (todo.length === 0) return codes;

  const org = await ctx.org();
  const page = await readProducts(ctx.db, todo);
  for (const problem of page.problems) {
    await recordFailure(ctx, 'product', problem.id, 'read', { code: 'read_failed', message: problem.message, class: 'needs_person' });
  }
  const plans: Array<{ id: number; plan: ItemPlan }> = [];
  for (const product of page.products) {
    const plan = planItem(product, { org, settings: ctx.settings });
    ctx.stats.warnings += plan.warnings.length;
    const link = links.get(product.id);
    if (link?.STATE === 'synced' && link.CONTENT_HASH === plan.hash && link.XERO_NUMBER) codes.set(product.id, link.XERO_NUMBER);
    else plans.push({ id: product.id, plan });
  }
  if (ctx.dryRun) {
    for (const { id, plan } of plans) {
      codes.set(id, plan.payload.code);
      ctx.note({ entity: 'product', id, action: links.has(id) ? 'update' : 'create', changes: diffPayload(null, plan.payload) });
    }
    return codes;
  }
  for (const batch of chunk(plans, BATCH)) {
    for (const { id, plan } of batch) {
      await recordCreateIntent(ctx.state, {
        entityType: 'product', entityId: id, idempotencyKey: intentKey(ctx.instance, 'product', id, plan.hash),
        contentHash: plan.hash, tenantId: ctx.tenantId,
      });
    }
    const key = batchKey(ctx.instance, 'items', batch.map(({ id, plan }) => `product:${id}:${fromState(links.get(id))}:${plan.hash}`));
    let outcome;
    try {
      outcome = await ctx.gateway.updateItems(batch.map(({ plan }) => plan.payload as unknown as Item), { idempotencyKey: key });
    } catch (error) {
      stopIfTenantWide(error);
      for (const { id } of batch) await recordFailure(ctx, 'product', id, 'push', errorOf(error));
      continue;
    }
    for (const element of outcome.elements) {
      const { id, plan } = batch[element.index]!;
      if (element.ok && element.value.itemID) {
        await markLinkSynced(ctx.state, { entityType: 'product', entityId: id }, {
          xeroId: element.value.itemID, contentHash: plan.hash, xeroNumber: plan.payload.code, tenantId: ctx.tenantId,
        });
        await clearFailure(ctx, 'product', id, 'push');
        codes.set(id, plan.payload.code);
        ctx.pushedItems.set(plan.payload.code, { code: plan.payload.code, itemID: element.value.itemID, name: plan.payload.name });
        ctx.stats.itemsPushed++;
      } else {
        await withdrawIntent(ctx.state, 'product', id);
        const failure = element.ok ? { code: 'no_id', message: 'Xero returned no ItemID', class: 'retry' as const } : classifyXeroValidation(element.error.messages);
        await recordFailure(ctx, 'product', id, 'push', failure);
      }
    }
  }
  return codes;
}

/**
 * Every catalog product as a Xero Item (`sync --once --all-products`): pages through the catalog; a product whose
 * Item is already in Xero with the same content costs a read, no API call.
 */
export async function syncAllItems(ctx: PushContext, pageSize = 500): Promise<void> {
  for (let afterId = 0; ;) {
    const ids = await listProductIds(ctx.db, { afterId, limit: pageSize });
    if (ids.length === 0) return;
    await syncItems(ctx, ids, { refresh: true });
    afterId = ids[ids.length - 1]!;
  }
}
