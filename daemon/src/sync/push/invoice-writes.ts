import { markLinkConflict, recordCreateIntent } from '../../state/links.ts';
import { recordError } from '../../state/record-errors.ts';
import type { Invoice } from '../../xero/index.ts';
import { whereString, XeroApiError } from '../../xero/index.ts';
import {
  classifyXeroValidation, diffPayload, invoiceKey, invoicePayloadFromXero, parseInvoiceReference, planInvoiceUpdate,
} from '../plan/index.ts';
import { batchKey, intentKey } from './idempotency-keys.ts';
import { chunk, withdrawIntent } from './link-queries.ts';
import type { InvoiceWork } from './invoice-work.ts';
import { settleInvoice } from './invoice-settle.ts';
import type { PushContext } from './push-context.ts';
import { errorOf, failInvoice } from './record-failure.ts';

const BATCH = 50;
/** References looked up per GET /Invoices where-clause. */
const LOOKUP_BATCH = 10;

const isOurs = (work: InvoiceWork, xero: Invoice): boolean => {
  const ref = parseInvoiceReference(xero.reference);
  return ref !== null && ref.kind === work.invoice.kind && ref.id === work.invoice.id;
};

/**
 * Find-before-create (rule 4) for invoices whose link is still 'creating' — an earlier pass recorded the intent and
 * may or may not have reached Xero. Looked up by InvoiceNumber when the Bitrix number is sent, else by the Reference
 * that carries the Bitrix key; a hit is confirmed by its Reference, so an unrelated invoice with the same number is
 * never taken for ours. Returns the works whose invoice Xero already holds, with that invoice.
 */
export async function findCreatedInvoices(ctx: PushContext, works: readonly InvoiceWork[]): Promise<Map<InvoiceWork, Invoice>> {
  const found = new Map<InvoiceWork, Invoice>();
  const byNumber = works.filter((w) => w.plan.payload.invoiceNumber);
  const byReference = works.filter((w) => !w.plan.payload.invoiceNumber);
  const take = (candidates: readonly Invoice[], batch: readonly InvoiceWork[]) => {
    for (const xero of candidates) {
      const status = String(xero.status ?? '').toUpperCase();
      if (status === 'DELETED') continue; // a deleted copy is not the invoice; create again
      const work = batch.find((w) => isOurs(w, xero));
      if (work && !found.has(work)) found.set(work, xero);
    }
  };
  for (const batch of chunk(byNumber, BATCH)) {
    const page = await ctx.gateway.getInvoices({ numbers: batch.map((w) => w.plan.payload.invoiceNumber!), includeArchived: true });
    take(page.items, batch);
  }
  for (const batch of chunk(byReference, LOOKUP_BATCH)) {
    const where = batch.map((w) => `Reference.StartsWith(${whereString(invoiceKey(w.invoice.kind, w.invoice.id))})`).join(' OR ');
    const page = await ctx.gateway.getInvoices({ where, includeArchived: true });
    take(page.items, batch);
  }
  return found;
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
 * leaves the intents in place when Xero may have acted (timeout, dropped connection, 5xx): the next pass searches.
 */
export async function createInvoices(ctx: PushContext, works: readonly InvoiceWork[]): Promise<void> {
  if (ctx.dryRun) {
    for (const w of works) ctx.note({ entity: w.entityType, id: w.invoice.id, action: 'create', changes: diffPayload(null, w.plan.payload) });
    return;
  }
  for (const batch of chunk(works, BATCH)) {
    for (const w of batch) {
      await recordCreateIntent(ctx.state, {
        entityType: w.entityType, entityId: w.invoice.id, tenantId: ctx.tenantId, contentHash: w.plan.hash,
        idempotencyKey: intentKey(ctx.instance, w.entityType, w.invoice.id, w.plan.hash),
      });
    }
    const key = batchKey(ctx.instance, 'invoices-create', batch.map((w) => `${w.entityType}:${w.invoice.id}:${w.plan.hash}`));
    let outcome;
    try {
      outcome = await ctx.gateway.createInvoices(batch.map((w) => w.plan.payload as unknown as Invoice), { idempotencyKey: key });
    } catch (error) {
      const nothingCreated = error instanceof XeroApiError && (error.type === 'validation' || error.type === 'budget_exhausted' || error.type === 'rate_limit');
      for (const w of batch) {
        if (nothingCreated) await withdrawIntent(ctx.state, w.entityType, w.invoice.id);
        await failInvoice(ctx, w.entityType, w.invoice, errorOf(error));
      }
      continue;
    }
    for (const element of outcome.elements) {
      const w = batch[element.index]!;
      if (element.ok && element.value.invoiceID) {
        await settleInvoice(ctx, w, element.value, w.plan.hash);
        ctx.stats.created++;
        ctx.note({ entity: w.entityType, id: w.invoice.id, action: 'create' });
      } else {
        await withdrawIntent(ctx.state, w.entityType, w.invoice.id);
        const failure = element.ok ? { code: 'no_id', message: 'Xero returned no InvoiceID', class: 'retry' as const } : classifyXeroValidation(element.error.messages);
        await failInvoice(ctx, w.entityType, w.invoice, failure, { messages: element.ok ? [] : element.error.messages });
      }
    }
  }
}

/**
 * Invoices whose content changed since the last push: updated while Xero still has them as DRAFT/SUBMITTED; once
 * Xero has approved them a conflict is recorded and Xero is left untouched (rule 5).
 */
export async function updateInvoices(ctx: PushContext, works: readonly InvoiceWork[], current: ReadonlyMap<string, Invoice>): Promise<void> {
  const updates: Array<{ work: InvoiceWork; payload: Invoice; hash: string }> = [];
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
    if (decision.action === 'conflict') {
      await recordConflict(ctx, w, decision.xeroStatus, decision.error.message);
      continue;
    }
    if (ctx.dryRun) {
      const before = invoicePayloadFromXero(xero, { invoiceNumberPolicy: ctx.settings.invoiceNumberPolicy });
      const { status: _s, ...after } = w.plan.payload;
      ctx.note({ entity: w.entityType, id: w.invoice.id, action: 'update', changes: diffPayload(before, after) });
      continue;
    }
    updates.push({ work: w, payload: decision.payload as unknown as Invoice, hash: decision.hash });
  }
  for (const batch of chunk(updates, BATCH)) {
    const key = batchKey(ctx.instance, 'invoices-update', batch.map((u) => `${u.work.entityType}:${u.work.invoice.id}:${u.hash}`));
    let outcome;
    try {
      outcome = await ctx.gateway.updateInvoices(batch.map((u) => u.payload), { idempotencyKey: key });
    } catch (error) {
      for (const u of batch) await failInvoice(ctx, u.work.entityType, u.work.invoice, errorOf(error));
      continue;
    }
    for (const element of outcome.elements) {
      const u = batch[element.index]!;
      if (element.ok) {
        await settleInvoice(ctx, u.work, element.value, u.hash);
        ctx.stats.updated++;
        ctx.note({ entity: u.work.entityType, id: u.work.invoice.id, action: 'update' });
        continue;
      }
      const failure = classifyXeroValidation(element.error.messages);
      // Approved between our status read and the update: the same conflict, found by Xero instead of by us.
      if (failure.class === 'never') await recordConflict(ctx, u.work, 'approved', failure.message);
      else await failInvoice(ctx, u.work.entityType, u.work.invoice, failure, { messages: element.error.messages });
    }
  }
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
