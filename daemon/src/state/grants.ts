import { sql, type Kysely } from 'kysely';

/**
 * Bitrix tables the daemon reads (ARCHITECTURE: readers of smart and legacy invoices, contacts, companies, products,
 * statuses, options). Everything else in the portal database, b_user with its password hashes included, stays
 * out of the daemon user's reach.
 */
export const BITRIX_READ_TABLES = [
  'b_crm_dynamic_type', 'b_crm_item_category', 'b_crm_dynamic_items_31', 'b_crm_status', 'b_crm_entity_contact',
  'b_crm_entity_relation', 'b_crm_product_row', 'b_crm_contact', 'b_crm_company', 'b_crm_contact_company',
  'b_crm_field_multi', 'b_crm_requisite', 'b_crm_addr', 'b_uts_crm_contact', 'b_uts_crm_company', 'b_uts_crm_invoice',
  'b_user_field', 'b_user_field_lang', 'b_option', 'b_option_site', 'b_crm_invoice', 'b_crm_invoice_basket',
  'b_crm_invoice_props_value', 'b_iblock_element', 'b_catalog_product', 'b_catalog_price', 'b_catalog_vat',
  'b_catalog_currency',
  // What `b24xero doctor` reads to tell whether the module is installed (registration, event handlers, agent).
  'b_module', 'b_module_to_module', 'b_agent',
] as const;

/** Read-only for the daemon: only migrations (run as an admin or by the module installer) record into it. */
const READ_ONLY_MODULE_TABLES = new Set(['b_b24xero_migration']);

export interface GrantTarget {
  user: string;
  /** Host part of the account, e.g. 'localhost' or '10.0.0.%'. */
  host: string;
}

/**
 * GRANT statements for a least-privilege daemon account, generated from the tables that exist now. MySQL and
 * MariaDB have no table-name wildcards (only database-name ones), and a table-level GRANT needs the table to exist,
 * so: run migrations first (as an admin), then grant per table, and run this again after a migration adds a table.
 * The daemon gets SELECT on the Bitrix tables it reads and SELECT/INSERT/UPDATE/DELETE on module tables - no
 * CREATE/ALTER/DROP anywhere, and no write to any Bitrix table (rule 1 enforced by the server, not by good manners).
 */
export async function planGrants(db: Kysely<any>, target: GrantTarget): Promise<string[]> {
  const required = await requiredPrivileges(db);
  if (required.length === 0) return [];
  const account = `${quoteString(target.user)}@${quoteString(target.host)}`;
  return required.map(({ database, table, privileges }) =>
    `GRANT ${privileges.join(', ')} ON ${quoteIdentifier(database)}.${quoteIdentifier(table)} TO ${account};`);
}

export interface TablePrivileges {
  database: string;
  table: string;
  privileges: readonly string[];
}

/** What the daemon account needs, per existing table (planGrants prints it; doctor checks it). */
export async function requiredPrivileges(db: Kysely<any>): Promise<TablePrivileges[]> {
  const { rows } = await sql<{ db: string; name: string }>`SELECT TABLE_SCHEMA AS db, TABLE_NAME AS name
    FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME`.execute(db);
  const reads = new Set<string>(BITRIX_READ_TABLES);
  const out: TablePrivileges[] = [];
  for (const { db: database, name } of rows) {
    if (name.startsWith('b_b24xero_')) {
      out.push({ database, table: name, privileges: READ_ONLY_MODULE_TABLES.has(name) ? ['SELECT'] : ['SELECT', 'INSERT', 'UPDATE', 'DELETE'] });
    } else if (reads.has(name)) {
      out.push({ database, table: name, privileges: ['SELECT'] });
    }
  }
  return out;
}

function quoteIdentifier(name: string): string {
  return `\`${name.replace(/`/g, '``')}\``;
}

/** Account names are checked rather than escaped: quoting rules differ with NO_BACKSLASH_ESCAPES. */
export function isPlainAccountPart(value: string): boolean {
  return /^[A-Za-z0-9_.%:-]{1,80}$/.test(value);
}

function quoteString(value: string): string {
  if (!isPlainAccountPart(value)) {
    throw new Error(`account name part '${value}' may only hold letters, digits and _ . % : -`);
  }
  return `'${value}'`;
}
