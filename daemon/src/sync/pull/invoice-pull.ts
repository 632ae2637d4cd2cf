import type { Invoice } from 'xero-node';
import { readInvoicePullStates, type InvoicePullState } from '../../bitrix/pull-states.ts';
import type { InvoiceKind } from '../../domain/invoice.ts';
import { getCursor, setCursor, deleteCursor } from '../../state/cursors.ts';
import { enqueueInbox, mergePayload } from '../../state/inbox.ts';
import { firstInvoiceLinkTime, invoiceLinksByXeroIds, pendingInboxPayloads, recordPulledInvoice } from '../../state/pull-state.ts';
import { recordError, resolveError } from '../../state/record-errors.ts';
import { fromDbUtc } from '../../state/state-db.ts';
import type { EntityType, LinkRow } from '../../state/tables.ts';
import { chunk } from '../../util/chunk.ts';
import { planPulledInvoice, type BitrixPullSide, type PulledInvoicePlan, type PulledXeroInvoice, type PullReason } from '../plan/pull-invoice.ts';
import { xeroDay, xeroTime } from '../plan/pull-transaction.ts';
import { emptyPullSummary, type PullContext, type PullOptions, type PullSummary } from './pull-context.ts';
import { recordInvoiceBalances } from './transaction-pull.ts';
import { readSeenInvoices, saveSeenInvoice } from '../../state/invoice-seen.ts';
import { toDbUtc } from '../../state/state-db.ts';
import { readOrgCache } from '../push/org-cache.ts';
import { xeroUpdatedUtc } from '../push/link-queries.ts';
import { invoiceContentChange, invoiceContentOf, sameContent, type OrgTaxRate, type XeroInvoiceContent } from '../plan/index.ts';

/** b_b24xero_cursor: UpdatedDateUTC (ISO) of the newest invoice of the last page the pull finished. */
export const INVOICE_CURSOR = 'pull:invoices';
/** Xero's page size for GET Invoices?page=. */
export const INVOICE_PAGE = 100;
const UNMAPPED_CURSOR = 'pull:unmapped';

export interface InvoicePullSummary extends PullSummary {
  /** Linked invoices among those read. */
  linked: number;
  stageMoves: number;
  /**
   * Linked invoices whose Xero copy is newer than the one last seen (by the pull or the push's own write): what tells
   * the pass that payments or allocations may have moved. If-Modified-Since is inclusive, so an idle poll reads the
   * newest invoice again — it is not a change.
   */
  changedInvoiceIds: string[];
}

const KIND_OF: Readonly<Record<string, InvoiceKind>> = { smart_invoice: 'smart', legacy_invoice: 'legacy' };

/**
 * The invoice pull (issue 7 item 2): Xero's view of every linked ACCREC invoice reaches Bitrix as inbox rows —
 * set_stage through the status map (plan/pull-invoice.ts), set_fields for UF_CRM_XERO_STATUS, UF_CRM_XERO_AMOUNT_DUE
 * and UF_CRM_XERO_URL (the online invoice, asked once an invoice is approved). Incremental: If-Modified-Since the
 * cursor, pages of 100 in UpdatedDateUTC order, the cursor moved after each page is queued — one call when nothing
 * changed. With `ids` (webhooks) exactly those invoices, 100 a call, the cursor left alone. Re-reading a page (a
 * crash before its cursor moved, a webhook for what the poll already saw) queues nothing: every wish is compared
 * with what Bitrix holds plus what is still pending for it.
 */
export async function pullInvoices(ctx: PullContext, opts: PullOptions = {}): Promise<InvoicePullSummary> {
  const summary: InvoicePullSummary = { ...emptyPullSummary(), linked: 0, stageMoves: 0, changedInvoiceIds: [] };
  if (opts.ids) {
    for (const ids of chunk([...new Set(opts.ids.map((id) => id.toLowerCase()))], INVOICE_PAGE)) {
      summary.calls++;
      const { items } = await ctx.gateway.getInvoices({ ids });
      await handlePage(ctx, items.filter((i) => String(i.type) === 'ACCREC'), summary);
    }
    return summary;
  }
  const first = await firstInvoiceLinkTime(ctx.state);
  if (!first) return summary; // nothing linked yet: nothing in Xero can be ours
  const stored = await getCursor(ctx.state, INVOICE_CURSOR);
  const since = stored ? new Date(stored) : new Date(first.getTime() - 60_000);
  for (let page = 1; ; page++) {
    summary.calls++;
    const { items } = await ctx.gateway.getInvoices({ where: 'Type=="ACCREC"', order: 'UpdatedDateUTC ASC', page, pageSize: INVOICE_PAGE, modifiedSince: since });
    await handlePage(ctx, items, summary);
    const newest = items.map((i) => xeroTime(i.updatedDateUTC)).filter((d): d is Date => d !== null)
      .reduce<Date | null>((a, b) => (!a || b > a ? b : a), null);
    if (newest && !ctx.dryRun) await setCursor(ctx.state, INVOICE_CURSOR, newest.toISOString());
    if (items.length < INVOICE_PAGE) break;
  }
  return summary;
}

async function handlePage(ctx: PullContext, items: Invoice[], summary: InvoicePullSummary): Promise<void> {
  summary.fetched += items.length;
  if (items.length === 0) return;
  const links = await invoiceLinksByXeroIds(ctx.state, items.map((i) => String(i.invoiceID)));
  const byKind = new Map<EntityType, Array<{ link: LinkRow; xero: Invoice }>>();
  const linkedInvoices: Invoice[] = [];
  for (const xero of items) {
    const rows = links.get(String(xero.invoiceID).toLowerCase()) ?? [];
    if (rows.length > 0) linkedInvoices.push(xero);
    if (rows.some((link) => newerThanSeen(xero, link))) summary.changedInvoiceIds.push(String(xero.invoiceID).toLowerCase());
    for (const link of rows) byKind.set(link.ENTITY_TYPE, [...(byKind.get(link.ENTITY_TYPE) ?? []), { link, xero }]);
  }
  const content = contentContext(ctx, items);
  for (const [entityType, pairs] of byKind) {
    const kind = KIND_OF[entityType];
    if (!kind) continue;
    const ids = pairs.map((p) => p.link.ENTITY_ID);
    const [states, pendingFields, pendingStages] = await Promise.all([
      readInvoicePullStates(ctx.db, kind, ids),
      pendingInboxPayloads(ctx.state, entityType, ids, 'set_fields'),
      pendingInboxPayloads(ctx.state, entityType, ids, 'set_stage'),
    ]);
    for (const { link, xero } of pairs) {
      summary.linked++;
      const state = states.get(link.ENTITY_ID);
      if (!state) {
        ctx.log.warn('linked invoice no longer in Bitrix; Xero status not applied', { entity: entityType, id: link.ENTITY_ID, invoiceID: xero.invoiceID });
        continue;
      }
      try {
        const pending = { fields: pendingFields.get(link.ENTITY_ID) ?? [], stages: pendingStages.get(link.ENTITY_ID) ?? [] };
        await applyOne(ctx, entityType, link, toPulled(xero), state, pending, summary);
        await pullContent(ctx, entityType, link, xero, content, summary);
      } catch (error) {
        // One invoice's failure is stored and the rest of the page goes on (rule 7).
        summary.problems.push(`${entityType} ${link.ENTITY_ID}: ${(error as Error).message}`);
        if (!ctx.dryRun) {
          await recordError(ctx.state, {
            entityType, entityId: link.ENTITY_ID, operation: 'pull', errorClass: 'retry', code: 'pull_failed',
            message: (error as Error).message, runId: ctx.runId ?? null,
          });
        }
      }
    }
  }
  // Their balances for the dashboard, from the page already read (no call).
  if (linkedInvoices.length > 0) await recordInvoiceBalances({ state: ctx.state, tenantId: ctx.tenantId, dryRun: ctx.dryRun }, linkedInvoices);
}

async function applyOne(
  ctx: PullContext, entityType: EntityType, link: LinkRow, xero: PulledXeroInvoice & { updatedUtc: Date | null }, state: InvoicePullState,
  pending: { fields: Array<Record<string, unknown>>; stages: Array<Record<string, unknown>> }, summary: InvoicePullSummary,
): Promise<void> {
  if (!state.stage) {
    throw new Error(`its stage ${state.stageId} is not in the stage list of ${state.kind === 'smart' ? `category ${state.categoryId}` : 'invoice statuses'}`);
  }
  const side = effectiveSide(state, pending);
  const plan = planPulledInvoice(xero, side, ctx.settings.statusMap.pull);
  const fields: Record<string, string | number | null> = { ...plan.fields };
  if (plan.wantsOnlineUrl) {
    summary.calls++;
    const url = await onlineInvoiceUrl(ctx, xero.invoiceID);
    if (url && url !== side.uf.url) fields.UF_CRM_XERO_URL = url;
  }
  await noteUnmapped(ctx, entityType, link.ENTITY_ID, side, plan);
  const wishes = (plan.stage ? 1 : 0) + (Object.keys(fields).length > 0 ? 1 : 0);
  summary.queued += wishes;
  if (plan.stage) summary.stageMoves++;
  if (ctx.dryRun) {
    if (wishes > 0) ctx.log.info('dry run: would queue for Bitrix', { entity: entityType, id: link.ENTITY_ID, stage: plan.stage?.stageId, fields: Object.keys(fields) });
    return;
  }
  await ctx.state.transaction().execute(async (trx) => {
    if (Object.keys(fields).length > 0) {
      await enqueueInbox(trx, { entityType, entityId: link.ENTITY_ID, action: 'set_fields', payload: { fields } });
    }
    if (plan.stage) {
      await enqueueInbox(trx, { entityType, entityId: link.ENTITY_ID, action: 'set_stage', payload: { ...plan.stage } });
    }
    await recordPulledInvoice(trx, link.ID, { xeroStatus: xero.status, xeroUpdatedUtc: xero.updatedUtc });
  });
  await resolveError(ctx.state, { entityType, entityId: link.ENTITY_ID, operation: 'pull' });
  if (plan.stage) {
    ctx.log.info('Xero status queued for Bitrix', { entity: entityType, id: link.ENTITY_ID, xeroStatus: xero.status, stage: plan.stage.stageId, reason: plan.stage.reason });
  }
}

/**
 * Bitrix as the applier will leave it: the stored stage and UF values with the pending set_stage / set_fields rows
 * laid over them (a stage that no longer exists is the applier's to fail, so the stored one stands).
 */
function effectiveSide(state: InvoicePullState, pending: { fields: Array<Record<string, unknown>>; stages: Array<Record<string, unknown>> }): BitrixPullSide {
  const merged = pending.fields.reduce<Record<string, unknown>>((acc, p) => mergePayload(acc, p), {});
  const pendingStageId = pending.stages.at(-1)?.stageId;
  const stage = state.stages.find((s) => s.id === pendingStageId) ?? state.stage!;
  const f = (merged.fields ?? {}) as Record<string, unknown>;
  const has = (k: string) => Object.prototype.hasOwnProperty.call(f, k);
  return {
    kind: state.kind, stage, stages: state.stages, categoryId: state.categoryId,
    uf: {
      status: has('UF_CRM_XERO_STATUS') ? (f.UF_CRM_XERO_STATUS as string | null) : state.uf.status,
      amountDue: has('UF_CRM_XERO_AMOUNT_DUE') ? (f.UF_CRM_XERO_AMOUNT_DUE as number | null) : state.uf.amountDue,
      url: has('UF_CRM_XERO_URL') ? (f.UF_CRM_XERO_URL as string | null) : state.uf.url,
    },
  };
}

async function onlineInvoiceUrl(ctx: PullContext, invoiceID: string): Promise<string | null> {
  try {
    return await ctx.gateway.getOnlineInvoice(invoiceID);
  } catch (error) {
    ctx.log.warn('online invoice link unavailable; asked again when the invoice next changes', { invoiceID, error: (error as Error).message });
    return null;
  }
}

/**
 * A stage the status map cannot find is reported once per kind, category and Xero state — one warning in the
 * failing records (on the first invoice it held back) and one log line — not on every invoice and pass. Once a
 * stage is found for it again (the admin mapped one), the warning is resolved.
 */
async function noteUnmapped(ctx: PullContext, entityType: EntityType, entityId: number, side: BitrixPullSide, plan: PulledInvoicePlan): Promise<void> {
  if (!plan.reason || ctx.dryRun) return;
  const name = `${UNMAPPED_CURSOR}:${side.kind}:${side.categoryId ?? 0}:${plan.reason}`;
  const reported = await getCursor(ctx.state, name);
  if (plan.left?.why !== 'unmapped') {
    if (reported) {
      const [type, id] = reported.split(':');
      await resolveError(ctx.state, { entityType: type as EntityType, entityId: Number(id), operation: statusMapOperation(side, plan.reason) });
      await deleteCursor(ctx.state, name);
    }
    return;
  }
  if (reported) return;
  const message = `Xero ${plan.reason} invoices stay where they are in Bitrix: ${plan.left.message}. Map a stage on the module's Status map tab.`;
  ctx.log.warn('status map has no stage for a Xero status', { kind: side.kind, category: side.categoryId, reason: plan.reason, message });
  await recordError(ctx.state, {
    entityType, entityId, operation: statusMapOperation(side, plan.reason), severity: 'warning', errorClass: 'needs_person',
    code: 'status_unmapped', message, runId: ctx.runId ?? null,
  });
  await setCursor(ctx.state, name, `${entityType}:${entityId}`);
}

function statusMapOperation(side: Pick<BitrixPullSide, 'kind' | 'categoryId'>, reason: PullReason): string {
  return `status_map:${side.kind}:${side.categoryId ?? 0}:${reason}`;
}

function newerThanSeen(xero: Invoice, link: LinkRow): boolean {
  const updated = xeroTime(xero.updatedDateUTC as unknown as string);
  if (!updated || !link.XERO_UPDATED_UTC) return true;
  const seen = (link.XERO_UPDATED_UTC as unknown) instanceof Date ? (link.XERO_UPDATED_UTC as unknown as Date) : fromDbUtc(String(link.XERO_UPDATED_UTC));
  return updated.getTime() > seen.getTime();
}

function toPulled(i: Invoice): PulledXeroInvoice & { updatedUtc: Date | null } {
  const num = (v: unknown) => (v === undefined || v === null || v === '' ? null : Number(v));
  return {
    invoiceID: String(i.invoiceID).toLowerCase(),
    status: String(i.status ?? '').toUpperCase(),
    sentToContact: i.sentToContact === true,
    amountDue: num(i.amountDue),
    amountPaid: num(i.amountPaid),
    paidOn: i.fullyPaidOnDate ? xeroDay(i.fullyPaidOnDate as unknown as string) : null,
    updatedUtc: xeroTime(i.updatedDateUTC as unknown as string),
  };
}

interface ContentContext {
  seen: () => Promise<Map<string, XeroInvoiceContent>>;
  taxRates: () => Promise<readonly OrgTaxRate[]>;
  productOfItem: () => Promise<Map<string, number>>;
}

/** What the content pull needs for a page, read once and only when needed (no Xero call: the stored org context). */
function contentContext(ctx: PullContext, items: readonly Invoice[]): ContentContext {
  let seen: Promise<Map<string, XeroInvoiceContent>> | null = null;
  let rates: Promise<readonly OrgTaxRate[]> | null = null;
  let products: Promise<Map<string, number>> | null = null;
  return {
    seen: () => seen ??= readSeenInvoices(ctx.state, items.map((i) => String(i.invoiceID))),
    taxRates: () => rates ??= readOrgCache(ctx.state, ctx.tenantId).then((c) => c?.org.taxRates ?? []),
    productOfItem: () => products ??= ctx.state.selectFrom('b_b24xero_link').select(['ENTITY_ID', 'XERO_NUMBER'])
      .where('ENTITY_TYPE', '=', 'product').where('XERO_NUMBER', 'is not', null).execute()
      .then((rows) => new Map(rows.map((r) => [String(r.XERO_NUMBER), r.ENTITY_ID]))),
  };
}

/**
 * Xero-side edits of a linked invoice (issue 7 item 3): lines, date, due date and reference changed in Xero since the
 * copy last seen (the push's own write, or the last pull) reach Bitrix as one set_invoice_content row. Our own writes
 * coming back compare equal and queue nothing. A draft Bitrix changed too was settled by the push before this (Bitrix
 * wins, the overwritten Xero edit recorded); after approval Xero wins, and the push adopts the content once applied.
 */
async function pullContent(ctx: PullContext, entityType: EntityType, link: LinkRow, xero: Invoice, content: ContentContext, summary: InvoicePullSummary): Promise<void> {
  const status = String(xero.status ?? '').toUpperCase();
  if (link.STATE !== 'synced' || status === 'VOIDED' || status === 'DELETED') return;
  const now = invoiceContentOf(xero as never);
  if (!now) return; // a list answer without lines tells nothing about them
  const xeroId = String(xero.invoiceID).toLowerCase();
  const base = (await content.seen()).get(xeroId);
  if (!base) {
    if (!ctx.dryRun) await saveSeenInvoice(ctx.state, xeroId, now);
    return;
  }
  if (sameContent(now, base) && now.reference === base.reference) return;
  const products = await content.productOfItem();
  const change = invoiceContentChange(base, now, { taxRates: await content.taxRates(), productOfItem: (code) => products.get(code) ?? null });
  if (!change.ok) {
    summary.problems.push(`${entityType} ${link.ENTITY_ID}: ${change.message}`);
    if (!ctx.dryRun) {
      await recordError(ctx.state, {
        entityType, entityId: link.ENTITY_ID, operation: 'pull_content', errorClass: 'needs_person', code: 'xero_edit_unmapped',
        message: `The invoice was edited in Xero, but ${change.message}; its lines were not copied to Bitrix`, runId: ctx.runId ?? null,
      });
    }
    return;
  }
  const payload: Record<string, unknown> = { xeroInvoiceId: xeroId, xeroUpdatedUtc: xeroUpdatedUtc(xero.updatedDateUTC) ?? toDbUtc(new Date()) };
  if (Object.keys(change.fields).length > 0) payload.fields = change.fields;
  if (change.rows) payload.rows = change.rows;
  const wishes = Object.keys(payload).length > 2;
  if (wishes) summary.queued++;
  if (ctx.dryRun) return;
  await ctx.state.transaction().execute(async (trx) => {
    if (wishes) {
      await enqueueInbox(trx, { entityType, entityId: link.ENTITY_ID, action: 'set_invoice_content', payload, dedupeKey: `set_invoice_content:${entityType}:${link.ENTITY_ID}` });
    }
    await saveSeenInvoice(trx, xeroId, now);
  });
  await resolveError(ctx.state, { entityType, entityId: link.ENTITY_ID, operation: 'pull_content' });
  if (wishes) ctx.log.info('Xero-side edit queued for Bitrix', { entity: entityType, id: link.ENTITY_ID, fields: Object.keys(change.fields), rows: change.rows?.length ?? 0 });
}
