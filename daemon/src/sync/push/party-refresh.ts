import { readCompanies, readContacts } from '../../bitrix/parties.ts';
import type { EntityType } from '../../state/tables.ts';
import type { Party } from '../plan/index.ts';
import { refreshLinkedParties } from './contact-sync.ts';
import { syncItems } from './item-sync.ts';
import { linksOf } from './link-queries.ts';
import type { PushContext } from './push-context.ts';

/**
 * Contacts, companies and products changed in Bitrix: only those already in Xero are pushed again (their new details);
 * unlinked ones reach Xero when an invoice first needs them. One link query decides, so scanning a large contact
 * table costs no Bitrix reads for the records Xero never saw. A product an admin gave its own sales account
 * (product_accounts, which the module's "Add product" form sets) is one meant for Xero: it becomes an Item at once.
 */
export async function refreshLinkedRecords(ctx: PushContext, entityType: Extract<EntityType, 'contact' | 'company' | 'product'>, ids: readonly number[]): Promise<void> {
  const links = await linksOf(ctx.state, entityType, ids);
  const wanted = (id: number) => links.get(id)?.STATE === 'synced'
    || (entityType === 'product' && ctx.settings.productAccounts[String(id)] !== undefined);
  const linked = ids.filter(wanted);
  if (linked.length === 0) return;
  if (entityType === 'product') {
    await syncItems(ctx, linked, { refresh: true });
    return;
  }
  const parties: Party[] = entityType === 'company'
    ? (await readCompanies(ctx.db, linked)).companies.map((company) => ({ type: 'company', company }))
    : (await readContacts(ctx.db, linked)).contacts.map((person) => ({ type: 'person', person }));
  if (parties.length > 0) await refreshLinkedParties(ctx, parties);
}
