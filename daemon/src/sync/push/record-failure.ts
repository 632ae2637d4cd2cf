import { recordError, resolveError } from '../../state/record-errors.ts';
import type { EntityType, ErrorClass } from '../../state/tables.ts';
import { classify, XeroApiError } from '../../xero/index.ts';
import type { PlanError } from '../plan/index.ts';
import type { PushContext } from './push-context.ts';

const PRECEDENCE: Readonly<Record<ErrorClass, number>> = { never: 2, needs_person: 1, retry: 0 };

/** Several planner errors of one record become one stored error: the most final class, every message. */
export function combinePlanErrors(errors: readonly PlanError[]): PlanError {
  const first = errors[0] ?? { code: 'unknown', message: 'unknown error', class: 'needs_person' as const };
  const strongest = errors.reduce((a, b) => (PRECEDENCE[b.class] > PRECEDENCE[a.class] ? b : a), first);
  return { code: strongest.code, class: strongest.class, message: errors.map((e) => e.message).join('; ') };
}

/** A thrown error (a whole Xero call that failed, a bug) as a PlanError for one record. */
export function errorOf(error: unknown): PlanError {
  if (error instanceof XeroApiError) return { code: error.code, class: classify(error), message: error.message };
  return { code: 'internal', class: 'needs_person', message: error instanceof Error ? error.message : String(error) };
}

/**
 * Stores one record's failure (rule 7) and counts it. In a dry run nothing is stored: the plan shows it instead.
 */
export async function recordFailure(
  ctx: PushContext,
  entityType: EntityType,
  entityId: number,
  operation: string,
  error: PlanError,
  details?: unknown,
): Promise<void> {
  ctx.stats.failed++;
  ctx.note({ entity: entityType, id: entityId, action: 'error', reason: `${error.code}: ${error.message}` });
  ctx.log.warn('record failed', { entity: entityType, id: entityId, operation, code: error.code, class: error.class, message: error.message });
  if (ctx.dryRun) return;
  await recordError(ctx.state, {
    entityType, entityId, operation, errorClass: error.class, code: error.code.slice(0, 64), message: error.message,
    details, runId: ctx.runId,
  });
}

/** Closes the open error of a record that went through (no-op in a dry run). */
export async function clearFailure(ctx: PushContext, entityType: EntityType, entityId: number, operation: string): Promise<void> {
  if (ctx.dryRun) return;
  await resolveError(ctx.state, { entityType, entityId, operation });
}

/**
 * An invoice's push failure, remembering the Bitrix modification time it was made from: while the invoice stays
 * unchanged, the safety scan's overlap re-reading it does not repeat the attempt before its back-off.
 */
export async function failInvoice(
  ctx: PushContext,
  entityType: EntityType,
  invoice: { id: number; updatedAt: string | null },
  error: PlanError,
  details: Record<string, unknown> = {},
): Promise<void> {
  await recordFailure(ctx, entityType, invoice.id, 'push', error, { ...details, bitrixUpdatedAt: invoice.updatedAt });
}
