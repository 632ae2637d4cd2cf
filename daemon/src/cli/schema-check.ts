import type { Kysely } from 'kysely';
import { migrationStatus } from '../state/migrator.ts';
import { writeLine, type TextSink } from './command.ts';

/** Whether the module tables are there and current; otherwise says to migrate, on behalf of `command`. */
export async function schemaIsCurrent(db: Kysely<any>, stderr: TextSink, command: string): Promise<boolean> {
  const schema = await migrationStatus(db);
  if (schema.applied.length > 0 && schema.pending.length === 0) return true;
  writeLine(stderr, `b24xero ${command}: the module tables are missing or not current: run 'b24xero migrate' first`);
  return false;
}
