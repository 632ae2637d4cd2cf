import type { GovernorBudgetState, GovernorBudgetStore } from './governor.ts';

/**
 * A GovernorBudgetStore that lives and dies with the process: for unit tests, and for callers with no database
 * (a dry run against a throwaway tenant). The daemon uses the database store (state/governor-budget.ts).
 */
export class MemoryBudgetStore implements GovernorBudgetStore {
  readonly #rows = new Map<string, GovernorBudgetState>();

  async load(tenantId: string): Promise<GovernorBudgetState | null> {
    const row = this.#rows.get(tenantId);
    return row ? { ...row } : null;
  }

  async reserve(tenantId: string, dayUtc: string, limit: number): Promise<{ granted: boolean; dayUsed: number }> {
    let row = this.#rows.get(tenantId);
    if (!row || row.dayUtc < dayUtc) {
      row = { dayUtc, dayUsed: 0, dayRemaining: null, minRemaining: null, blockedUntil: row?.blockedUntil ?? null };
      this.#rows.set(tenantId, row);
    }
    if (row.dayUsed >= limit) return { granted: false, dayUsed: row.dayUsed };
    row.dayUsed++;
    return { granted: true, dayUsed: row.dayUsed };
  }

  async observe(tenantId: string, dayUtc: string, seen: { dayRemaining: number | null; minRemaining: number | null }): Promise<void> {
    const row = this.#rows.get(tenantId);
    if (!row || row.dayUtc !== dayUtc) return;
    if (seen.dayRemaining !== null) row.dayRemaining = seen.dayRemaining;
    if (seen.minRemaining !== null) row.minRemaining = seen.minRemaining;
  }

  async block(tenantId: string, untilMs: number, _nowMs?: number): Promise<void> {
    const row = this.#rows.get(tenantId) ?? { dayUtc: '1970-01-01', dayUsed: 0, dayRemaining: null, minRemaining: null, blockedUntil: null };
    row.blockedUntil = untilMs;
    this.#rows.set(tenantId, row);
  }
}
