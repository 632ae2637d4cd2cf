import { markLinkConflict, markLinkSynced, recordCreateIntent } from '../../state/links.ts';
import { readSeenInvoices, saveSeenInvoice } from '../../state/invoice-seen.ts';
import { recordError } from '../../state/record-errors.ts';
import type { Invoice } from '../../xero/index.ts';
import { whereString, XeroApiError } from '../../xero/index.ts';
import {
  classifyXeroValidation, diffPayload, invoiceContentOf, sameContent, type XeroInvoiceContent, EDITABLE_XERO_STATUSES, invoiceKey, invoicePayloadFromXero, parseInvoiceReference, planInvoiceUpdate,
} from '../plan/index.ts';
import { batchKey, intentKey } from './idempotency-keys.ts';
import { withdrawIntent, xeroUpdatedUtc } from './link-queries.ts';
import { chunk } from '../../util/chunk.ts';
import type { InvoiceWork } from './invoice-work.ts';
import { settleInvoice } from './invoice-settle.ts';
import type { PushContext } from './push-context.ts';
import { errorOf, failInvoice } from './record-failure.ts';
import { stopIfTenantWide } from './tenant-outage.ts';

const BATCH = 50;
/**
 * References looked up per GET /Invoices where-clause: a page of Xero's list answer (100). Each clause names one key
 * exactly (≈ 85 characters form-encoded), so the URL stays near 8 KB.
 */
export const LOOKUP_BATCH = 100;

const isOurs = (work: InvoiceWork, xero: Invoice): boolean => {
  const ref = parseInvoiceReference(xero.reference);
  return ref !== null && ref.kind === work.invoice.kind && ref.id === work.invoice.id;
};

export interface RecoveryLookup {
  /** Works whose invoice Xero already holds, with that invoice. */
  found: Map<InvoiceWork, Invoice>;
  /**
   * Works whose look-up call failed: whether Xero holds them is unknown, so they are neither created nor settled this
   * pass (their intent stays; the next pass looks again). The failure is given for their stored error.
   */
  unknown: Map<InvoiceWork, XeroApiError>;
}

/**
 * Find-before-create (rule 4) for invoices whose link is still 'creating' — an earlier pass recorded the intent and
 * may or may not have reached Xero. Always looked up by the Reference that carries the Bitrix key, never by
 * InvoiceNumber: the number is what the CURRENT plan would send, and it differs from what the lost create sent when
 * the number was edited in Bitrix or the number policy changed since (a miss there would create a duplicate); the
 * key in the Reference cannot change. The clause names the key exactly (`== key` or `StartsWith("key ")`), so
 * 'B24-SI-1' does not also fetch B24-SI-10…19, 100…; each hit is confirmed by parsing its Reference.
 * In pages of 100 references; a page whose call fails leaves only its own works unknown — what the other pages
 * found is kept (a tenant-wide refusal still stops the pass).
 */
export async function findCreatedInvoices(ctx: PushContext, works: readonly InvoiceWork[]): Promise<RecoveryLookup> {
  const found = new Map<InvoiceWork, Invoice>();
  const unknown = new Map<InvoiceWork, XeroApiError>();
  for (const batch of chunk(works, LOOKUP_BATCH)) {
    const where = batch.map((w) => {
      const key = invoiceKey(w.invoice.kind, w.invoice.id);
      return `Reference==${whereString(key)} OR Reference.StartsWith(${whereString(`${key} `)})`;
    }).join(' OR ');
    let page;
    try {
      page = await ctx.gateway.getInvoices({ where, includeArchived: true });
    } catch (error) {
      stopIfTenantWide(error);
      if (!(error instanceof XeroApiError)) throw error;
      ctx.log.warn('recovery look-up failed for a page of unfinished creates; looked up again next pass', { count: batch.length, error: error.message });
      for (const w of batch) unknown.set(w, error);
      continue;
    }
    for (const xero of page.items) {
      const status = String(xero.status ?? '').toUpperCase();
      if (status === 'DELETED') continue; // a deleted copy is not the invoice; create again
      const work = batch.find((w) => isOurs(w, xero));
      if (work && !found.has(work)) found.set(work, xero);
    }
  }
  return { found, unknown };
}

/**
 * Xero's current copies of linked invoices, by id (lower case), in batches: the status decides update vs conflict.
 * Asked for as page 1 because Xero includes line items in a list answer only when it is paged (the dry run's diff
 * needs them); a batch of ≤ 50 ids always fits one page of 100.
 */
export async function fetchInvoices(ctx: PushContext, ids: readonly string[]): Promise<Map<string, Invoice>> {
  const out = new Map<string, Invoice>();
  for (const batch of chunk([...new Set(ids)], BATCH)) {
    const page = await ctx.gateway.getInvoices({ ids: batch, page: 1, pageSize: 100 });
    for (const xero of page.items) if (xero.invoiceID) out.set(xero.invoiceID.toLowerCase(), xero);
  }
  return out;
}

/**
 * Creates: each intent committed first (link 'creating' + deterministic key), then one PUT per ≤ 50 with
 * summarizeErrors=false and a batch Idempotency-Key derived from the batch content. Per element: success → settle;
 * rejection → the intent is withdrawn (Xero created nothing) and the error stored. A call that fails as a whole
 * leaves the intents in place when Xero may have acted (timeout, dropped connection, 5xx): see sendCreates.
 */
export async function createInvoices(ctx: PushContext, works: readonly InvoiceWork[]): Promise<void> {
  works = [...works];
  if (ctx.dryRun) {
    for (const w of works) ctx.note({ entity: w.entityType, id: w.invoice.id, action: 'create', changes: diffPayload(null, w.plan.payload) });
    return;
  }
  const pending = ctx.pendingCreates as InvoiceWork[];
  // An invoice already waiting in this pass is not queued twice (it would be created twice in one batch).
  const waiting = new Set(pending.map((w) => `${w.entityType}:${w.invoice.id}`));
  works = works.filter((w) => !waiting.has(`${w.entityType}:${w.invoice.id}`));
  // Intents first (rule 4): a crash while they wait for a full batch leaves them 'creating', found by the look-up.
  for (const w of works) {
    await recordCreateIntent(ctx.state, {
      entityType: w.entityType, entityId: w.invoice.id, tenantId: ctx.tenantId, contentHash: w.plan.hash,
      idempotencyKey: intentKey(ctx.instance, w.entityType, w.invoice.id, w.plan.hash),
    });
  }
  // Every write batch filled to 50 across read pages: full batches go now, the rest waits for the next page.
  pending.push(...works);
  while (pending.length >= BATCH) await sendCreates(ctx, pending.splice(0, BATCH));
}

/** Sends the creates still waiting for a full batch (the end of a pass, or before its work is reported). */
export async function flushCreates(ctx: PushContext): Promise<void> {
  const pending = ctx.pendingCreates as InvoiceWork[];
  while (pending.length > 0) await sendCreates(ctx, pending.splice(0, BATCH));
}

/**
 * One create call for `batch` (intents already committed). When Xero answers the call as a whole with a 5xx, the
 * batch is not left to be retried whole on the next pass (where the same fault, or a record Xero chokes on, would
 * stop all 50 again): Xero answered, so whatever it did is visible — the batch is looked up at once (one call),
 * what Xero holds is settled, and the rest is sent again in two halves, down to single records. A timeout or a
 * dropped connection is different: Xero may still be working on the request, so nothing is re-sent under a new key
 * now; the intents stay and the next pass's look-up decides.
 */
async function sendCreates(ctx: PushContext, batch: readonly InvoiceWork[], renumbering = false): Promise<void> {
  const key = batchKey(ctx.instance, renumbering ? 'invoices-create-renumbered' : 'invoices-create', batch.map((w) => `${w.entityType}:${w.invoice.id}:${w.plan.hash}`));
  let outcome;
  try {
    outcome = await ctx.gateway.createInvoices(batch.map((w) => w.plan.payload as unknown as Invoice), { idempotencyKey: key });
  } catch (error) {
    const nothingCreated = error instanceof XeroApiError && (error.type === 'validation' || error.type === 'budget_exhausted' || error.type === 'rate_limit');
    if (nothingCreated) for (const w of batch) await withdrawIntent(ctx.state, w.entityType, w.invoice.id);
    stopIfTenantWide(error);
    if (error instanceof XeroApiError && error.type === 'server' && batch.length > 1) {
      await recoverAndSplit(ctx, batch, error);
      return;
    }
    for (const w of batch) await failInvoice(ctx, w.entityType, w.invoice, errorOf(error));
    return;
  }
  const taken: InvoiceWork[] = [];
  for (const element of outcome.elements) {
    const w = batch[element.index]!;
    if (element.ok && element.value.invoiceID) {
      await settleInvoice(ctx, w, element.value, w.plan.hash);
      ctx.stats.created++;
      ctx.note({ entity: w.entityType, id: w.invoice.id, action: 'create' });
      if (renumbering) await noteRenumbered(ctx, w, element.value);
    } else {
      const failure = element.ok ? { code: 'no_id', message: 'Xero returned no InvoiceID', class: 'retry' as const } : classifyXeroValidation(element.error.messages);
      if (!renumbering && failure.code === 'duplicate_invoice_number' && w.plan.payload.invoiceNumber) {
        // Keep the intent: the same create goes again at once, numbered by Xero (renumberedWork).
        taken.push(w);
        continue;
      }
      await withdrawIntent(ctx.state, w.entityType, w.invoice.id);
      await failInvoice(ctx, w.entityType, w.invoice, failure, { messages: element.ok ? [] : element.error.messages });
    }
  }
  if (taken.length > 0) await sendCreates(ctx, taken.map(renumberedWork), true);
}

/**
 * Invoice numbers cannot collide (issue 10 item 3): Bitrix's number is sent as InvoiceNumber while it is free in
 * Xero; when the organisation already used it (its own history: INV-1…, or another system's), the same invoice is
 * created at once without one, so Xero gives it the next number of its own sequence, and Bitrix's number stays in
 * the Reference ('B24-SI-12 (INV-12)'). The content hash stays the one planned from Bitrix, so nothing is re-sent
 * for it; a later update that Xero refuses for the same reason goes again without the number (updateBatch).
 */
function renumberedWork(w: InvoiceWork): InvoiceWork {
  const { invoiceNumber: _taken, ...payload } = w.plan.payload;
  return { ...w, plan: { ...w.plan, payload } };
}

async function noteRenumbered(ctx: PushContext, w: InvoiceWork, xero: Invoice): Promise<void> {
  const wanted = w.invoice.number;
  ctx.stats.warnings++;
  ctx.log.info('invoice number taken in Xero; Xero numbered the invoice', { entity: w.entityType, id: w.invoice.id, bitrixNumber: wanted, xeroNumber: xero.invoiceNumber });
  await recordError(ctx.state, {
    entityType: w.entityType, entityId: w.invoice.id, operation: 'number', severity: 'warning', errorClass: 'never', code: 'invoice_renumbered',
    message: `Invoice number ${wanted} is already used in Xero by another invoice; Xero numbered this one ${xero.invoiceNumber ?? '(unknown)'} ` +
      `(the Bitrix number is kept in its Reference)`,
    details: { bitrixNumber: wanted, xeroNumber: xero.invoiceNumber ?? null }, runId: ctx.runId,
  });
}

async function recoverAndSplit(ctx: PushContext, batch: readonly InvoiceWork[], cause: XeroApiError): Promise<void> {
  ctx.log.warn('a create batch failed as a whole; looking it up and sending the rest in halves', { count: batch.length, error: cause.message });
  const { found, unknown } = await findCreatedInvoices(ctx, batch);
  for (const [w, xero] of found) {
    ctx.stats.recovered++;
    ctx.note({ entity: w.entityType, id: w.invoice.id, action: 'recover', reason: `found in Xero as ${xero.invoiceID}` });
    await settleInvoice(ctx, w, xero, w.plan.hash);
  }
  for (const [w, error] of unknown) await failInvoice(ctx, w.entityType, w.invoice, errorOf(error));
  const rest = batch.filter((w) => !found.has(w) && !unknown.has(w));
  if (rest.length === 0) return;
  const half = Math.ceil(rest.length / 2);
  await sendCreates(ctx, rest.slice(0, half));
  if (rest.length > half) await sendCreates(ctx, rest.slice(half));
}

/**
 * Invoices whose content changed since the last push: updated while Xero still has them as DRAFT/SUBMITTED; once
 * Xero has approved them a conflict is recorded and Xero is left untouched (rule 5). Per batch of ≤ 50, Xero's
 * current copies are read right before the POST (those in `known` were just read by find-before-create), keeping
 * the window in which a Xero user can approve between our read and our write as short as one round trip.
 */
export async function updateInvoices(ctx: PushContext, works: readonly InvoiceWork[], known: ReadonlyMap<string, Invoice> = new Map()): Promise<void> {
  for (const batch of chunk(works, BATCH)) {
    const missing = batch.map((w) => w.link!.XERO_ID!.toLowerCase()).filter((id) => !known.has(id));
    const current = new Map([...known, ...(missing.length > 0 ? await fetchInvoices(ctx, missing) : new Map<string, Invoice>())]);
    await updateBatch(ctx, batch, current);
  }
}

async function updateBatch(ctx: PushContext, works: readonly InvoiceWork[], current: ReadonlyMap<string, Invoice>, renumbering = false): Promise<void> {
  const updates: Array<{ work: InvoiceWork; payload: Invoice; hash: string; before: Invoice }> = [];
  const seen = await readSeenInvoices(ctx.state, works.map((w) => w.link!.XERO_ID!));
  for (const w of works) {
    const xeroId = w.link!.XERO_ID!;
    const xero = current.get(xeroId.toLowerCase());
    if (!xero) {
      await failInvoice(ctx, w.entityType, w.invoice, {
        code: 'xero_invoice_missing', class: 'needs_person',
        message: `Xero invoice ${xeroId} linked to this invoice was not found in Xero`,
      });
      continue;
    }
    const decision = planInvoiceUpdate({ xeroId, contentHash: w.link!.CONTENT_HASH }, xero, w.plan.payload);
    if (decision.action === 'unchanged') {
      ctx.stats.unchanged++;
      continue;
    }
    const now = invoiceContentOf(xero as never);
    const mine = invoiceContentOf(w.plan.payload as never);
    const { status: _planned, ...planned } = w.plan.payload;
    if (now && diffPayload(invoicePayloadFromXero(xero, { invoiceNumberPolicy: ctx.settings.invoiceNumberPolicy }), planned).length === 0) {
      // Bitrix now says what Xero holds — typically an edit made in Xero that the module applied to Bitrix: nothing
      // to send, and no conflict even for an approved invoice.
      ctx.stats.unchanged++;
      ctx.note({ entity: w.entityType, id: w.invoice.id, action: 'unchanged', reason: 'Bitrix matches Xero (an edit made in Xero, applied in Bitrix)' });
      if (!ctx.dryRun) {
        await markLinkSynced(ctx.state, { entityType: w.entityType, entityId: w.invoice.id }, { xeroId, contentHash: w.plan.hash, xeroStatus: String(xero.status ?? '').toUpperCase() });
        await saveSeenInvoice(ctx.state, xeroId, now);
      }
      continue;
    }
    const base = seen.get(xeroId.toLowerCase());
    if (decision.action === 'update' && now && mine && base && !sameContent(now, base) && !ctx.dryRun) {
      // Both sides changed the draft since the last sync: Bitrix wins while it is a draft; the Xero edit it overwrites
      // is kept in one conflict record showing both versions.
      await recordError(ctx.state, {
        entityType: w.entityType, entityId: w.invoice.id, operation: 'xero_edit', severity: 'warning', errorClass: 'needs_person', code: 'xero_edit_overwritten',
        message: `The draft was edited in Xero and in Bitrix since the last sync; Bitrix's version was sent (Bitrix is master while it is a draft). ` +
          `Xero had: ${describeContent(now)}; Bitrix sent: ${describeContent(mine)}`,
        details: { xero: now, bitrix: mine }, runId: ctx.runId,
      });
      ctx.stats.conflicts++;
    }
    if (decision.action === 'conflict') {
      if (w.settingsOnly) await adoptSettingsHash(ctx, w, decision.xeroStatus);
      else await recordConflict(ctx, w, decision.xeroStatus, decision.error.message);
      continue;
    }
    if (ctx.dryRun) {
      const before = invoicePayloadFromXero(xero, { invoiceNumberPolicy: ctx.settings.invoiceNumberPolicy });
      const { status: _s, ...after } = w.plan.payload;
      ctx.note({ entity: w.entityType, id: w.invoice.id, action: 'update', changes: diffPayload(before, after) });
      continue;
    }
    const payload = renumbering ? (({ invoiceNumber: _n, ...rest }) => rest)(decision.payload as unknown as Record<string, unknown>) : decision.payload;
    updates.push({ work: w, payload: payload as unknown as Invoice, hash: decision.hash, before: xero });
  }
  if (updates.length === 0) return;
  // Keyed by the Xero state each update starts from (its UpdatedDateUTC) as well as the content it sends: a retry
  // against the same Xero state replays Xero's first answer, while an edit back to content sent minutes ago
  // (A → B → A → B) is a new request — a key from the content alone would replay the old answer and change nothing.
  const key = batchKey(ctx.instance, renumbering ? 'invoices-update-renumbered' : 'invoices-update', updates.map((u) =>
    `${u.work.entityType}:${u.work.invoice.id}:${xeroUpdatedUtc(u.before.updatedDateUTC) ?? '-'}:${u.hash}`));
  let outcome;
  try {
    outcome = await ctx.gateway.updateInvoices(updates.map((u) => u.payload), { idempotencyKey: key });
  } catch (error) {
    stopIfTenantWide(error);
    for (const u of updates) await failInvoice(ctx, u.work.entityType, u.work.invoice, errorOf(error));
    return;
  }
  const taken: InvoiceWork[] = [];
  for (const element of outcome.elements) {
    const u = updates[element.index]!;
    if (element.ok) {
      await settleInvoice(ctx, u.work, element.value, u.hash);
      const status = String(element.value.status ?? '').toUpperCase();
      if (status !== '' && !(EDITABLE_XERO_STATUSES as readonly string[]).includes(status)) {
        await recordApprovedDuringUpdate(ctx, u.work, u.before, element.value);
        continue;
      }
      ctx.stats.updated++;
      ctx.note({ entity: u.work.entityType, id: u.work.invoice.id, action: 'update' });
      continue;
    }
    const failure = classifyXeroValidation(element.error.messages);
    // Xero numbered this invoice itself (its Bitrix number was taken): the update goes again, keeping Xero's number.
    if (failure.code === 'duplicate_invoice_number' && !renumbering) {
      taken.push(u.work);
      continue;
    }
    // Approved and then paid/voided between our status read and the update: the same conflict, found by Xero.
    if (failure.class === 'never') await recordConflict(ctx, u.work, 'approved', failure.message);
    else await failInvoice(ctx, u.work.entityType, u.work.invoice, failure, { messages: element.error.messages });
  }
  if (taken.length > 0) await updateBatch(ctx, taken, new Map(taken.map((w) => [w.link!.XERO_ID!.toLowerCase(), current.get(w.link!.XERO_ID!.toLowerCase())!])), true);
}

/**
 * Xero approved the invoice between our status read and our update, and — since Xero lets an approved invoice
 * without payments be edited — took the update. Xero has no conditional write to prevent that, so it is made
 * visible: the link records what Xero now holds (this content, approved: a later Bitrix edit is an ordinary
 * conflict) and a needs_person conflict carries both totals for the accountant to check the approved invoice.
 */
async function recordApprovedDuringUpdate(ctx: PushContext, w: InvoiceWork, before: Invoice, after: Invoice): Promise<void> {
  const xeroStatus = String(after.status ?? '').toUpperCase();
  const message = `Xero marked the invoice ${xeroStatus} while the daemon was updating the draft, and the Bitrix change ` +
    'was applied to the approved invoice — check it in Xero and mark this resolved';
  ctx.stats.conflicts++;
  ctx.note({ entity: w.entityType, id: w.invoice.id, action: 'conflict', reason: message });
  ctx.log.warn('invoice approved in Xero while being updated; the update landed on the approved invoice', { entity: w.entityType, id: w.invoice.id, xeroStatus });
  await recordError(ctx.state, {
    entityType: w.entityType, entityId: w.invoice.id, operation: 'conflict', errorClass: 'needs_person', code: 'approved_during_update',
    message, runId: ctx.runId,
    details: {
      xeroId: String(after.invoiceID ?? w.link?.XERO_ID ?? '').toLowerCase(), xeroStatus,
      totalBefore: before.total ?? null, totalAfter: after.total ?? null, pushedHash: w.plan.hash,
    },
  });
}

/** Xero statuses after approval: the invoice's content is Xero's (rule 5) and cannot become a draft again. */
export function isXeroOwned(status: string | null | undefined): boolean {
  const s = String(status ?? '').toUpperCase();
  return s !== '' && !(EDITABLE_XERO_STATUSES as readonly string[]).includes(s);
}

/**
 * A settings change would alter an invoice Xero already owns. Not a Bitrix edit, so no conflict and no write: the
 * link takes the hash planned under the new settings (what Bitrix would push now), so that only a later Bitrix edit
 * of the invoice's content shows up as a difference — and as a conflict.
 */
export async function adoptSettingsHash(ctx: PushContext, w: InvoiceWork, xeroStatus: string): Promise<void> {
  ctx.stats.unchanged++;
  ctx.note({ entity: w.entityType, id: w.invoice.id, action: 'unchanged', reason: `settings changed, but Xero owns this ${xeroStatus} invoice; left as it is` });
  if (ctx.dryRun) return;
  await markLinkSynced(ctx.state, { entityType: w.entityType, entityId: w.invoice.id }, {
    xeroId: w.link!.XERO_ID!, contentHash: w.plan.hash, xeroStatus: xeroStatus.toUpperCase(),
  });
}

async function recordConflict(ctx: PushContext, w: InvoiceWork, xeroStatus: string, message: string): Promise<void> {
  ctx.stats.conflicts++;
  ctx.note({ entity: w.entityType, id: w.invoice.id, action: 'conflict', reason: message });
  ctx.log.warn('invoice changed in Bitrix after Xero approved it; not pushed', { entity: w.entityType, id: w.invoice.id, xeroStatus });
  if (ctx.dryRun) return;
  await markLinkConflict(ctx.state, { entityType: w.entityType, entityId: w.invoice.id }, { xeroStatus: xeroStatus.toUpperCase() });
  await recordError(ctx.state, {
    entityType: w.entityType, entityId: w.invoice.id, operation: 'conflict', errorClass: 'never', code: 'approved_in_xero',
    message, details: { xeroId: w.link?.XERO_ID, xeroStatus, pushedHash: w.link?.CONTENT_HASH, bitrixHash: w.plan.hash }, runId: ctx.runId,
  });
}

/** One line per version for the overwritten-edit record: the lines, then the dates. */
function describeContent(c: XeroInvoiceContent): string {
  const lines = c.lines.map((l) => `${l.description} ${l.quantity} × ${l.unitAmount}${l.discountRate ? ` −${l.discountRate} %` : ''}`).join(', ');
  return `${lines}${c.date ? `, dated ${c.date}` : ''}${c.dueDate ? `, due ${c.dueDate}` : ''}`;
}
