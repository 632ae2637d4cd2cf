import type { Settings } from '../../domain/settings.ts';
import { getCursor, setCursor } from '../../state/cursors.ts';
import type { StateDb } from '../../state/tables.ts';

/** b_b24xero_cursor row holding the day the daemon first ran, the start line when no start_date option is saved. */
export const START_LINE_CURSOR = 'start_line';

/**
 * The start line of ongoing sync: the module option start_date (the installer saves the install day; an admin may
 * move it), else the day this daemon first ran against the portal — stored on that first pass so that it does not
 * move with the calendar. A dry run reads it but stores nothing.
 */
export async function resolveStartLine(
  state: StateDb,
  settings: Pick<Settings, 'startDate'>,
  options: { dryRun: boolean; timeZone?: string; now?: Date },
): Promise<string> {
  if (settings.startDate) return settings.startDate;
  const stored = await getCursor(state, START_LINE_CURSOR);
  if (stored) return stored;
  const today = localDate(options.now ?? new Date(), options.timeZone);
  if (!options.dryRun) await setCursor(state, START_LINE_CURSOR, today);
  return today;
}

/** 'YYYY-MM-DD' of `at` in Bitrix's zone (BITRIX_TIMEZONE), UTC when unknown. */
export function localDate(at: Date, timeZone = 'UTC'): string {
  // en-CA formats dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}
