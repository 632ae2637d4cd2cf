import { sql } from 'kysely';
import { toDbUtc } from './state-db.ts';
import type { StateDb } from './tables.ts';

/**
 * b_b24xero_webhook_event: Xero's webhook events, stored the moment they arrive (deduplicated on DEDUPE_KEY) and
 * marked processed once their puller has read the resources. Pending rows are found through
 * IX_B24XERO_WEBHOOK_PENDING (PROCESSED_AT, ID), so an idle check is one index probe.
 */

export interface NewWebhookEvent {
  dedupeKey: string;
  tenantId: string;
  category: string;
  type: string;
  resourceId: string;
  eventDate: Date;
}

export interface PendingWebhookEvent {
  ID: number;
  TENANT_ID: string;
  EVENT_CATEGORY: string;
  RESOURCE_ID: string;
}

/** INSERT IGNORE of one delivery's events; returns how many were new (the rest were delivered before). */
export async function storeWebhookEvents(db: StateDb, events: readonly NewWebhookEvent[]): Promise<number> {
  if (events.length === 0) return 0;
  const result = await db.insertInto('b_b24xero_webhook_event').ignore().values(events.map((e) => ({
    DEDUPE_KEY: e.dedupeKey, TENANT_ID: e.tenantId, EVENT_CATEGORY: e.category, EVENT_TYPE: e.type, RESOURCE_ID: e.resourceId,
    EVENT_DATE_UTC: toDbUtc(e.eventDate), RECEIVED_AT: sql<string>`UTC_TIMESTAMP(3)`, PROCESSED_AT: null,
  }))).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

/** Unprocessed events after `afterId`, oldest first. */
export async function pendingWebhookEvents(db: StateDb, opts: { afterId: number; limit: number }): Promise<PendingWebhookEvent[]> {
  const rows = await db.selectFrom('b_b24xero_webhook_event')
    .select(['ID', 'TENANT_ID', 'EVENT_CATEGORY', 'RESOURCE_ID'])
    .where('PROCESSED_AT', 'is', null).where('ID', '>', opts.afterId)
    .orderBy('ID').limit(opts.limit).execute();
  return rows.map((r) => ({ ...r, ID: Number(r.ID) }));
}

export async function markWebhookEventsProcessed(db: StateDb, ids: readonly number[]): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await db.updateTable('b_b24xero_webhook_event')
    .set({ PROCESSED_AT: sql<string>`UTC_TIMESTAMP(3)` })
    .where('ID', 'in', ids).where('PROCESSED_AT', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Processed events are only kept to recognise a redelivery (Xero retries within hours); after `days` they go, a
 * bounded batch at a time, so the table stays the size of a few weeks of changes.
 */
export async function pruneProcessedWebhookEvents(db: StateDb, days = 30, limit = 1000): Promise<number> {
  const result = await db.deleteFrom('b_b24xero_webhook_event')
    .where('PROCESSED_AT', '<', sql<string>`UTC_TIMESTAMP(3) - INTERVAL ${days} DAY`)
    .limit(limit)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
