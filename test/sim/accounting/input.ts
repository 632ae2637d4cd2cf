/** Reading loosely-typed request JSON the way Xero's binder does (field names are case-insensitive). */

export type Json = Record<string, unknown>;

/** Case-insensitive field access: Xero binds `invoiceNumber` and `InvoiceNumber` alike. */
export function field(obj: Json | undefined, name: string): unknown {
  if (!obj) return undefined;
  if (name in obj) return obj[name];
  const lower = name.toLowerCase();
  const key = Object.keys(obj).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : obj[key];
}

export function has(obj: Json | undefined, name: string): boolean {
  return field(obj, name) !== undefined;
}

/** A string field; numbers are accepted as their text, empty strings stay empty (they clear a field on update). */
export function text(obj: Json | undefined, name: string): string | undefined {
  const v = field(obj, name);
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number') return String(v);
  return undefined;
}

export function bool(obj: Json | undefined, name: string): boolean | undefined {
  const v = field(obj, name);
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') return v.toLowerCase() === 'true' ? true : v.toLowerCase() === 'false' ? false : undefined;
  return undefined;
}

export function object(obj: Json | undefined, name: string): Json | undefined {
  const v = field(obj, name);
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
}

export function array(obj: Json | undefined, name: string): Json[] | undefined {
  const v = field(obj, name);
  return Array.isArray(v) ? v.filter((e): e is Json => !!e && typeof e === 'object' && !Array.isArray(e)) : undefined;
}

/** Drops undefined values so stored records and views stay compact and JSON-identical after a snapshot. */
export function compact<T extends object>(obj: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) out[k] = v;
  return out as T;
}

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
