/**
 * Bitrix writes DATETIME as naive wall-clock time in the PHP server's default zone (reference §9). We keep such values
 * as the database's own 'YYYY-MM-DD HH:MM:SS' strings and only attach a zone where an instant is truly needed (e.g. a
 * UTC date for Xero), using the BITRIX_TIMEZONE setting (default: this machine's zone).
 *
 * Arithmetic on naive values (shiftNaive) is plain calendar arithmetic: it goes through Date.UTC and the getUTC*
 * methods only, so no zone, DST or machine setting can shift it.
 */

const NAIVE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?$/;

export class TimeZoneError extends Error {
  override name = 'TimeZoneError';
}

/** Whether `zone` is an IANA zone this runtime knows (what Intl accepts). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The zone Bitrix wrote its times in: the BITRIX_TIMEZONE setting if given (validated), else the system zone. */
export function resolveBitrixTimeZone(setting?: string | null): string {
  const zone = setting?.trim() || Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!isTimeZone(zone)) {
    throw new TimeZoneError(`BITRIX_TIMEZONE ${JSON.stringify(zone)} is not an IANA time zone (e.g. Europe/Berlin, Pacific/Auckland)`);
  }
  return zone;
}

function parseNaive(naive: string): number {
  const m = NAIVE.exec(naive.trim());
  if (!m) throw new TypeError(`not a 'YYYY-MM-DD HH:MM:SS' time: ${JSON.stringify(naive)}`);
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

function formatNaive(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** Naive time plus `seconds` (negative to go back), still naive: '2024-03-31 00:00:10' − 20 s = '2024-03-30 23:59:50'. */
export function shiftNaive(naive: string, seconds: number): string {
  return formatNaive(parseNaive(naive) + seconds * 1000);
}

/** Wall clock of an instant in a zone, as a naive string. */
export function utcToNaive(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')}`;
}

/** Offset of the zone at an instant, in ms (wall clock minus UTC). */
function offsetAt(ms: number, timeZone: string): number {
  return parseNaive(utcToNaive(new Date(ms), timeZone)) - Math.floor(ms / 1000) * 1000;
}

/** Instants whose wall clock in the zone is `naive`: one normally, two in a repeated (fall-back) hour, none in a gap. */
function instantsOf(naive: string, timeZone: string): number[] {
  const wall = parseNaive(naive);
  const day = 86_400_000;
  const offsets = new Set([offsetAt(wall - day, timeZone), offsetAt(wall, timeZone), offsetAt(wall + day, timeZone)]);
  const hits = [...offsets].map((o) => wall - o).filter((t) => utcToNaive(new Date(t), timeZone) === formatNaive(wall));
  return [...new Set(hits)].sort((a, b) => a - b);
}

/**
 * The instant a naive Bitrix time denotes in `timeZone`. In a repeated hour (DST ends) the first occurrence is taken;
 * a time inside a DST gap (which PHP never writes) is read with the offset from before the gap, as PHP would.
 */
export function naiveToUtc(naive: string, timeZone: string): Date {
  const hits = instantsOf(naive, timeZone);
  if (hits.length > 0) return new Date(hits[0]!);
  const wall = parseNaive(naive);
  return new Date(wall - offsetAt(wall - 86_400_000, timeZone));
}

/**
 * How far the wall clock was set back if `naive` lies in a repeated period of the zone (the hour after DST ends), else
 * 0. Times written during the second pass through that hour sort *before* times written during the first, so a scan
 * whose cursor lies in it must look back this much further.
 */
export function repeatedWallClockSeconds(naive: string, timeZone: string): number {
  const hits = instantsOf(naive, timeZone);
  return hits.length > 1 ? Math.round((hits[hits.length - 1]! - hits[0]!) / 1000) : 0;
}

/** Compares naive times (the format sorts lexicographically). */
export function compareNaive(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
