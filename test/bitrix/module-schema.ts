import { CompiledQuery, type Kysely } from 'kysely';
import { migrate } from '../../daemon/src/state/migrator.ts';

/** The module-owned b_b24xero_* tables, applied the way `b24xero migrate` does. */
export async function applyModuleSchema(db: Kysely<any>): Promise<void> {
  await migrate(db);
}

/** EXPLAIN of a compiled query: one row per table, with MySQL/MariaDB's `type` and `key` columns. */
export async function explain(db: Kysely<any>, query: { sql: string; parameters: readonly unknown[] }): Promise<Array<{ type: string | null; key: string | null; Extra?: string | null; rows?: unknown }>> {
  const { rows } = await db.executeQuery<{ type: string | null; key: string | null }>(
    CompiledQuery.raw(`EXPLAIN ${query.sql}`, [...query.parameters]),
  );
  return rows;
}
