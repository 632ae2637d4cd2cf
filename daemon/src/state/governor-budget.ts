import { sql, type Kysely } from 'kysely';
import type { GovernorBudgetState, GovernorBudgetStore } from '../xero/governor.ts';
import { fromDbUtc, toDbUtc } from './state-db.ts';
import type { GovernorTable } from './tables.ts';

interface GovernorDb {
  b_b24xero_governor: GovernorTable;
}

/**
 * The rate governor's memory in b_b24xero_governor, one row per tenant (ARCHITECTURE rule 6): the day's call count
 * survives restarts, and the count is taken with one conditional UPDATE, so two processes sharing a tenant (the
 * daemon and a `sync --once` run by hand) can never overspend the budget between them.
 *
 * `db` is any Kysely over the Bitrix database (typed `Kysely<any>` so a `Kysely<StateTables & BitrixTables>` fits).
 */
export class DbGovernorBudgetStore implements GovernorBudgetStore {
  readonly #db: Kysely<GovernorDb>;

  constructor(db: Kysely<any>) {
    this.#db = db as Kysely<GovernorDb>;
  }

  async load(tenantId: string): Promise<GovernorBudgetState | null> {
    const row = await this.#db.selectFrom('b_b24xero_governor').selectAll().where('TENANT_ID', '=', tenantId).executeTakeFirst();
    if (!row) return null;
    return {
      dayUtc: String(row.DAY_UTC).slice(0, 10),
      dayUsed: Number(row.DAY_USED),
      dayRemaining: row.DAY_REMAINING === null ? null : Number(row.DAY_REMAINING),
      minRemaining: row.MIN_REMAINING === null ? null : Number(row.MIN_REMAINING),
      blockedUntil: row.BLOCKED_UNTIL === null ? null : fromDbUtc(row.BLOCKED_UNTIL).getTime(),
    };
  }

  async reserve(tenantId: string, dayUtc: string, limit: number, nowMs: number): Promise<{ granted: boolean; dayUsed: number }> {
    const now = toDbUtc(new Date(nowMs));
    // One statement checks and counts atomically. MySQL/MariaDB assign left to right, so DAY_USED, DAY_REMAINING and
    // MIN_REMAINING still see the old DAY_UTC (a row of an earlier day restarts at 1); LAST_INSERT_ID(expr) hands the
    // new count back without a second query.
    const count = () => sql`UPDATE b_b24xero_governor
      SET DAY_USED = LAST_INSERT_ID(IF(DAY_UTC < ${dayUtc}, 0, DAY_USED) + 1),
          DAY_REMAINING = IF(DAY_UTC < ${dayUtc}, NULL, DAY_REMAINING),
          MIN_REMAINING = IF(DAY_UTC < ${dayUtc}, NULL, MIN_REMAINING),
          DAY_UTC = GREATEST(DAY_UTC, ${dayUtc}),
          UPDATED_AT = ${now}
      WHERE TENANT_ID = ${tenantId} AND (DAY_UTC < ${dayUtc} OR DAY_USED < ${limit})`.execute(this.#db);
    let result = await count();
    if (Number(result.numAffectedRows ?? 0n) === 0) {
      // No row yet (first call for this tenant), or the budget is spent: make sure the row exists and try once more.
      await sql`INSERT IGNORE INTO b_b24xero_governor (TENANT_ID, DAY_UTC, DAY_USED, UPDATED_AT)
                VALUES (${tenantId}, ${dayUtc}, 0, ${now})`.execute(this.#db);
      result = await count();
    }
    if (Number(result.numAffectedRows ?? 0n) > 0) return { granted: true, dayUsed: Number(result.insertId ?? 0n) };
    const row = await this.#db.selectFrom('b_b24xero_governor').select(['DAY_USED', 'DAY_UTC'])
      .where('TENANT_ID', '=', tenantId).executeTakeFirst();
    return { granted: false, dayUsed: row && String(row.DAY_UTC).slice(0, 10) === dayUtc ? Number(row.DAY_USED) : 0 };
  }

  async observe(tenantId: string, dayUtc: string, seen: { dayRemaining: number | null; minRemaining: number | null }, nowMs: number): Promise<void> {
    await this.#db.updateTable('b_b24xero_governor')
      .set({
        ...(seen.dayRemaining !== null ? { DAY_REMAINING: seen.dayRemaining } : {}),
        ...(seen.minRemaining !== null ? { MIN_REMAINING: seen.minRemaining } : {}),
        UPDATED_AT: toDbUtc(new Date(nowMs)),
      })
      .where('TENANT_ID', '=', tenantId).where('DAY_UTC', '=', dayUtc)
      .execute();
  }

  async block(tenantId: string, untilMs: number, nowMs: number): Promise<void> {
    const until = toDbUtc(new Date(untilMs));
    const now = toDbUtc(new Date(nowMs));
    // Values repeated rather than VALUES(col), which MySQL 8.0.20+ deprecates (and its alias syntax is MySQL-only).
    await sql`INSERT INTO b_b24xero_governor (TENANT_ID, DAY_UTC, DAY_USED, BLOCKED_UNTIL, UPDATED_AT)
              VALUES (${tenantId}, ${now.slice(0, 10)}, 0, ${until}, ${now})
              ON DUPLICATE KEY UPDATE BLOCKED_UNTIL = GREATEST(COALESCE(BLOCKED_UNTIL, ${until}), ${until}),
                                      UPDATED_AT = ${now}`.execute(this.#db);
  }
}

/** Calls counted today (UTC) for the busiest tenant of this database, for `status`, STATUS= and /metrics. */
export async function budgetUsedToday(db: Kysely<any>): Promise<{ tenantId: string; used: number; xeroRemaining: number | null } | null> {
  const row = await (db as Kysely<GovernorDb>).selectFrom('b_b24xero_governor')
    .select(['TENANT_ID', 'DAY_USED', 'DAY_REMAINING'])
    .where('DAY_UTC', '=', sql<string>`UTC_DATE()`)
    .orderBy('DAY_USED', 'desc').limit(1).executeTakeFirst();
  return row ? { tenantId: row.TENANT_ID, used: Number(row.DAY_USED), xeroRemaining: row.DAY_REMAINING === null ? null : Number(row.DAY_REMAINING) } : null;
}
