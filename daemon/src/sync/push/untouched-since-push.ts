import { naiveToUtc, repeatedWallClockSeconds } from '../../bitrix/bitrix-time.ts';
import { fromDbUtc } from '../../state/state-db.ts';
import type { LinkRow } from '../../state/tables.ts';

/**
 * Margin for the clocks involved: Bitrix stamps UPDATED_TIME from PHP's clock, the link's UPDATED_AT comes from the
 * database's. An edit stamped within this margin before our push is treated as possibly after it.
 */
export const CLOCK_MARGIN_MS = 60_000;

/**
 * Whether an invoice the safety scan re-reads (its overlap window) was last modified in Bitrix well before we last
 * pushed it — then planning it again cannot find a difference, and the pass need not fetch the organisation's
 * reference data (5 API calls) just to confirm that. Conservative: false whenever the zone is unknown, the time is
 * missing, or it falls in a repeated DST hour (which of the two instants it means cannot be told).
 */
export function untouchedSincePush(updatedAt: string | null, link: Pick<LinkRow, 'STATE' | 'UPDATED_AT'> | undefined, timeZone: string | undefined): boolean {
  if (!timeZone || !updatedAt || link?.STATE !== 'synced') return false;
  if (repeatedWallClockSeconds(updatedAt, timeZone) > 0) return false;
  const modified = naiveToUtc(updatedAt, timeZone).getTime();
  return modified < fromDbUtc(link.UPDATED_AT).getTime() - CLOCK_MARGIN_MS;
}
