import { createHash } from 'node:crypto';
import type { LinkRow } from '../../state/tables.ts';

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * The key recorded with a create intent (b_b24xero_link.IDEMPOTENCY_KEY, ≤ 64): the same instance, entity and content
 * always give the same key, so a repeated attempt of the same create is recognisable as such.
 */
export function intentKey(instance: string, entityType: string, entityId: number, contentHash: string): string {
  return `b24x-${sha(`${instance}|${entityType}|${entityId}|${contentHash}`).slice(0, 48)}`;
}

/**
 * Idempotency-Key of one batch call. Derived only from what the batch contains (operation, and per element its entity
 * and content hash, in the order sent), so an immediate retry of the same batch — after a timeout or a dropped
 * connection — replays Xero's first answer instead of creating the batch twice (Xero keeps keys for minutes; after
 * that, find-before-create on the intent rows is what prevents duplicates).
 */
export function batchKey(instance: string, operation: string, elements: readonly string[]): string {
  return `b24x-${operation}-${sha(`${instance}|${operation}|${elements.join(',')}`).slice(0, 64)}`;
}

/**
 * The state an update starts from, for its batch key: the link's hash and when it was last settled (UPDATED_AT, ms).
 * The same until the update settles — so a retry replays Xero's answer — and new after every settled write, so
 * returning to content sent minutes ago is a new request. '-' for a record with no link yet (matched, first push).
 */
export function fromState(link: Pick<LinkRow, 'CONTENT_HASH' | 'UPDATED_AT'> | undefined): string {
  return link ? `${link.CONTENT_HASH ?? '-'}@${link.UPDATED_AT}` : '-';
}
