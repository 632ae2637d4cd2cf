import { createHash } from 'node:crypto';

/** The event categories the daemon pulls on a webhook; Xero's others (e.g. CREDITNOTE) are left to the poll. */
export const WEBHOOK_CATEGORIES = ['INVOICE', 'CONTACT'] as const;
export type WebhookCategory = (typeof WEBHOOK_CATEGORIES)[number];

export function isWebhookCategory(value: unknown): value is WebhookCategory {
  return (WEBHOOK_CATEGORIES as readonly unknown[]).includes(value);
}

/** One event as the daemon stores it (b_b24xero_webhook_event). */
export interface WebhookEvent {
  dedupeKey: string;
  tenantId: string;
  category: WebhookCategory;
  type: string;
  /** Xero's GUID, lower case (Xero's own spelling; the pullers compare ids in lower case). */
  resourceId: string;
  eventDate: Date;
}

export type ParsedPayload =
  | { ok: true; events: WebhookEvent[]; skipped: SkippedEvent[]; otherCategories: Record<string, number> }
  | { ok: false; message: string };

/** An event with a category we pull but a shape we cannot use: logged with the reason, not stored. */
export interface SkippedEvent {
  reason: string;
  event: unknown;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Xero writes eventDateUtc as UTC without a zone letter ("2025-12-02T00:44:09.923"). */
const NAIVE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?$/;

/**
 * Reads a signed webhook body. Not JSON, or no `events` array: the whole payload is refused (the caller answers 400).
 * Events of categories we pull are checked one by one, so one odd event does not cost the others.
 */
export function parseWebhookPayload(rawBody: Buffer): ParsedPayload {
  let payload: unknown;
  try {
    payload = JSON.parse(rawBody.toString('utf8'));
  } catch (error) {
    return { ok: false, message: `the body is not JSON (${(error as Error).message})` };
  }
  const events = (payload as { events?: unknown } | null)?.events;
  if (typeof payload !== 'object' || payload === null || !Array.isArray(events)) {
    return { ok: false, message: 'the body is not a Xero webhook payload: no "events" array' };
  }
  const out: WebhookEvent[] = [];
  const skipped: SkippedEvent[] = [];
  const otherCategories: Record<string, number> = {};
  for (const raw of events) {
    const category = (raw as { eventCategory?: unknown } | null)?.eventCategory;
    if (!isWebhookCategory(category)) {
      const name = typeof category === 'string' ? category : '(none)';
      otherCategories[name] = (otherCategories[name] ?? 0) + 1;
      continue;
    }
    const event = readEvent(raw as Record<string, unknown>, category);
    if (typeof event === 'string') skipped.push({ reason: event, event: raw });
    else out.push(event);
  }
  return { ok: true, events: out, skipped, otherCategories };
}

function readEvent(raw: Record<string, unknown>, category: WebhookCategory): WebhookEvent | string {
  const { resourceId, tenantId, eventType, eventDateUtc } = raw;
  if (typeof resourceId !== 'string' || !GUID.test(resourceId)) return 'resourceId is not a Xero id';
  if (typeof tenantId !== 'string' || !GUID.test(tenantId)) return 'tenantId is not a Xero tenant id';
  if (typeof eventType !== 'string' || eventType === '' || eventType.length > 20) return 'eventType is missing';
  const eventDate = typeof eventDateUtc === 'string' ? new Date(NAIVE_TIME.test(eventDateUtc) ? `${eventDateUtc}Z` : eventDateUtc) : null;
  if (!eventDate || Number.isNaN(eventDate.getTime())) return 'eventDateUtc is not a date';
  const event = { tenantId: tenantId.toLowerCase(), category, type: eventType.toUpperCase(), resourceId: resourceId.toLowerCase(), eventDate };
  return { ...event, dedupeKey: dedupeKey(event) };
}

/**
 * The same event delivered twice (Xero retries a delivery it thinks failed) has the same key, so it is stored once;
 * two changes of one invoice are two events (their dates differ), which processing folds into one fetch.
 */
export function dedupeKey(e: Omit<WebhookEvent, 'dedupeKey'>): string {
  return createHash('sha256').update([e.tenantId, e.category, e.resourceId, e.eventDate.toISOString(), e.type].join('|')).digest('hex');
}
