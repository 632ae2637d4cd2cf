import type { InvoicePage } from '../../bitrix/invoice-parts.ts';
import { readLegacyInvoices } from '../../bitrix/legacy-invoices.ts';
import { readSmartInvoices } from '../../bitrix/smart-invoices.ts';
import type { DomainInvoice, InvoiceKind } from '../../domain/invoice.ts';
import { markLinkSynced } from '../../state/links.ts';
import { resolveError } from '../../state/record-errors.ts';
import { XeroApiError, type Invoice } from '../../xero/index.ts';
import { planInvoice, shouldCreate, shouldPush } from '../plan/index.ts';
import { resolvePayers } from './contact-sync.ts';
import { syncItems } from './item-sync.ts';
import { linksOf, openErrors } from './link-queries.ts';
import { chunk } from '../../util/chunk.ts';
import { ENTITY_OF_KIND, type InvoiceWork } from './invoice-work.ts';
import { adoptSettingsHash, createInvoices, findCreatedInvoices, flushCreates, isXeroOwned, updateInvoices } from './invoice-writes.ts';
import { settleInvoice } from './invoice-settle.ts';
import { intentKey } from './idempotency-keys.ts';
import { stopIfTenantWide } from './tenant-outage.ts';
import { untouchedSincePush } from './untouched-since-push.ts';
import type { PushContext } from './push-context.ts';
import { combinePlanErrors, errorOf, failInvoice, recordFailure } from './record-failure.ts';

export interface PushOptions {
  /**
   * Ids to try now even while their last failure is backing off (the change feed said they changed, or their retry
   * is due). Others — the safety scan re-reading its overlap window — wait for the back-off unless Bitrix changed them.
   */
  forced?: ReadonlySet<number>;
  /**
   * The pass re-plans these because the module's settings changed, not because Bitrix did (settings-replan.ts):
   * an invoice Xero already owns adopts the new hash instead of raising a conflict.
   */
  settingsReplan?: boolean;
}

/** Invoices read, planned and pushed together (several Xero batches of 50 each). */
const PAGE = 1000;

export const READERS: Readonly<Record<InvoiceKind, (db: PushContext['db'], ids: readonly number[]) => Promise<InvoicePage>>> = {
  smart: readSmartInvoices,
  legacy: readLegacyInvoices,
};

/**
 * Brings the given invoices of one kind to their desired Xero state. Per page: read → shouldPush → Items for the
 * products used → payer contacts → planInvoice → by link state: unchanged (no call), find-before-create for
 * 'creating', create, or update/conflict after reading Xero's status. Every per-record failure is stored and the
 * rest go on; only a failure of the pass itself (database gone) throws.
 */
export async function pushInvoices(ctx: PushContext, kind: InvoiceKind, ids: readonly number[], options: PushOptions = {}): Promise<void> {
  for (const page of chunk([...new Set(ids)], PAGE)) {
    try {
      await pushPage(ctx, kind, page, options.forced ?? new Set(), options.settingsReplan ?? false);
    } catch (error) {
      // A Xero read (lookup, status check) failing for the whole page: those invoices are retried with back-off;
      // anything else (the database) is the pass's failure.
      stopIfTenantWide(error);
      if (!(error instanceof XeroApiError)) throw error;
      ctx.log.warn('xero call failed for a page of invoices; retried later', { kind, error: error.message });
      for (const id of page) await recordFailure(ctx, ENTITY_OF_KIND[kind], id, 'push', errorOf(error));
    }
  }
  // Before the caller moves a scan cursor past these invoices, every create they need has been sent.
  await flushCreates(ctx);
}

async function pushPage(ctx: PushContext, kind: InvoiceKind, ids: number[], forced: ReadonlySet<number>, settingsReplan: boolean): Promise<void> {
  const entityType = ENTITY_OF_KIND[kind];
  const read = await READERS[kind](ctx.db, ids);
  for (const problem of read.problems) {
    await recordFailure(ctx, entityType, problem.id, 'read', { code: 'read_failed', message: problem.message, class: 'needs_person' });
  }
  const errors = await openErrors(ctx.state, entityType, read.invoices.map((i) => i.id));
  const historyMatch = (id: number) => ctx.historyMatches?.get(`${entityType}:${id}`);
  const pushable: DomainInvoice[] = [];
  for (const invoice of read.invoices) {
    const decision = shouldPush(invoice, ctx.settings);
    const failed = errors.get(`${invoice.id}:push`);
    if (failed && !failed.due && !forced.has(invoice.id) && failed.bitrixUpdatedAt === invoice.updatedAt) {
      // Failed before and unchanged in Bitrix since: wait for the back-off instead of repeating the same failure.
      ctx.stats.skipped++;
      ctx.note({ entity: entityType, id: invoice.id, action: 'skip', reason: 'waiting for the retry of its last failure' });
    } else if (decision.action === 'skip' && !(decision.reason === 'failure_stage' && historyMatch(invoice.id))) {
      ctx.stats.skipped++;
      ctx.note({ entity: entityType, id: invoice.id, action: 'skip', reason: decision.message });
    } else {
      pushable.push(invoice);
    }
  }
  if (pushable.length === 0) return;

  const links = await linksOf(ctx.state, entityType, pushable.map((i) => i.id));
  // Not in Xero yet (no link, no binding): history before the start line and closed invoices stay out.
  for (const invoice of [...pushable]) {
    if (links.has(invoice.id) || invoice.xmlId || ctx.startLine === undefined || historyMatch(invoice.id)) continue;
    const create = shouldCreate(invoice, ctx.startLine);
    if (create.action === 'push') continue;
    ctx.stats.skipped++;
    ctx.note({ entity: entityType, id: invoice.id, action: 'skip', reason: create.message });
    pushable.splice(pushable.indexOf(invoice), 1);
  }
  if (pushable.length === 0) return;
  // The scan's overlap window re-reads recent invoices every pass; those not touched since their push are settled
  // without planning (and so without the organisation's reference data). Collected work is always planned.
  const untouched = new Set(pushable.filter((i) => !forced.has(i.id) && !errors.has(`${i.id}:push`)
    && untouchedSincePush(i.updatedAt, links.get(i.id), ctx.timeZone)).map((i) => i.id));
  // Unless the settings changed since: then they are planned, and any difference is the settings', not a Bitrix
  // edit — an invoice Xero owns must not be reported as a conflict for it (settings-replan.ts).
  const settled = ctx.settingsChanged ? [] : pushable.filter((i) => untouched.has(i.id));
  for (const invoice of settled) {
    ctx.stats.unchanged++;
    ctx.note({ entity: entityType, id: invoice.id, action: 'unchanged', reason: 'not modified since its last push' });
  }
  if (settled.length > 0) pushable.splice(0, pushable.length, ...pushable.filter((i) => !settled.includes(i)));
  if (pushable.length === 0) return;
  // Throws OrgUnavailableError (not a XeroApiError): without the organisation the pass itself cannot run.
  let org = await ctx.org();
  const itemCodes = await syncItems(ctx, pushable.flatMap((i) => i.lines.flatMap((l) => (l.productId === null ? [] : [l.productId]))));
  const payers = await resolvePayers(ctx, pushable);
  if (ctx.pushedItems.size > 0) org = { ...org, itemsByCode: new Map([...org.itemsByCode, ...ctx.pushedItems]) };

  const works: InvoiceWork[] = [];
  for (const invoice of pushable) {
    const payer = payers.get(invoice.id);
    if (!payer || !payer.ok) {
      await failInvoice(ctx, entityType, invoice, payer?.ok === false ? payer.error : { code: 'no_payer', message: 'no payer', class: 'needs_person' });
      continue;
    }
    const plan = planInvoice(invoice, { org, settings: ctx.settings, contactID: payer.contactID, itemCodes });
    if (!plan.ok) {
      await failInvoice(ctx, entityType, invoice, combinePlanErrors(plan.errors), { errors: plan.errors });
      continue;
    }
    ctx.stats.warnings += plan.warnings.length;
    const settingsOnly = settingsReplan || untouched.has(invoice.id);
    works.push({ entityType, invoice, plan, link: links.get(invoice.id), ...(settingsOnly && { settingsOnly }) });
  }

  // History Xero already holds (backfill): linked to it, never created.
  const matched = new Set<InvoiceWork>();
  for (const w of works) {
    const held = w.link ? undefined : historyMatch(w.invoice.id);
    if (!held) continue;
    matched.add(w);
    ctx.stats.linked++;
    ctx.note({ entity: w.entityType, id: w.invoice.id, action: 'recover', reason: `already in Xero as ${held.invoiceNumber ?? held.invoiceID} (${held.status}): linked, not created` });
    if (ctx.dryRun) continue;
    const xero = { invoiceID: held.invoiceID, invoiceNumber: held.invoiceNumber ?? undefined, status: held.status, total: held.total } as unknown as Invoice;
    await settleInvoice(ctx, w, xero, w.plan.hash, { newLinkKey: intentKey(ctx.instance, w.entityType, w.invoice.id, w.plan.hash), deepLinkOnly: true });
  }
  if (matched.size > 0) works.splice(0, works.length, ...works.filter((w) => !matched.has(w)));

  const creating = works.filter((w) => w.link?.STATE === 'creating');
  const lookup = creating.length > 0 ? await findCreatedInvoices(ctx, creating) : { found: new Map<InvoiceWork, Invoice>(), unknown: new Map() };
  const recovered = lookup.found;
  // Whether Xero holds these is unknown (their look-up failed): not created, not settled; looked up next pass.
  for (const [w, error] of lookup.unknown) await failInvoice(ctx, entityType, w.invoice, errorOf(error));
  const toCreate: InvoiceWork[] = works.filter((w) => !w.link || (w.link.STATE === 'creating' && !recovered.has(w) && !lookup.unknown.has(w)));
  const toCheck: InvoiceWork[] = [];
  const known = new Map<string, NonNullable<ReturnType<typeof recovered.get>>>();
  for (const [w, xero] of recovered) {
    ctx.stats.recovered++;
    ctx.note({ entity: w.entityType, id: w.invoice.id, action: 'recover', reason: `found in Xero as ${xero.invoiceID}` });
    if (!ctx.dryRun) await settleInvoice(ctx, w, xero, w.link!.CONTENT_HASH);
    // From here on it is a synced link holding the hash of the create that reached Xero.
    w.link = { ...w.link!, STATE: 'synced', XERO_ID: String(xero.invoiceID).toLowerCase(), XERO_STATUS: String(xero.status ?? '') };
    known.set(w.link.XERO_ID!, xero);
    if (w.link.CONTENT_HASH !== w.plan.hash) toCheck.push(w);
  }
  for (const w of works) {
    if (w.link?.STATE === 'synced' && !recovered.has(w)) {
      if (w.link.CONTENT_HASH === w.plan.hash) {
        ctx.stats.unchanged++;
        ctx.note({ entity: w.entityType, id: w.invoice.id, action: 'unchanged' });
        if (errors.has(`${w.invoice.id}:push`) && !ctx.dryRun) await resolveError(ctx.state, { entityType, entityId: w.invoice.id, operation: 'push' });
      } else if (w.settingsOnly && isXeroOwned(w.link.XERO_STATUS)) {
        // Approved/paid/voided as last seen: Xero cannot take it back to a draft, so no need to ask it.
        await adoptSettingsHash(ctx, w, w.link.XERO_STATUS!);
      } else {
        toCheck.push(w);
      }
    } else if (w.link?.STATE === 'conflict' && w.link.CONTENT_HASH === w.plan.hash && w.link.XERO_ID) {
      // Bitrix was put back to what Xero has: nothing differs any more, so the conflict is over.
      ctx.stats.unchanged++;
      ctx.note({ entity: w.entityType, id: w.invoice.id, action: 'unchanged', reason: 'conflict resolved: Bitrix matches Xero again' });
      if (!ctx.dryRun) {
        await markLinkSynced(ctx.state, { entityType, entityId: w.invoice.id }, { xeroId: w.link.XERO_ID, contentHash: w.link.CONTENT_HASH });
        await resolveError(ctx.state, { entityType, entityId: w.invoice.id, operation: 'conflict' });
      }
    } else if (w.link?.STATE === 'conflict' || w.link?.STATE === 'deleted') {
      // Xero owns it (or it is gone there): reported once when detected, not pushed again.
      ctx.stats.skipped++;
      ctx.note({ entity: w.entityType, id: w.invoice.id, action: 'skip', reason: `link is ${w.link.STATE}` });
    }
  }

  if (toCheck.length > 0) await updateInvoices(ctx, toCheck, known);
  await createInvoices(ctx, toCreate);
}
