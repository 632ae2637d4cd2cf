import { currentDatabase, serverLockName } from '../db/lock-name.ts';
import { sql, type Kysely } from 'kysely';
import { DEFAULT_SQL_DIR, readMigrationFiles, type MigrationFile } from './migration-files.ts';
import { splitSqlStatements } from './sql-splitter.ts';

export const MIGRATION_TABLE = 'b_b24xero_migration';

/**
 * Created by the migrator rather than by a sql/ file, because it must exist before the first file is recorded.
 * The Bitrix installer creates the same table (sql/README.md has the statement) so both record what they ran.
 */
export const MIGRATION_TABLE_DDL = `CREATE TABLE IF NOT EXISTS ${MIGRATION_TABLE} (
  VERSION INT UNSIGNED NOT NULL,
  NAME VARCHAR(255) NOT NULL,
  CHECKSUM CHAR(64) NOT NULL,
  APPLIED_AT DATETIME(3) NOT NULL,
  PRIMARY KEY (VERSION)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`;

export class MigrationError extends Error {
  override name = 'MigrationError';
}

export interface MigrateOptions {
  /** Folder of `NNN_name.sql` files; default: the repository's sql/. */
  dir?: string;
  /** How long to wait for another migrator to finish, in seconds. */
  lockTimeoutSeconds?: number;
  /** Called before each file is applied (the CLI prints it). */
  onApply?: (file: Pick<MigrationFile, 'version' | 'name'>) => void;
}

export interface MigrateResult {
  /** Files applied by this run, in order. */
  applied: Array<Pick<MigrationFile, 'version' | 'name'>>;
  /** Files that were already recorded before this run. */
  alreadyApplied: number;
}

interface AppliedRow {
  VERSION: number;
  NAME: string;
  CHECKSUM: string;
}

/**
 * Applies pending sql/ files in order, each once, and records them in b_b24xero_migration.
 *
 * MySQL DDL is not transactional (each CREATE commits on its own), so a transaction cannot make two migrators
 * safe. Instead everything runs on ONE dedicated connection that holds GET_LOCK('b24xero:migrate:<db>'): a second
 * migrator waits, then finds the files recorded and does nothing. The server releases the lock if this process
 * dies mid-way, and since every statement in sql/ is idempotent (IF NOT EXISTS), re-running a half-applied file
 * is safe. Forward-only: an applied file whose checksum changed is refused before anything runs.
 */
export async function migrate(db: Kysely<any>, options: MigrateOptions = {}): Promise<MigrateResult> {
  const files = await readMigrationFiles(options.dir ?? DEFAULT_SQL_DIR);
  // Parse every file before touching the database, so a typo in 003 does not leave 002 half-done.
  const parsed = files.map((file) => ({ file, statements: splitSqlStatements(file.sql) }));

  return db.connection().execute(async (conn) => {
    const lockName = await migrationLockName(conn);
    await acquireLock(conn, lockName, options.lockTimeoutSeconds ?? 60);
    try {
      await ensureMigrationTable(conn);
      const applied = await readApplied(conn);
      checkHistory(files, applied);

      const result: MigrateResult = { applied: [], alreadyApplied: applied.size };
      for (const { file, statements } of parsed) {
        if (applied.has(file.version)) continue;
        options.onApply?.({ version: file.version, name: file.name });
        for (const [index, statement] of statements.entries()) {
          try {
            await sql.raw(statement).execute(conn);
          } catch (error) {
            throw new MigrationError(
              `${file.name}.sql statement ${index + 1} of ${statements.length} failed: ${(error as Error).message}\n` +
                `  ${firstLine(statement)}`,
              { cause: error },
            );
          }
        }
        await sql`INSERT INTO b_b24xero_migration (VERSION, NAME, CHECKSUM, APPLIED_AT)
                  VALUES (${file.version}, ${file.name}, ${file.checksum}, UTC_TIMESTAMP(3))`.execute(conn);
        result.applied.push({ version: file.version, name: file.name });
      }
      return result;
    } finally {
      await sql`SELECT RELEASE_LOCK(${lockName})`.execute(conn).catch(() => undefined);
    }
  });
}

export interface MigrationStatus {
  applied: number[];
  pending: Array<Pick<MigrationFile, 'version' | 'name'>>;
  /** Applied files whose text no longer matches what was run. */
  changed: Array<Pick<MigrationFile, 'version' | 'name'>>;
  /** Versions recorded in the database that this build has no file for (a newer release migrated it). */
  unknown: number[];
}

/** Read-only view for `status`/`doctor`: needs only SELECT, takes no lock. */
export async function migrationStatus(db: Kysely<any>, dir: string = DEFAULT_SQL_DIR): Promise<MigrationStatus> {
  const files = await readMigrationFiles(dir);
  const applied = (await migrationTableExists(db)) ? await readApplied(db) : new Map<number, AppliedRow>();
  const known = new Set(files.map((f) => f.version));
  return {
    applied: [...applied.keys()].sort((a, b) => a - b),
    pending: files.filter((f) => !applied.has(f.version)).map(({ version, name }) => ({ version, name })),
    changed: files
      .filter((f) => applied.has(f.version) && applied.get(f.version)!.CHECKSUM !== f.checksum)
      .map(({ version, name }) => ({ version, name })),
    unknown: [...applied.keys()].filter((v) => !known.has(v)).sort((a, b) => a - b),
  };
}

/** GET_LOCK names are limited to 64 characters; long database names fall back to a hash. */
export function lockNameFor(database: string): string {
  return serverLockName('b24xero:migrate:', database);
}

async function migrationLockName(conn: Kysely<any>): Promise<string> {
  const database = await currentDatabase(conn);
  if (!database) throw new MigrationError('the connection has no database selected (BITRIX_DB_URL must name one)');
  return lockNameFor(database);
}

async function acquireLock(conn: Kysely<any>, name: string, timeoutSeconds: number): Promise<void> {
  const { rows } = await sql<{ got: number | string | null }>`SELECT GET_LOCK(${name}, ${timeoutSeconds}) AS got`.execute(conn);
  if (Number(rows[0]?.got) !== 1) {
    throw new MigrationError(
      `another migration holds the lock '${name}' and did not finish within ${timeoutSeconds}s; try again later`,
    );
  }
}

async function migrationTableExists(db: Kysely<any>): Promise<boolean> {
  // '_' is a LIKE wildcard: escape it so only this exact table matches.
  const { rows } = await sql`SHOW TABLES LIKE ${MIGRATION_TABLE.replace(/_/g, '\\_')}`.execute(db);
  return rows.length > 0;
}

/**
 * Skips the CREATE when the table is there, so a least-privilege daemon user (ALL on each module table, no
 * database-wide CREATE) can still run the no-op check.
 */
async function ensureMigrationTable(conn: Kysely<any>): Promise<void> {
  if (await migrationTableExists(conn)) return;
  await sql.raw(MIGRATION_TABLE_DDL).execute(conn);
}

async function readApplied(db: Kysely<any>): Promise<Map<number, AppliedRow>> {
  const { rows } = await sql<AppliedRow>`SELECT VERSION, NAME, CHECKSUM FROM b_b24xero_migration`.execute(db);
  return new Map(rows.map((row) => [Number(row.VERSION), row]));
}

function checkHistory(files: MigrationFile[], applied: Map<number, AppliedRow>): void {
  const problems: string[] = [];
  for (const file of files) {
    const row = applied.get(file.version);
    if (row && row.CHECKSUM !== file.checksum) {
      problems.push(
        `${file.name}.sql was changed after it was applied (recorded sha256 ${row.CHECKSUM.slice(0, 12)}…, ` +
          `file now ${file.checksum.slice(0, 12)}…); migrations are forward-only: restore the file and add a new one`,
      );
    }
  }
  const known = new Set(files.map((f) => f.version));
  for (const [version, row] of applied) {
    if (!known.has(version)) {
      problems.push(`the database has migration ${row.NAME} which this build does not know: it was migrated by a newer b24xero`);
    }
  }
  if (problems.length > 0) throw new MigrationError(`refusing to migrate:\n  - ${problems.join('\n  - ')}`);
}

function firstLine(statement: string): string {
  const line = statement.split('\n').find((l) => l.trim() !== '' && !l.trim().startsWith('--')) ?? statement;
  return line.trim().slice(0, 120);
}
