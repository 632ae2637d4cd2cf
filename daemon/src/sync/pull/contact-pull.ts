import type { Contact } from 'xero-node';
import { findPartiesByName, type NamedParty } from '../../bitrix/party-names.ts';
import { readCompanies, readContacts } from '../../bitrix/parties.ts';
import { getCursor, setCursor } from '../../state/cursors.ts';
import { readSeenContacts, saveSeenContact } from '../../state/contact-seen.ts';
import { enqueueInbox } from '../../state/inbox.ts';
import { recordError, resolveError } from '../../state/record-errors.ts';
import type { LinkRow, StateDb } from '../../state/tables.ts';
import { chunk } from '../../util/chunk.ts';
import { foldName as norm } from '../../util/fold-name.ts';
import {
  companyTitle, importRow, importSkip, isImportLink, mergeXeroEdit, planPartyContact, viewOfXeroContact, type ImportSkip, type XeroPartyView,
} from '../plan/index.ts';
import { xeroTime } from '../plan/pull-transaction.ts';
import { linksToXeroIds, xeroUpdatedUtc } from '../push/link-queries.ts';
import { linkImportResults } from './import-results.ts';
import { emptyPullSummary, type PullContext, type PullOptions, type PullSummary } from './pull-context.ts';

/** b_b24xero_cursor: UpdatedDateUTC (ISO) of the newest contact of the last page the contact pull finished. */
export const CONTACT_CURSOR = 'pull:contacts';
/** b_b24xero_cursor: when the contact pull last ran (ISO), for its cadence. */
export const CONTACT_PULL_AT = 'pull:contacts_at';
/**
 * How often the contact pull runs besides the nightly reconcile: hourly keeps an idle day inside issue 7's 1,500
 * calls next to the minute-by-minute invoice poll (24 calls a day instead of 1,440).
 */
export const CONTACT_PULL_MS = 60 * 60_000;
const PAGE = 100;
/** record_error OPERATION of an import held back for a person. */
export const IMPORT_OPERATION = 'import';

export interface ContactPullSummary extends PullSummary {
  /** Import rows queued (new Bitrix contacts and companies, or Bitrix records bound by UF_CRM_XERO_ID). */
  imported: number;
  /** update_party rows queued: Xero edits of linked records. */
  updated: number;
  /** Fields changed on both sides (recorded). */
  conflicts: number;
  /** Xero contacts held back because an unlinked Bitrix record has the same name (needs a person). */
  flagged: number;
  /** Links made from applied imports (the module's result rows). */
  linked: number;
  skipped: Partial<Record<ImportSkip, number>>;
  /** ContactIDs of the import rows queued. */
  importedIds: string[];
  /** Unlinked contacts read again unchanged since their import row was queued (If-Modified-Since includes its second). */
  alreadyQueued: number;
}

/** Whether the contact pull is due (hourly, or never run); 'off' never. */
export async function contactPullDue(ctx: Pick<PullContext, 'state' | 'settings'>, now: Date): Promise<boolean> {
  if (ctx.settings.importContacts === 'off') return false;
  const at = await getCursor(ctx.state, CONTACT_PULL_AT);
  return !at || now.getTime() - new Date(at).getTime() >= CONTACT_PULL_MS;
}

/**
 * The contact pull (issue 7 item 4). First links what the applier made of earlier import rows; then reads Xero's
 * contacts If-Modified-Since its cursor (the whole book the first time), archived included, in pages of 100 in
 * UpdatedDateUTC order, the cursor moved after each page. Per contact:
 * - linked (ours or imported): its status is kept in UF_CRM_XERO_STATUS (archived → marked, never deleted); an edit in
 *   Xero since the last-seen copy reaches Bitrix as update_party, a field changed on both sides is a conflict that the
 *   record's master wins (mergeXeroEdit);
 * - not linked: imported by the rule (import_contact / import_company, keyed by ContactID so a repeat replaces the
 *   pending row), unless archived, one of ours (B24 ContactNumber), not a customer with the 'customers' setting, or
 *   named like an unlinked Bitrix record — that is flagged for a person, never merged; flagged contacts are looked at
 *   again every run (by id, one call per 100) so binding them by UF_CRM_XERO_ID lets them through.
 * The last-seen copy of every contact read is kept (b_b24xero_contact_seen) as the base of the next comparison.
 */
export async function pullContacts(ctx: PullContext, opts: PullOptions & { now?: Date } = {}): Promise<ContactPullSummary> {
  const summary: ContactPullSummary = { ...emptyPullSummary(), imported: 0, updated: 0, conflicts: 0, flagged: 0, linked: 0, skipped: {}, importedIds: [], alreadyQueued: 0 };
  summary.linked = await linkImportResults(ctx);
  const mode = ctx.settings.importContacts;
  if (mode === 'off') return summary;
  // Xero's If-Modified-Since has second precision and includes that second: the flagged re-check and the pages may
  // show a contact twice in one run; it is handled once.
  const handled = new Set<string>();
  const handle = (items: Contact[]) => handlePage(ctx, items.filter((c) => {
    const id = String(c.contactID ?? '').toLowerCase();
    if (handled.has(id)) return false;
    handled.add(id);
    return true;
  }), summary, mode);
  if (opts.ids) {
    for (const ids of chunk([...new Set(opts.ids.map((id) => id.toLowerCase()))], PAGE)) {
      summary.calls++;
      await handle((await ctx.gateway.getContacts({ ids, includeArchived: true })).items);
    }
    return summary;
  }
  const flagged = await flaggedContactIds(ctx.state);
  for (const ids of chunk(flagged, PAGE)) {
    summary.calls++;
    await handle((await ctx.gateway.getContacts({ ids, includeArchived: true })).items);
  }
  const stored = await getCursor(ctx.state, CONTACT_CURSOR);
  for (let page = 1; ; page++) {
    summary.calls++;
    const { items } = await ctx.gateway.getContacts({
      includeArchived: true, order: 'UpdatedDateUTC ASC', page, pageSize: PAGE, ...(stored && { modifiedSince: new Date(stored) }),
    });
    await handle(items);
    const newest = items.map((c) => xeroTime(c.updatedDateUTC as unknown as string)).filter((d): d is Date => d !== null)
      .reduce<Date | null>((a, b) => (!a || b > a ? b : a), null);
    if (newest && !ctx.dryRun) await setCursor(ctx.state, CONTACT_CURSOR, newest.toISOString());
    if (items.length < PAGE) break;
  }
  if (!ctx.dryRun) await setCursor(ctx.state, CONTACT_PULL_AT, (opts.now ?? new Date()).toISOString());
  return summary;
}

async function flaggedContactIds(state: StateDb): Promise<string[]> {
  const rows = await state.selectFrom('b_b24xero_record_error').select('DETAILS')
    .where('OPERATION', '=', IMPORT_OPERATION).where('RESOLVED_AT', 'is', null).execute();
  return [...new Set(rows.flatMap((r) => {
    try {
      const id = (JSON.parse(String(r.DETAILS ?? '{}')) as { contactID?: unknown }).contactID;
      return typeof id === 'string' ? [id] : [];
    } catch {
      return [];
    }
  }))];
}

async function handlePage(ctx: PullContext, items: Contact[], summary: ContactPullSummary, mode: 'all' | 'customers'): Promise<void> {
  summary.fetched += items.length;
  const views = items.filter((c) => c.contactID).map((c) => ({ view: viewOfXeroContact(c), updatedUtc: xeroUpdatedUtc(c.updatedDateUTC) }));
  if (views.length === 0) return;
  const ids = views.map((v) => v.view.contactID);
  const links = new Map<string, LinkRow>();
  for (const link of await linksToXeroIds(ctx.state, 'contact', ids)) {
    if ((link.ENTITY_TYPE === 'contact' || link.ENTITY_TYPE === 'company') && link.XERO_ID) links.set(link.XERO_ID.toLowerCase(), link);
  }
  const seen = await readSeenContacts(ctx.state, ids);
  const linked = views.filter((v) => links.has(v.view.contactID));
  const unlinked = views.filter((v) => !links.has(v.view.contactID));
  if (linked.length > 0) await followLinked(ctx, linked, links, seen, summary);
  // Queued before and not changed in Xero since: its row (or the record the applier made from it) stands.
  const fresh = unlinked.filter((v) => {
    const before = seen.get(v.view.contactID);
    const again = before !== undefined && JSON.stringify(before) === JSON.stringify(v.view);
    if (again) summary.alreadyQueued++;
    return !again;
  });
  if (fresh.length > 0) await importNew(ctx, fresh, summary, mode);
}

type Seen = { view: XeroPartyView; updatedUtc: string | null };

async function followLinked(ctx: PullContext, items: Seen[], links: Map<string, LinkRow>, seen: Map<string, XeroPartyView>, summary: ContactPullSummary): Promise<void> {
  const link = (v: Seen) => links.get(v.view.contactID)!;
  const bitrix = new Map<string, XeroPartyView>();
  const persons = await readContacts(ctx.db, items.filter((v) => link(v).ENTITY_TYPE === 'contact').map((v) => link(v).ENTITY_ID));
  for (const person of persons.contacts) bitrix.set(`contact:${person.id}`, viewOfXeroContact(planPartyContact({ type: 'person', person }).payload));
  const companies = await readCompanies(ctx.db, items.filter((v) => link(v).ENTITY_TYPE === 'company').map((v) => link(v).ENTITY_ID));
  for (const company of companies.companies) bitrix.set(`company:${company.id}`, viewOfXeroContact(planPartyContact({ type: 'company', company }).payload));

  for (const item of items) {
    const l = link(item);
    const entityType = l.ENTITY_TYPE as 'contact' | 'company';
    const base = seen.get(item.view.contactID);
    const mine = bitrix.get(`${entityType}:${l.ENTITY_ID}`);
    if (!mine) {
      ctx.log.warn('linked contact no longer in Bitrix; Xero edits not applied', { entity: entityType, id: l.ENTITY_ID, contactID: item.view.contactID });
      continue;
    }
    const statusChanged = base ? base.status !== item.view.status : item.view.status !== 'ACTIVE';
    const merge = base ? mergeXeroEdit(base, item.view, mine, entityType, isImportLink(l.IDEMPOTENCY_KEY) ? 'xero' : 'bitrix') : null;
    const wantsUpdate = merge !== null && (Object.keys(merge.set).length > 0 || merge.persons !== null);
    summary.queued += (statusChanged ? 1 : 0) + (wantsUpdate ? 1 : 0);
    if (wantsUpdate) summary.updated++;
    if (merge && merge.conflicts.length > 0) summary.conflicts++;
    if (ctx.dryRun) continue;
    await ctx.state.transaction().execute(async (trx) => {
      if (statusChanged) {
        await enqueueInbox(trx, { entityType, entityId: l.ENTITY_ID, action: 'set_fields', payload: { fields: { UF_CRM_XERO_STATUS: item.view.status } } });
      }
      if (wantsUpdate) {
        await enqueueInbox(trx, {
          entityType, entityId: l.ENTITY_ID, action: 'update_party',
          payload: {
            xeroContactId: item.view.contactID, xeroUpdatedUtc: item.updatedUtc ?? nowUtc(), set: merge!.set,
            ...(entityType === 'company' && merge!.persons && { persons: merge!.persons }),
          },
        });
      }
      await saveSeenContact(trx, item.view, item.updatedUtc);
    });
    if (merge && merge.conflicts.length > 0) {
      const master = isImportLink(l.IDEMPOTENCY_KEY) ? 'Xero (the record came from Xero)' : 'Bitrix (the record was created in Bitrix)';
      const fields = merge.conflicts.map((c) => `${c.field}: Xero ${JSON.stringify(c.xero)}, Bitrix ${JSON.stringify(c.bitrix)}`).join('; ');
      await recordError(ctx.state, {
        entityType, entityId: l.ENTITY_ID, operation: 'contact_conflict', severity: 'warning', errorClass: 'needs_person', code: 'contact_conflict',
        message: `Xero contact "${item.view.name}" and Bitrix ${entityType} ${l.ENTITY_ID} both changed ${merge.conflicts.map((c) => c.field).join(', ')} — ${master} wins: ${fields}`,
        details: { contactID: item.view.contactID, conflicts: merge.conflicts }, runId: ctx.runId ?? null,
      });
    }
  }
}

async function importNew(ctx: PullContext, items: Seen[], summary: ContactPullSummary, mode: 'all' | 'customers'): Promise<void> {
  const wanted: Seen[] = [];
  for (const item of items) {
    const skip = importSkip(item.view, mode);
    if (skip) summary.skipped[skip] = (summary.skipped[skip] ?? 0) + 1;
    else wanted.push(item);
  }
  if (wanted.length === 0) return;
  const named = await findPartiesByName(ctx.db, {
    people: wanted.filter((v) => v.view.kind === 'contact').map((v) => ({ firstName: v.view.firstName, lastName: v.view.lastName })),
    titles: wanted.filter((v) => v.view.kind === 'company').map((v) => companyTitle(v.view)),
  });
  const boundLinks = named.length === 0 ? new Map<string, LinkRow>()
    : new Map((await ctx.state.selectFrom('b_b24xero_link').selectAll().where('XERO_TYPE', '=', 'contact')
      .where('ENTITY_ID', 'in', named.map((n) => n.id)).execute()).map((l) => [`${l.ENTITY_TYPE}:${l.ENTITY_ID}`, l]));
  for (const item of wanted) {
    const { view } = item;
    const key = norm(view.kind === 'contact' ? `${view.firstName} ${view.lastName}` : companyTitle(view));
    const sameName = named.filter((n) => n.entityType === view.kind && norm(n.name) === key);
    const bound = sameName.find((n) => n.xeroId?.toLowerCase() === view.contactID);
    // A Bitrix record bound to another Xero contact (its link or UF_CRM_XERO_ID) is someone else: no clash.
    const clash = bound ? undefined : sameName.find((n) => !n.xeroId && !boundLinks.has(`${n.entityType}:${n.id}`));
    if (clash) {
      summary.flagged++;
      if (!ctx.dryRun) await flag(ctx, view, clash);
      continue;
    }
    summary.imported++;
    summary.importedIds.push(view.contactID);
    summary.queued++;
    if (ctx.dryRun) continue;
    const row = importRow(view, item.updatedUtc ?? nowUtc());
    await ctx.state.transaction().execute(async (trx) => {
      await enqueueInbox(trx, { entityType: row.entityType, entityId: null, action: row.action, payload: row.payload, dedupeKey: `import:${view.contactID}` });
      await saveSeenContact(trx, view, item.updatedUtc);
    });
    await resolveFlags(ctx, view.contactID);
  }
}

async function flag(ctx: PullContext, view: XeroPartyView, clash: NamedParty): Promise<void> {
  await recordError(ctx.state, {
    entityType: clash.entityType, entityId: clash.id, operation: IMPORT_OPERATION, errorClass: 'needs_person', code: 'import_name_taken',
    message: `Xero contact "${view.name}" (${view.contactID}) has the same name as Bitrix ${clash.entityType} ${clash.id} ("${clash.name}"), ` +
      `which is not linked to Xero: not imported, not merged. If they are the same, set UF_CRM_XERO_ID of the Bitrix ${clash.entityType} to ` +
      `${view.contactID}; otherwise rename one of them`,
    details: { contactID: view.contactID }, runId: ctx.runId ?? null,
  });
}

async function resolveFlags(ctx: PullContext, contactID: string): Promise<void> {
  const rows = await ctx.state.selectFrom('b_b24xero_record_error').select(['ENTITY_TYPE', 'ENTITY_ID', 'DETAILS'])
    .where('OPERATION', '=', IMPORT_OPERATION).where('RESOLVED_AT', 'is', null).where('DETAILS', 'like', `%${contactID}%`).execute();
  for (const r of rows) await resolveError(ctx.state, { entityType: r.ENTITY_TYPE, entityId: r.ENTITY_ID, operation: IMPORT_OPERATION });
}

function nowUtc(): string {
  return new Date().toISOString().replace('T', ' ').replace('Z', '');
}
