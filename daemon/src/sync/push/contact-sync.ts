import type { DomainInvoice } from '../../domain/invoice.ts';
import { enqueueInbox } from '../../state/inbox.ts';
import { markLinkSynced, recordCreateIntent } from '../../state/links.ts';
import type { LinkRow } from '../../state/tables.ts';
import type { Contact } from '../../xero/index.ts';
import { whereString } from '../../xero/index.ts';
import {
  classifyXeroValidation, diffPayload, matchContact, partyIdentity, payerOf, planPartyContact,
  type ContactCandidate, type ContactLink, type ContactPlan, type Party, type PartyIdentity, type PlanError,
} from '../plan/index.ts';
import { batchKey, fromState, intentKey } from './idempotency-keys.ts';
import { linksOf, linksToXeroIds, upsertSyncedLink, withdrawIntent } from './link-queries.ts';
import { chunk } from '../../util/chunk.ts';
import type { PushContext } from './push-context.ts';
import { clearFailure, errorOf, recordFailure } from './record-failure.ts';
import { stopIfTenantWide } from './tenant-outage.ts';

export type PayerResolution = { ok: true; contactID: string } | { ok: false; error: PlanError };

interface PartyWork {
  key: string;
  party: Party;
  plan: ContactPlan;
  identity: PartyIdentity;
  link: LinkRow | undefined;
  /** Set once known (linked, matched or created). */
  contactID?: string;
  error?: PlanError;
}

const BATCH = 50;
/** Parties looked up per GET /Contacts (ContactNumber and Name clauses; keeps the URL short). */
const LOOKUP_BATCH = 10;

/**
 * The Xero contact of each invoice's payer (company or person, planPartyContact), found or created, batched:
 * 1. a synced link is used as is (no call); a changed hash queues an update;
 * 2. otherwise the matching order runs (matchContact: link → UF_CRM_XERO_ID → ContactNumber → exact name) against
 *    candidates read from Xero; a 'creating' link is covered by the ContactNumber lookup (find-before-create);
 * 3. the rest are created in batches of ≤ 50, each after its intent row is committed;
 * 4. a same-named stranger blocks the party with a needs_person error naming both — the invoice is skipped.
 * Returns invoice id → contact id or the reason there is none.
 */
export async function resolvePayers(ctx: PushContext, invoices: readonly DomainInvoice[]): Promise<Map<number, PayerResolution>> {
  const result = new Map<number, PayerResolution>();
  const parties = new Map<string, PartyWork>();
  const partyOf = new Map<number, string>();
  for (const invoice of invoices) {
    const party = payerOf(invoice);
    if (!party) {
      result.set(invoice.id, { ok: false, error: { code: 'no_payer', message: 'The invoice has no payer (company or contact) in Bitrix', class: 'needs_person' } });
      continue;
    }
    const plan = planPartyContact(party);
    const key = `${plan.entity.type}:${plan.entity.id}`;
    partyOf.set(invoice.id, key);
    if (!parties.has(key)) parties.set(key, { key, party, plan, identity: partyIdentity(party, plan), link: undefined });
  }
  if (parties.size > 0) await resolveParties(ctx, [...parties.values()]);
  for (const [invoiceId, key] of partyOf) {
    const work = parties.get(key)!;
    if (work.contactID) result.set(invoiceId, { ok: true, contactID: work.contactID });
    else result.set(invoiceId, { ok: false, error: work.error ?? { code: 'contact_unresolved', message: `The payer's Xero contact (${work.plan.payload.name}) could not be resolved`, class: 'retry' } });
  }
  return result;
}

/** The same for contacts/companies changed in Bitrix that are already linked: pushes their new details. */
export async function refreshLinkedParties(ctx: PushContext, parties: readonly Party[]): Promise<void> {
  const work = parties.map((party) => {
    const plan = planPartyContact(party);
    return { key: `${plan.entity.type}:${plan.entity.id}`, party, plan, identity: partyIdentity(party, plan), link: undefined } as PartyWork;
  });
  await loadLinks(ctx, work);
  await resolveParties(ctx, work.filter((w) => w.link?.STATE === 'synced'), { linksLoaded: true });
}

async function loadLinks(ctx: PushContext, parties: PartyWork[]): Promise<void> {
  for (const type of ['company', 'contact'] as const) {
    const mine = parties.filter((p) => p.plan.entity.type === type);
    const links = await linksOf(ctx.state, type, mine.map((p) => p.plan.entity.id));
    for (const p of mine) p.link = links.get(p.plan.entity.id);
  }
}

async function resolveParties(ctx: PushContext, parties: PartyWork[], options: { linksLoaded?: boolean } = {}): Promise<void> {
  if (!options.linksLoaded) await loadLinks(ctx, parties);
  const updates: PartyWork[] = [];
  const unresolved: PartyWork[] = [];
  for (const p of parties) {
    if (p.link?.STATE === 'synced' && p.link.XERO_ID) {
      p.contactID = p.link.XERO_ID;
      if (p.link.CONTENT_HASH !== p.plan.hash) updates.push(p);
    } else {
      unresolved.push(p);
    }
  }

  const creates: PartyWork[] = [];
  if (unresolved.length > 0) {
    const candidates = await fetchCandidates(ctx, unresolved);
    const owners = await linksToXeroIds(ctx.state, 'contact', candidates.flatMap((c) => (c.contactID ? [c.contactID] : [])));
    const known: ContactLink[] = [...owners, ...unresolved.flatMap((p) => (p.link ? [p.link] : []))]
      .filter((l) => l.ENTITY_TYPE === 'company' || l.ENTITY_TYPE === 'contact')
      .map((l) => ({ entityType: l.ENTITY_TYPE as 'company' | 'contact', entityId: l.ENTITY_ID, xeroId: l.XERO_ID }));
    // Xero ids are compared as stored in links (lower case).
    const lowered = candidates.map((c) => ({ ...c, contactID: c.contactID?.toLowerCase(), mergedToContactID: c.mergedToContactID?.toLowerCase() }));
    for (const p of unresolved) {
      const identity = { ...p.identity, xeroId: p.identity.xeroId?.toLowerCase() ?? null };
      const match = matchContact(lowered, identity, known);
      if (match.action === 'use') {
        p.contactID = match.contactID;
        ctx.log.info('payer matched to an existing Xero contact', { entity: p.plan.entity.type, id: p.plan.entity.id, via: match.via, contactID: match.contactID });
        updates.push(p);
      } else if (match.action === 'create') {
        creates.push(p);
      } else {
        p.error = { ...match.error, message: `payer: ${match.error.message}` };
        await recordFailure(ctx, p.plan.entity.type, p.plan.entity.id, 'push', match.error, { contactID: match.contactID, reason: match.reason });
      }
    }
  }

  if (ctx.dryRun) {
    for (const p of creates) {
      p.contactID = `(new contact ${p.plan.payload.contactNumber})`;
      ctx.note({ entity: p.plan.entity.type, id: p.plan.entity.id, action: 'create', changes: diffPayload(null, p.plan.payload) });
    }
    for (const p of updates) ctx.note({ entity: p.plan.entity.type, id: p.plan.entity.id, action: 'update', reason: 'contact details changed or matched' });
    return;
  }
  // Writes record the tenant on links; it is settled with the organisation, loaded here only when something changes.
  if (creates.length + updates.length > 0) await ctx.org();
  for (const batch of chunk(creates, BATCH)) await createBatch(ctx, batch);
  for (const batch of chunk(updates, BATCH)) await updateBatch(ctx, batch);
}

/** Candidates for the matching order: by id (links, UF_CRM_XERO_ID bindings), then by ContactNumber or Name. */
async function fetchCandidates(ctx: PushContext, parties: readonly PartyWork[]): Promise<ContactCandidate[]> {
  const found = new Map<string, Contact>();
  const ids = [...new Set(parties.flatMap((p) => [p.link?.XERO_ID, p.identity.xeroId]).filter((id): id is string => !!id && /^[0-9a-f-]{36}$/i.test(id)))];
  for (const batch of chunk(ids, BATCH)) {
    const page = await ctx.gateway.getContacts({ ids: batch, includeArchived: true });
    for (const c of page.items) if (c.contactID) found.set(c.contactID.toLowerCase(), c);
  }
  for (const batch of chunk(parties, LOOKUP_BATCH)) {
    const where = batch
      .flatMap((p) => [`ContactNumber==${whereString(p.identity.contactNumber)}`, `Name==${whereString(p.identity.name)}`])
      .join(' OR ');
    const page = await ctx.gateway.getContacts({ where, includeArchived: true });
    for (const c of page.items) if (c.contactID) found.set(c.contactID.toLowerCase(), c);
  }
  return [...found.values()].map((c) => ({
    contactID: c.contactID, name: c.name, contactNumber: c.contactNumber,
    contactStatus: c.contactStatus, mergedToContactID: c.mergedToContactID,
  }));
}

async function createBatch(ctx: PushContext, batch: PartyWork[]): Promise<void> {
  // Intent first, each its own committed write (rule 4): a crash after this line is found again by ContactNumber.
  for (const p of batch) {
    await recordCreateIntent(ctx.state, {
      entityType: p.plan.entity.type, entityId: p.plan.entity.id,
      idempotencyKey: intentKey(ctx.instance, p.plan.entity.type, p.plan.entity.id, p.plan.hash),
      contentHash: p.plan.hash, tenantId: ctx.tenantId,
    });
  }
  const key = batchKey(ctx.instance, 'contacts-create', batch.map((p) => `${p.key}:${p.plan.hash}`));
  let outcome;
  try {
    outcome = await ctx.gateway.createContacts(batch.map((p) => p.plan.payload as unknown as Contact), { idempotencyKey: key });
  } catch (error) {
    stopIfTenantWide(error);
    const failure = errorOf(error);
    for (const p of batch) {
      p.error = failure;
      await recordFailure(ctx, p.plan.entity.type, p.plan.entity.id, 'push', failure);
    }
    return;
  }
  for (const element of outcome.elements) {
    const p = batch[element.index]!;
    if (element.ok && element.value.contactID) {
      p.contactID = element.value.contactID.toLowerCase();
      await settleParty(ctx, p, p.contactID, 'created');
      ctx.stats.contactsCreated++;
    } else {
      const failure = element.ok ? { code: 'no_id', message: 'Xero returned no ContactID', class: 'retry' as const } : classifyXeroValidation(element.error.messages);
      p.error = failure;
      await withdrawIntent(ctx.state, p.plan.entity.type, p.plan.entity.id);
      await recordFailure(ctx, p.plan.entity.type, p.plan.entity.id, 'push', failure);
    }
  }
}

async function updateBatch(ctx: PushContext, batch: PartyWork[]): Promise<void> {
  const payloads = batch.map((p) => ({ ...p.plan.payload, contactID: p.contactID }) as unknown as Contact);
  // Keyed by the state each update starts from (the link's last settle) too: an edit back to details sent minutes
  // ago (A → B → A → B) must reach Xero, not replay the answer to the first A → B within Xero's key lifetime.
  const key = batchKey(ctx.instance, 'contacts-update', batch.map((p) => `${p.key}:${p.contactID}:${fromState(p.link)}:${p.plan.hash}`));
  let outcome;
  try {
    outcome = await ctx.gateway.updateContacts(payloads, { idempotencyKey: key });
  } catch (error) {
    stopIfTenantWide(error);
    // The contact exists: its invoices can still be pushed; the stale details are retried later.
    for (const p of batch) await recordFailure(ctx, p.plan.entity.type, p.plan.entity.id, 'push', errorOf(error));
    return;
  }
  for (const element of outcome.elements) {
    const p = batch[element.index]!;
    if (element.ok) {
      await settleParty(ctx, p, p.contactID!, 'updated');
      ctx.stats.contactsUpdated++;
    } else {
      await recordFailure(ctx, p.plan.entity.type, p.plan.entity.id, 'push', classifyXeroValidation(element.error.messages));
    }
  }
}

/**
 * The link becomes synced and, when Bitrix does not hold the binding yet, an inbox row asks the module to set
 * UF_CRM_XERO_ID — in one transaction, so a crash never leaves a synced link whose binding was never queued.
 */
async function settleParty(ctx: PushContext, p: PartyWork, contactID: string, how: 'created' | 'updated'): Promise<void> {
  const entityType = p.plan.entity.type;
  const entityId = p.plan.entity.id;
  await ctx.state.transaction().execute(async (trx) => {
    if (how === 'created') {
      await markLinkSynced(trx, { entityType, entityId }, {
        xeroId: contactID, contentHash: p.plan.hash, xeroNumber: p.plan.payload.contactNumber, tenantId: ctx.tenantId,
      });
    } else {
      await upsertSyncedLink(trx, {
        entityType, entityId, xeroId: contactID, contentHash: p.plan.hash, xeroNumber: p.plan.payload.contactNumber,
        idempotencyKey: intentKey(ctx.instance, entityType, entityId, p.plan.hash), tenantId: ctx.tenantId,
      });
    }
    if (p.identity.xeroId?.toLowerCase() !== contactID.toLowerCase()) {
      await enqueueInbox(trx, { entityType, entityId, action: 'set_fields', payload: { fields: { UF_CRM_XERO_ID: contactID } } });
    }
  });
  await clearFailure(ctx, entityType, entityId, 'push');
}
