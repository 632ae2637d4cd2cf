/**
 * Which recorded failures say that the organisation context a pass planned with may be out of date, so a cached copy
 * is worth reading again. Two kinds, because they cost differently when the failure is genuine:
 *
 * - Xero refused a write over something the context describes (the codes of `classifyXeroValidation`, and the
 *   gateway's `codeForMessages` codes when a whole call failed). The planner had checked it against the context,
 *   so the context was wrong: always refetch. After the refetch the planner catches the same problem itself, so a
 *   genuine problem cannot cause refetch after refetch.
 * - The planner refused a record against the context (unknown or archived account, unknown or inactive TaxType,
 *   currency not enabled). If the cached copy predates a fix in Xero, a refetch lets the next attempt succeed; if the
 *   problem is genuine, every retry of the record would refetch again, so these only count once the cached copy is
 *   older than PLANNER_STALE_MIN_AGE_SECONDS.
 *
 * Lock dates (`locked_period`) are not among them: the context does not hold the lock dates (the planners never
 * check them), so reading it again cannot change the outcome.
 */
export const XERO_STALE_CODES: ReadonlySet<string> = new Set([
  'invalid_account', 'invalid_tax_type', 'currency_not_enabled', 'invalid_item',
  'xero_account', 'xero_tax_type', 'xero_currency',
]);

export const PLANNER_STALE_CODES: ReadonlySet<string> = new Set([
  'account_unknown', 'account_inactive', 'account_missing', 'account_ambiguous',
  'tax_type_unknown', 'tax_type_inactive', 'tax_type_no_tax_missing', 'tax_rate_unmatched', 'tax_rate_ambiguous',
  'currency_not_enabled',
]);

/** A planner-detected mismatch refetches only a context at least this old (10 minutes). */
export const PLANNER_STALE_MIN_AGE_SECONDS = 600;

export type StaleKind = 'xero' | 'planner';

/**
 * The kind of staleness a recorded failure code signals, or null. `currency_not_enabled` is both Xero's and the
 * planner's code: it is treated as the planner's (the cheaper assumption), since the planner checks the currency
 * before any write is sent.
 */
export function staleKindOf(code: string): StaleKind | null {
  if (PLANNER_STALE_CODES.has(code)) return 'planner';
  if (XERO_STALE_CODES.has(code)) return 'xero';
  return null;
}
