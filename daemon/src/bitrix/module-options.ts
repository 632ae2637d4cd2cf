import type { Kysely } from 'kysely';
import { MODULE_ID } from '../domain/settings.ts';
import { type BitrixTables, bitrixDb } from './tables.ts';

/**
 * The module's options as stored by Bitrix's Option::set (b_option, MODULE_ID 'b24xero.sync'), raw: parsing and
 * defaults belong to config/. A NULL VALUE reads as ''. Site-specific values (b_option_site) are not used: the
 * module's options are portal-wide.
 */
export async function readModuleOptionsRaw<DB extends BitrixTables>(anyDb: Kysely<DB>): Promise<Record<string, string>> {
  const db = bitrixDb(anyDb);
  const rows = await db.selectFrom('b_option').select(['NAME', 'VALUE']).where('MODULE_ID', '=', MODULE_ID).orderBy('NAME').execute();
  const options: Record<string, string> = {};
  for (const row of rows) options[row.NAME] = row.VALUE ?? '';
  return options;
}
