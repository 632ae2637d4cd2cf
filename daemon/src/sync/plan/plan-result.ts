/**
 * Shared result shapes of the planners. Planners never throw for bad business data: they return errors that the
 * executor stores per record (b_b24xero_record_error CLASS/CODE/MESSAGE), so one bad invoice never stops a pass.
 */

import type { ErrorClass } from '../../domain/error-class.ts';

export { ERROR_CLASSES, type ErrorClass } from '../../domain/error-class.ts';

export interface PlanError {
  /** Stable machine code, e.g. 'tax_rate_ambiguous' (≤ 64 chars, fits the CODE column). */
  code: string;
  /** Human text for the dashboard: says what is wrong and what to change. */
  message: string;
  class: ErrorClass;
}

/** Something worth showing but not blocking the push. */
export interface PlanWarning {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

export type Resolved<T> = { ok: true; value: T; warnings: PlanWarning[] } | { ok: false; error: PlanError };

export function needsPerson(code: string, message: string): PlanError {
  return { code, message, class: 'needs_person' };
}

/** Drops repeats (several lines failing the same way produce one message). */
export function uniqueErrors(errors: readonly PlanError[]): PlanError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.code}\u0000${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
