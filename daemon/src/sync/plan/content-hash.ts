import { createHash } from 'node:crypto';

/**
 * Canonical JSON: object keys sorted, undefined members dropped, -0 written as 0. Two payloads that Xero would treat
 * the same serialise to the same string whatever order the planner built them in.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`Cannot hash a non-finite number (${value})`);
    return JSON.stringify(value === 0 ? 0 : value);
  }
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  throw new TypeError(`Cannot hash a value of type ${typeof value}`);
}

/**
 * Bump when the hashed shape changes on purpose; every record is then pushed once more, which is safe (updates are
 * idempotent) and better than missing a change.
 */
export const HASH_VERSION = 1;

/**
 * sha256 hex (64 chars, b_b24xero_link.CONTENT_HASH) of a payload without its volatile members: ids Xero assigns
 * (invoiceID, contactID of the record itself, itemID) and the create-time status, which updates never send.
 */
export function contentHash(kind: 'invoice' | 'contact' | 'item', payload: object): string {
  const { status: _status, invoiceID: _invoiceID, contactID: _contactID, itemID: _itemID, ...stable } = payload as Record<string, unknown>;
  return createHash('sha256').update(`${kind}:v${HASH_VERSION}:${canonicalJson(stable)}`).digest('hex');
}
