import type { ErrorClass } from './tables.ts';

const MINUTE = 60;
const HOUR = 60 * MINUTE;

/** First retry after a transient failure, doubled per attempt up to RETRY_CAP. */
export const RETRY_BASE_SECONDS = MINUTE;
export const RETRY_CAP_SECONDS = 6 * HOUR;
/**
 * Errors that need a person (validation, locked period, unsubscribed currency) are fixed outside Bitrix as often
 * as inside it (a period unlocked in Xero changes no Bitrix hash), so they are tried again once a day.
 */
export const NEEDS_PERSON_RETRY_SECONDS = 24 * HOUR;

/**
 * Seconds until the next automatic retry after `attempts` failures (attempts >= 1), or null for never.
 * 'retry': 1 min, 2, 4, 8 … capped at 6 h; 'needs_person': daily; 'never': no automatic retry.
 */
export function retryDelaySeconds(errorClass: ErrorClass, attempts: number): number | null {
  switch (errorClass) {
    case 'retry': {
      const exponent = Math.max(0, Math.min(attempts - 1, 30));
      return Math.min(RETRY_BASE_SECONDS * 2 ** exponent, RETRY_CAP_SECONDS);
    }
    case 'needs_person':
      return NEEDS_PERSON_RETRY_SECONDS;
    case 'never':
      return null;
  }
}
