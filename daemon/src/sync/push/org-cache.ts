import { sql } from 'kysely';
import type { StateDb } from '../../state/tables.ts';
import type { OrgContext } from '../plan/index.ts';
import { decodeOrgContext, encodeOrgContext } from './org-context-json.ts';

/** A stored organisation context with its age, measured on the database's clock (the one that wrote FETCHED_AT). */
export interface CachedOrgContext {
  org: OrgContext;
  /** FETCHED_AT as stored: the version tag for `rememberOrgItems`' compare-and-set. */
  fetchedAt: string;
  ageSeconds: number;
}

/** The tenant's cached context, or null when there is none or it cannot be read (another JSON version, damage). */
export async function readOrgCache(db: StateDb, tenantId: string): Promise<CachedOrgContext | null> {
  const row = await db.selectFrom('b_b24xero_org_cache')
    .select(['CONTEXT', 'FETCHED_AT', sql<number>`TIMESTAMPDIFF(SECOND, FETCHED_AT, UTC_TIMESTAMP(3))`.as('AGE_SECONDS')])
    .where('TENANT_ID', '=', tenantId)
    .executeTakeFirst();
  if (!row) return null;
  const org = decodeOrgContext(row.CONTEXT);
  return org ? { org, fetchedAt: row.FETCHED_AT, ageSeconds: Number(row.AGE_SECONDS) } : null;
}

/** Stores a context just read from Xero (FETCHED_AT = now) and returns the stored FETCHED_AT. */
export async function writeOrgCache(db: StateDb, tenantId: string, org: OrgContext): Promise<string> {
  const context = encodeOrgContext(org);
  await db.insertInto('b_b24xero_org_cache')
    .values({ TENANT_ID: tenantId, CONTEXT: context, FETCHED_AT: sql<string>`UTC_TIMESTAMP(3)` })
    .onDuplicateKeyUpdate({ CONTEXT: context, FETCHED_AT: sql<string>`UTC_TIMESTAMP(3)` })
    .execute();
  const row = await db.selectFrom('b_b24xero_org_cache').select('FETCHED_AT').where('TENANT_ID', '=', tenantId).executeTakeFirstOrThrow();
  return row.FETCHED_AT;
}

/**
 * Replaces the stored context with `org` (the same fetch plus Items created since) only while the row is still the
 * one fetched at `fetchedAt`: a newer fetch by another process already has those Items from Xero and wins.
 * FETCHED_AT is kept, since the rest of the context is no fresher than it was.
 */
export async function rememberOrgItems(db: StateDb, tenantId: string, fetchedAt: string, org: OrgContext): Promise<boolean> {
  const result = await db.updateTable('b_b24xero_org_cache')
    .set({ CONTEXT: encodeOrgContext(org) })
    .where('TENANT_ID', '=', tenantId)
    .where('FETCHED_AT', '=', fetchedAt)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Forgets the tenant's context, so the next pass that needs it reads Xero. */
export async function dropOrgCache(db: StateDb, tenantId: string): Promise<void> {
  await db.deleteFrom('b_b24xero_org_cache').where('TENANT_ID', '=', tenantId).execute();
}
