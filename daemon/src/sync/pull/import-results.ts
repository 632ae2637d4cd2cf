import { readCompanies, readContacts } from '../../bitrix/parties.ts';
import { getCursor, setCursor } from '../../state/cursors.ts';
import type { StateDb } from '../../state/tables.ts';
import { importLinkKey, planPartyContact } from '../plan/index.ts';
import { upsertSyncedLink } from '../push/link-queries.ts';
import type { PullContext } from './pull-context.ts';

/** b_b24xero_cursor: the last b_b24xero_inbox_result.INBOX_ID whose import is linked. */
export const IMPORT_RESULT_CURSOR = 'pull:import_results';
const PAGE = 500;


/**
 * Links what the module's applier made of import rows (sql/inbox/README.md "Imports report what they made"): the daemon
 * is the one writer of b_b24xero_link. Each link gets the content hash of the record's push plan as Bitrix now holds
 * it, so the push sees nothing to send until someone edits it in Bitrix. Persons made from a company's ContactPersons
 * are not Xero contacts of their own and get no link. Returns how many links were made.
 */
export async function linkImportResults(ctx: Pick<PullContext, 'db' | 'state' | 'tenantId' | 'dryRun' | 'log'>): Promise<number> {
  if (ctx.dryRun) return 0;
  let made = 0;
  for (;;) {
    const after = Number(await getCursor(ctx.state, IMPORT_RESULT_CURSOR) ?? 0);
    const rows = await (ctx.state as StateDb).selectFrom('b_b24xero_inbox_result as r').innerJoin('b_b24xero_inbox as i', 'i.ID', 'r.INBOX_ID')
      .select(['r.INBOX_ID', 'r.RESULT', 'i.ACTION', 'i.PAYLOAD'])
      .where('r.INBOX_ID', '>', after).where('i.ACTION', 'in', ['import_contact', 'import_company'])
      .orderBy('r.INBOX_ID').limit(PAGE).execute();
    if (rows.length === 0) return made;
    const wanted = rows.flatMap((row) => {
      try {
        const result = JSON.parse(row.RESULT) as { entityId?: unknown };
        const payload = JSON.parse(row.PAYLOAD) as { xeroContactId?: unknown };
        const entityId = Number(result.entityId);
        if (!Number.isSafeInteger(entityId) || entityId < 1 || typeof payload.xeroContactId !== 'string') throw new Error('no entityId or xeroContactId');
        return [{ type: row.ACTION === 'import_company' ? 'company' as const : 'contact' as const, entityId, xeroId: payload.xeroContactId.toLowerCase() }];
      } catch (error) {
        ctx.log.warn('import result ignored: unreadable', { inboxId: row.INBOX_ID, error: (error as Error).message });
        return [];
      }
    });
    const hashes = new Map<string, string>();
    const contacts = await readContacts(ctx.db, wanted.filter((w) => w.type === 'contact').map((w) => w.entityId));
    for (const person of contacts.contacts) hashes.set(`contact:${person.id}`, planPartyContact({ type: 'person', person }).hash);
    const companies = await readCompanies(ctx.db, wanted.filter((w) => w.type === 'company').map((w) => w.entityId));
    for (const company of companies.companies) hashes.set(`company:${company.id}`, planPartyContact({ type: 'company', company }).hash);
    for (const w of wanted) {
      const hash = hashes.get(`${w.type}:${w.entityId}`);
      if (!hash) {
        ctx.log.warn('imported record no longer in Bitrix; not linked', { entity: w.type, id: w.entityId, contactID: w.xeroId });
        continue;
      }
      await upsertSyncedLink(ctx.state, {
        entityType: w.type, entityId: w.entityId, xeroId: w.xeroId, idempotencyKey: importLinkKey(w.xeroId),
        contentHash: hash, xeroNumber: null, tenantId: ctx.tenantId,
      });
      made++;
    }
    await setCursor(ctx.state, IMPORT_RESULT_CURSOR, String(rows[rows.length - 1]!.INBOX_ID));
  }
}

/** Whether applied imports wait to be linked (one indexed query). */
export async function importResultsPending(state: StateDb): Promise<boolean> {
  const after = Number(await getCursor(state, IMPORT_RESULT_CURSOR) ?? 0);
  const row = await state.selectFrom('b_b24xero_inbox_result').select('INBOX_ID').where('INBOX_ID', '>', after).limit(1).executeTakeFirst();
  return row !== undefined;
}
