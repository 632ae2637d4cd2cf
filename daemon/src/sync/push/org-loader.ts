import { orgContextFromXero, type OrgContext } from '../plan/index.ts';
import type { PushGateway } from './push-context.ts';

/**
 * Everything the planners need to know about the organisation: five reads, done once per pass (the push context
 * caches the promise), in parallel — the governor keeps them within the tenant's limits.
 */
export async function loadOrgContext(gateway: PushGateway): Promise<OrgContext> {
  const [organisation, currencies, taxRates, accounts, items] = await Promise.all([
    gateway.getOrganisation(),
    gateway.getCurrencies(),
    gateway.getTaxRates(),
    gateway.getAccounts(),
    gateway.getItems(),
  ]);
  return orgContextFromXero({ organisation, currencies, taxRates, accounts, items });
}
