import type { StateDb } from '../../state/tables.ts';
import type { OrgContext, OrgItem } from '../plan/index.ts';
import { dropOrgCache, readOrgCache, rememberOrgItems, writeOrgCache } from './org-cache.ts';
import { PLANNER_STALE_MIN_AGE_SECONDS, staleKindOf } from './org-staleness.ts';
import type { PushLogger } from './push-context.ts';

/**
 * How long a stored organisation context is used before a pass reads Xero again: 6 hours, as peers refresh their
 * chart of accounts and tax rates periodically. At one pass a minute this turns 7,200 organisation reads a day into
 * at most 20; changes in Xero that break a push are not left waiting for it, since the failure refetches at once.
 */
export const ORG_CACHE_TTL_SECONDS = 6 * 60 * 60;

export interface OrgSourceDeps {
  state: StateDb;
  /** Settles the token and tenant (the gateway's connect) and returns the tenant id the cache is keyed on. */
  tenant: () => Promise<string>;
  /** The five reads (org-loader.ts `loadOrgContext`). */
  fetch: () => Promise<OrgContext>;
  log: PushLogger;
  ttlSeconds?: number;
}

/** Where the context of the running pass came from: the table, or Xero during this pass. */
export type OrgOrigin = 'cache' | 'xero';

interface Loaded {
  tenantId: string;
  org: OrgContext;
  origin: OrgOrigin;
  /** FETCHED_AT of the stored row this context is (null when it could not be stored). */
  fetchedAt: string | null;
  ageSeconds: number;
}

/**
 * A pass's organisation context: from b_b24xero_org_cache while younger than the TTL, otherwise from Xero (and then
 * stored). Read on first need only, so an idle pass still costs no call. A dry run uses and fills the cache too: it
 * is a copy of what Xero says, not sync state, and filling it saves the reads of the real pass that follows.
 */
export interface OrgSource {
  get(): Promise<OrgContext>;
  /** A record failed with this code: refetches (once per pass) when it says the cached context is out of date. */
  noteFailure(code: string): void;
  /** Items created or updated by the pass: stored with the context, which was read before they existed. Settles first. */
  remember(items: ReadonlyMap<string, OrgItem>): Promise<void>;
  /** Waits for a refetch in flight (its failure is already handled), so the pass ends with the cache settled. */
  settle(): Promise<void>;
}

export function createOrgSource(deps: OrgSourceDeps): OrgSource {
  const ttl = deps.ttlSeconds ?? ORG_CACHE_TTL_SECONDS;
  let current: Promise<Loaded> | null = null;
  let loaded: Loaded | null = null;
  let refreshed = false;

  const fromXero = async (tenantId: string): Promise<Loaded> => {
    const org = await deps.fetch();
    const fetchedAt = await writeOrgCache(deps.state, tenantId, org);
    return { tenantId, org, origin: 'xero', fetchedAt, ageSeconds: 0 };
  };

  const load = async (): Promise<Loaded> => {
    const tenantId = await deps.tenant();
    const cached = await readOrgCache(deps.state, tenantId);
    // A negative age (the database clock was set back) is not trusted to be fresh.
    if (cached && cached.ageSeconds >= 0 && cached.ageSeconds < ttl) {
      deps.log.info('organisation context from cache', { ageSeconds: cached.ageSeconds });
      return { tenantId, org: cached.org, origin: 'cache', fetchedAt: cached.fetchedAt, ageSeconds: cached.ageSeconds };
    }
    return fromXero(tenantId);
  };

  const track = (promise: Promise<Loaded>): Promise<Loaded> => {
    const next = promise.then((value) => {
      loaded = value;
      return value;
    });
    current = next;
    // A failed load (Xero down) is tried again by the next caller, not remembered.
    next.catch(() => {
      if (current === next) current = null;
    });
    return next;
  };

  const settle = async (): Promise<void> => {
    await current?.catch(() => undefined);
  };

  return {
    async get() {
      return (await (current ?? track(load()))).org;
    },

    noteFailure(code) {
      const kind = staleKindOf(code);
      const previous = loaded;
      if (kind === null || refreshed || previous === null || previous.origin !== 'cache') return;
      if (kind === 'planner' && previous.ageSeconds < PLANNER_STALE_MIN_AGE_SECONDS) return;
      refreshed = true;
      deps.log.info('organisation context looks stale: reading it from Xero again', { code, ageSeconds: previous.ageSeconds });
      track(fromXero(previous.tenantId).catch(async (error: unknown) => {
        // Keep planning with what we have; without the row the next pass that has work reads Xero.
        deps.log.warn('could not refresh the organisation context', { message: (error as Error)?.message ?? String(error) });
        await dropOrgCache(deps.state, previous.tenantId).catch(() => undefined);
        return { ...previous, fetchedAt: null };
      }));
    },

    async remember(items) {
      await settle();
      if (items.size === 0) return;
      const now = loaded;
      if (now === null || now.fetchedAt === null) return;
      const known = now.org.itemsByCode;
      const news = [...items.values()].filter((i) => {
        const k = known.get(i.code);
        return !k || k.itemID !== i.itemID || k.name !== i.name;
      });
      if (news.length === 0) return;
      const org: OrgContext = { ...now.org, itemsByCode: new Map([...known, ...news.map((i): [string, OrgItem] => [i.code, i])]) };
      if (await rememberOrgItems(deps.state, now.tenantId, now.fetchedAt, org)) loaded = { ...now, org };
    },

    settle,
  };
}
