export interface FieldChange {
  /** 'lineItems[1].unitAmount', 'contact.contactID', … */
  path: string;
  old: unknown;
  new: unknown;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

const leaf = (v: unknown): unknown => (v instanceof Date ? v.toISOString() : v);

function walk(path: string, before: unknown, after: unknown, out: FieldChange[]): void {
  if (isPlainObject(before) || isPlainObject(after)) {
    const a = isPlainObject(before) ? before : {};
    const b = isPlainObject(after) ? after : {};
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    if (!isPlainObject(before) && before !== undefined && before !== null) out.push({ path, old: leaf(before), new: undefined });
    for (const key of keys) walk(path === '' ? key : `${path}.${key}`, a[key], b[key], out);
    if (!isPlainObject(after) && after !== undefined && after !== null) out.push({ path, old: undefined, new: leaf(after) });
    return;
  }
  if (Array.isArray(before) || Array.isArray(after)) {
    const a = Array.isArray(before) ? before : [];
    const b = Array.isArray(after) ? after : [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) walk(`${path}[${i}]`, a[i], b[i], out);
    return;
  }
  const oldValue = leaf(before) ?? undefined;
  const newValue = leaf(after) ?? undefined;
  if (oldValue !== newValue) out.push({ path, old: oldValue, new: newValue });
}

/**
 * Field-level differences between two payloads for `sync --dry-run` (before = what Xero has, projected to payload
 * shape — see xero-projection.ts — or null for a create). Missing, undefined and null are the same "absent";
 * arrays compare by position, as Xero replaces line sets wholesale.
 */
export function diffPayload(before: unknown, after: unknown): FieldChange[] {
  const out: FieldChange[] = [];
  walk('', before ?? undefined, after ?? undefined, out);
  return out;
}

/** One line per change, for the terminal: `lineItems[0].unitAmount: 10 → 12.5`. */
export function formatDiff(changes: readonly FieldChange[]): string[] {
  const show = (v: unknown): string => (v === undefined ? '∅' : JSON.stringify(v));
  return changes.map((c) => `${c.path}: ${show(c.old)} → ${show(c.new)}`);
}
