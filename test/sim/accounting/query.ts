/**
 * The list-query pipeline shared by every collection: If-Modified-Since, `where`, `order`, then paging — in the order
 * Xero applies them, so `pageCount` describes the filtered set.
 */
import type { AccountingRequest } from '../contract.ts';
import { parseInstant } from './dates.ts';
import type { Pagination } from './envelope.ts';
import { queryParseError } from './errors.ts';
import { compileWhere } from './where.ts';

export interface ListSpec<R> {
  /** Xero's model name, used in QueryParseException messages ("…exists in type 'Invoice'"). */
  typeName: string;
  /** The record as `where`/`order` see it: API field names, dates as 'YYYY-MM-DD' / ISO strings. */
  fieldsOf(record: R): Record<string, unknown>;
  /** ISO UpdatedDateUTC, or undefined for collections without it. */
  updatedOf?(record: R): string;
  /** Whether `page`/`pageSize` apply (Items, Accounts, TaxRates… are never paged). */
  paged: boolean;
}

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

export function listQuery<R>(records: R[], req: AccountingRequest, spec: ListSpec<R>): { items: R[]; pagination?: Pagination } {
  let items = records;
  const since = req.headers['if-modified-since'];
  if (since && spec.updatedOf) {
    const instant = parseInstant(since);
    if (instant) {
      // Xero compares to the second and includes records changed in that second (reference §5: ≥, second precision).
      const floor = Math.floor(instant.getTime() / 1000) * 1000;
      const updatedOf = spec.updatedOf;
      items = items.filter((r) => Date.parse(updatedOf(r)) >= floor);
    }
  }
  const where = param(req, 'where');
  if (where && where.trim() !== '') {
    const predicate = compileWhere(where, spec.typeName);
    items = items.filter((r) => predicate(spec.fieldsOf(r)));
  }
  const order = param(req, 'order');
  if (order && order.trim() !== '') items = sortBy(items, order, spec);
  if (!spec.paged) return { items };
  const pageText = param(req, 'page');
  if (pageText === null || pageText === '') return { items };
  const page = Math.max(1, Math.trunc(Number(pageText)) || 1);
  const sizeText = param(req, 'pageSize');
  const requested = sizeText ? Math.trunc(Number(sizeText)) : DEFAULT_PAGE_SIZE;
  const pageSize = Number.isFinite(requested) && requested > 0 ? Math.min(requested, MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
  const itemCount = items.length;
  return {
    items: items.slice((page - 1) * pageSize, page * pageSize),
    pagination: { page, pageSize, pageCount: Math.ceil(itemCount / pageSize), itemCount },
  };
}

function sortBy<R>(records: R[], order: string, spec: ListSpec<R>): R[] {
  const keys = order.split(',').map((part) => {
    const m = /^\s*([A-Za-z][A-Za-z0-9_.]*)\s*(ASC|DESC)?\s*$/i.exec(part);
    if (!m || !m[1]) throw queryParseError(`Invalid order clause '${part.trim()}'`);
    return { path: m[1].split('.'), desc: (m[2] ?? '').toUpperCase() === 'DESC' };
  });
  const first = records[0];
  if (first !== undefined) {
    const fields = spec.fieldsOf(first);
    for (const key of keys) lookup(fields, key.path, spec.typeName); // unknown fields fail even on one record
  }
  const decorated = records.map((r, index) => ({ r, index, fields: spec.fieldsOf(r) }));
  decorated.sort((a, b) => {
    for (const key of keys) {
      const c = compareValues(lookup(a.fields, key.path, spec.typeName), lookup(b.fields, key.path, spec.typeName));
      if (c !== 0) return key.desc ? -c : c;
    }
    return a.index - b.index;
  });
  return decorated.map((d) => d.r);
}

function lookup(fields: Record<string, unknown>, path: string[], typeName: string): unknown {
  let current: unknown = fields;
  for (const segment of path) {
    if (current === null || current === undefined) return null;
    const key = Object.keys(current as object).find((k) => k.toLowerCase() === segment.toLowerCase());
    if (key === undefined) throw queryParseError(`No property or field '${segment}' exists in type '${typeName}'`);
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a).toLowerCase();
  const y = String(b).toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/** A query parameter by name, ignoring case (xero-node sends `IDs`, other clients `ids`); null when absent. */
export function param(req: AccountingRequest, name: string): string | null {
  const exact = req.query.get(name);
  if (exact !== null) return exact;
  const lower = name.toLowerCase();
  for (const [key, value] of req.query) if (key.toLowerCase() === lower) return value;
  return null;
}

/** Comma-separated list parameter (xero-node joins arrays unencoded: `IDs=a,b`). */
export function listParam(req: AccountingRequest, name: string): string[] | undefined {
  const raw = param(req, name);
  if (raw === null || raw.trim() === '') return undefined;
  return raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

export function boolParam(req: AccountingRequest, name: string): boolean | undefined {
  const raw = param(req, name);
  if (raw === null || raw === '') return undefined;
  return raw.toLowerCase() === 'true';
}

/** unitdp=4 keeps unit amounts at 4 dp on input and output; anything else means 2. */
export function unitDp(req: AccountingRequest): 2 | 4 {
  return param(req, 'unitdp') === '4' ? 4 : 2;
}

/** summarizeErrors defaults to true in live Xero (reference §5), whatever the OpenAPI metadata says. */
export function summarizeErrors(req: AccountingRequest): boolean {
  return param(req, 'summarizeErrors')?.toLowerCase() !== 'false';
}
