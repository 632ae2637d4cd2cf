import { CompiledQuery, sql, type Kysely } from 'kysely';
import { readMigrationFiles } from '../../daemon/src/state/migration-files.ts';
import { splitSqlStatements } from '../../daemon/src/state/sql-splitter.ts';

/**
 * Applies sql/NNN_*.sql (the module-owned b_b24xero_* tables) to a test database, statement by statement — the same
 * files `b24xero migrate` runs, without its bookkeeping table, which these tests do not need.
 */
export async function applyModuleSchema(db: Kysely<any>): Promise<void> {
  for (const file of await readMigrationFiles()) {
    for (const statement of splitSqlStatements(file.sql)) await sql.raw(statement).execute(db);
  }
}

/** EXPLAIN of a compiled query: one row per table, with MySQL/MariaDB's `type` and `key` columns. */
export async function explain(db: Kysely<any>, query: { sql: string; parameters: readonly unknown[] }): Promise<Array<{ type: string | null; key: string | null; Extra?: string | null; rows?: unknown }>> {
  const { rows } = await db.executeQuery<{ type: string | null; key: string | null }>(
    CompiledQuery.raw(`EXPLAIN ${query.sql}`, [...query.parameters]),
  );
  return rows;
}
