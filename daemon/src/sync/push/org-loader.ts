import { orgContextFromXero, type OrgContext } from '../plan/index.ts';
import type { PushGateway } from './push-context.ts';

/**
 * Xero could not tell us about the organisation (identity or API unreachable, credentials revoked): nothing can be
 * planned, so the pass as a whole fails (exit 1, run 'failed', claims released) instead of storing the same outage
 * as an error on every record.
 */
export class OrgUnavailableError extends Error {
  override name = 'OrgUnavailableError';
  constructor(cause: unknown) {
    super(`cannot read the Xero organisation: ${(cause as Error)?.message ?? String(cause)}`, { cause });
  }
}

/**
 * Everything the planners need to know about the organisation, read from Xero: five reads in parallel (the governor
 * keeps them within the tenant's limits). Passes get it through org-source.ts, which keeps a copy in
 * b_b24xero_org_cache and calls this only when that copy is missing, too old or shown to be stale.
 */
export async function loadOrgContext(gateway: PushGateway): Promise<OrgContext> {
  try {
    const [organisation, currencies, taxRates, accounts, items] = await Promise.all([
      gateway.getOrganisation(),
      gateway.getCurrencies(),
      gateway.getTaxRates(),
      gateway.getAccounts(),
      gateway.getItems(),
    ]);
    return orgContextFromXero({ organisation, currencies, taxRates, accounts, items });
  } catch (error) {
    throw new OrgUnavailableError(error);
  }
}
