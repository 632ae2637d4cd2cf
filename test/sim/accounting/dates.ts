/**
 * Xero's date conventions. Stored state keeps calendar dates as 'YYYY-MM-DD' and instants as ISO strings; the wire
 * uses .NET JSON dates ('/Date(1539993600000+0000)/') plus the *String helper fields.
 */

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_DATE = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/;

/** '/Date(ms+0000)/' for a calendar day (midnight UTC, as Xero emits date fields). */
export function msDateOfDay(day: string): string {
  return `/Date(${Date.parse(`${day}T00:00:00Z`)}+0000)/`;
}

/** '/Date(ms+0000)/' for an instant. */
export function msDateOfInstant(iso: string): string {
  return `/Date(${Date.parse(iso)}+0000)/`;
}

/** '2018-10-20T00:00:00', the DateString/DueDateString helper. */
export function dayString(day: string): string {
  return `${day}T00:00:00`;
}

/** '2018-11-02T16:31:30Z' for the UpdatedDateUTCString helper (Xero drops milliseconds there). */
export function instantString(iso: string): string {
  return `${iso.slice(0, 19)}Z`;
}

/**
 * Parses a date field from a request. Xero accepts 'YYYY-MM-DD', ISO datetimes (clients that echo a received object
 * send '2018-10-20T00:00:00.000Z' or '…T00:00:00+11:00') and .NET dates. The calendar day written by the client is
 * kept (the local date part), because Xero treats document dates as dates, not instants.
 */
export function parseDay(value: unknown): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString().slice(0, 10);
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  const ms = MS_DATE.exec(text);
  if (ms) return new Date(Number(ms[1])).toISOString().slice(0, 10);
  const head = /^(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(text);
  if (!head || !head[1]) return undefined;
  const day = head[1];
  return isRealDay(day) ? day : undefined;
}

/** Parses an instant (If-Modified-Since header, where-clause DateTime): ISO-8601 with or without ms/zone, RFC 1123. */
export function parseInstant(value: string): Date | undefined {
  const ms = MS_DATE.exec(value.trim());
  if (ms) return new Date(Number(ms[1]));
  // An ISO datetime without a zone is UTC in Xero's API (UpdatedDateUTC semantics).
  const text = /^\d{4}-\d{2}-\d{2}T[\d:.]+$/.test(value.trim()) ? `${value.trim()}Z` : value;
  const parsed = Date.parse(text);
  return Number.isNaN(parsed) ? undefined : new Date(parsed);
}

export function isRealDay(day: string): boolean {
  const m = DAY.exec(day);
  if (!m) return false;
  const date = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === day;
}

export function dayOf(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October',
  'November', 'December'] as const;

/** '30 June 2026', the long form Xero uses in lock-date messages. */
export function longDay(day: string): string {
  const [y, m, d] = day.split('-');
  return `${Number(d)} ${MONTHS[Number(m) - 1] ?? ''} ${y}`;
}
