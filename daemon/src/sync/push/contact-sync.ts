import type { DomainInvoice } from '../../domain/invoice.ts';
import { readNameSuffixes, saveNameSuffix } from '../../state/contact-names.ts';
import { enqueueInbox } from '../../state/inbox.ts';
import { markLinkSynced, recordCreateIntent } from '../../state/links.ts';
import type { LinkRow } from '../../state/tables.ts';
import type { Contact } from '../../xero/index.ts';
import { whereString, XeroApiError } from '../../xero/index.ts';
import {
  candidatesFor, classifyXeroValidation, diffPayload, isImportLink, matchContact, nameQualifiers, partyIdentity, payerOf, planPartyContact, withNameSuffix,
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
  /** The plan from Bitrix alone; `plan` is it with the name qualifier, if any. */
  basePlan: ContactPlan;
  plan: ContactPlan;
  identity: PartyIdentity;
  link: LinkRow | undefined;
  /** The qualifier on the Xero name (nameQualifiers), null for the plain name; stored: what b_b24xero_contact_name holds. */
  nameSuffix?: string | null;
  storedSuffix?: string | null;
  /** Xero refused the create: the name or ContactNumber is taken (looked up before it becomes the error). */
  refusal?: PlanError;
  /** Set once known (linked, matched or created). */
  contactID?: string;
  error?: PlanError;
}

const BATCH = 50;
/** Where-clauses per GET /Contacts look-up (a page of Xero's list answer). */
const LOOKUP_BATCH = 100;

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
    if (!parties.has(key)) parties.set(key, { key, party, basePlan: plan, plan, identity: partyIdentity(party, plan), link: undefined });
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
    return { key: `${plan.entity.type}:${plan.entity.id}`, party, basePlan: plan, plan, identity: partyIdentity(party, plan), link: undefined } as PartyWork;
  });
  await loadLinks(ctx, work);
  await resolveParties(ctx, work.filter((w) => w.link?.STATE === 'synced'), { linksLoaded: true });
}

async function loadLinks(ctx: PushContext, parties: PartyWork[]): Promise<void> {
  for (const type of ['company', 'contact'] as const) {
    const mine = parties.filter((p) => p.plan.entity.type === type);
    const ids = mine.map((p) => p.plan.entity.id);
    const links = await linksOf(ctx.state, type, ids);
    const suffixes = await readNameSuffixes(ctx.state, type, ids);
    for (const p of mine) {
      p.link = links.get(p.plan.entity.id);
      p.storedSuffix = suffixes.get(p.plan.entity.id) ?? null;
    }
  }
}

async function resolveParties(ctx: PushContext, parties: PartyWork[], options: { linksLoaded?: boolean } = {}): Promise<void> {
  if (!options.linksLoaded) await loadLinks(ctx, parties);
  // A qualifier given earlier (the plain name was another party's) is part of the plan from now on.
  for (const p of parties) qualify(p, p.storedSuffix ?? null);
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

  let creates: PartyWork[] = [];
  if (unresolved.length > 0) {
    // Xero is asked only about what recovery needs: a bound or linked id, or an unfinished create (by ContactNumber).
    // A party Xero has never seen from us is created straight away; Xero's own uniqueness of Name and ContactNumber
    // turns a lost link into a refused create, looked up below — never a duplicate.
    // With the whole contact book read in bulk (backfill), every party is matched against it before any create.
    const recoverable = unresolved.filter((p) => p.link?.STATE === 'creating' || !!p.link?.XERO_ID || !!p.identity.xeroId);
    const lookup = ctx.knownContacts
      ? { candidates: candidatesFor(ctx.knownContacts, unresolved.map((p) => p.identity)), unknown: new Map<PartyWork, PlanError>() }
      : await fetchCandidates(ctx, recoverable, 'recovery');
    await failUnknown(ctx, lookup.unknown);
    creates = await matchParties(ctx, unresolved.filter((p) => !lookup.unknown.has(p)), lookup.candidates, updates);
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
  // Creates Xero refused because the name or ContactNumber is taken: looked up (in pages), then adopted (ours, or
  // an unnumbered contact of that name), qualified with a distinct name (another party's), or blocked. A qualified
  // name can be taken too: at most one round per qualifier.
  for (let round = 0; creates.length > 0 && round < 3; round++) {
    const refused: PartyWork[] = [];
    for (const batch of chunk(creates, BATCH)) refused.push(...await createBatch(ctx, batch));
    if (refused.length === 0) break;
    const lookup = await fetchCandidates(ctx, refused, 'refused');
    await failUnknown(ctx, lookup.unknown);
    const known = refused.filter((p) => !lookup.unknown.has(p));
    const suffixes = new Map(known.map((p) => [p, p.nameSuffix ?? null]));
    const again = await matchParties(ctx, known, lookup.candidates, updates);
    creates = [];
    for (const p of again) {
      // Nothing visible explains the refusal (an archived holder, say): Xero's message is the error.
      if (round < 2 && p.nameSuffix !== suffixes.get(p)) creates.push(p);
      else await failParty(ctx, p, p.refusal!);
    }
  }
  for (const batch of chunk(updates, BATCH)) await updateBatch(ctx, batch);
}

/** The plan (and identity) with this name qualifier; null leaves the plain name. */
function qualify(p: PartyWork, suffix: string | null): void {
  p.nameSuffix = suffix;
  p.plan = withNameSuffix(p.basePlan, suffix);
  p.identity = { ...p.identity, name: p.plan.payload.name };
}

async function failParty(ctx: PushContext, p: PartyWork, error: PlanError, details?: unknown): Promise<void> {
  p.error = { ...error, message: `payer: ${error.message}` };
  await recordFailure(ctx, p.plan.entity.type, p.plan.entity.id, 'push', error, details);
}

async function failUnknown(ctx: PushContext, unknown: ReadonlyMap<PartyWork, PlanError>): Promise<void> {
  for (const [p, error] of unknown) await failParty(ctx, p, error);
}

/**
 * The matching order (matchContact) for each party against what was read; matched ones join `updates`. A name held
 * by another party's contact gets the next qualifier (nameQualifiers). Returns the parties to create.
 */
async function matchParties(ctx: PushContext, parties: readonly PartyWork[], candidates: readonly ContactCandidate[], updates: PartyWork[]): Promise<PartyWork[]> {
  const creates: PartyWork[] = [];
  if (parties.length === 0) return creates;
  const owners = candidates.length === 0 ? [] : await linksToXeroIds(ctx.state, 'contact', candidates.flatMap((c) => (c.contactID ? [c.contactID] : [])));
  const known: ContactLink[] = [...owners, ...parties.flatMap((p) => (p.link ? [p.link] : []))]
    .filter((l) => l.ENTITY_TYPE === 'company' || l.ENTITY_TYPE === 'contact')
    .map((l) => ({ entityType: l.ENTITY_TYPE as 'company' | 'contact', entityId: l.ENTITY_ID, xeroId: l.XERO_ID }));
  // Xero ids are compared as stored in links (lower case).
  const lowered = candidates.map((c) => ({ ...c, contactID: c.contactID?.toLowerCase(), mergedToContactID: c.mergedToContactID?.toLowerCase() }));
  for (const p of parties) {
    const identity = { ...p.identity, xeroId: p.identity.xeroId?.toLowerCase() ?? null };
    const match = matchContact(lowered, identity, known);
    if (match.action === 'use') {
      p.contactID = match.contactID;
      ctx.log.info('payer matched to an existing Xero contact', { entity: p.plan.entity.type, id: p.plan.entity.id, via: match.via, contactID: match.contactID });
      updates.push(p);
    } else if (match.action === 'create') {
      creates.push(p);
    } else {
      const qualifiers = nameQualifiers(p.basePlan);
      const next = match.reason === 'name_taken' ? qualifiers[p.nameSuffix ? qualifiers.indexOf(p.nameSuffix) + 1 : 0] : undefined;
      if (next) {
        ctx.log.info('payer name taken in Xero by another party; made distinct', { entity: p.plan.entity.type, id: p.plan.entity.id, suffix: next, holder: match.contactID });
        qualify(p, next);
        // Kept before the create is sent: whatever happens to it, every later push uses this name.
        if (!ctx.dryRun) await saveNameSuffix(ctx.state, p.plan.entity.type, p.plan.entity.id, next);
        creates.push(p);
      } else {
        await failParty(ctx, p, match.error, { contactID: match.contactID, reason: match.reason });
      }
    }
  }
  return creates;
}

/**
 * Xero contacts for the matching order, read only for the parties given: by id (links, UF_CRM_XERO_ID bindings),
 * then by ContactNumber — for 'recovery', only the unfinished creates (a 'creating' link); for 'refused', by
 * ContactNumber and Name. In pages of 100 clauses; a page whose call fails leaves only its own parties unknown.
 */
async function fetchCandidates(ctx: PushContext, parties: readonly PartyWork[], why: 'recovery' | 'refused'): Promise<{ candidates: ContactCandidate[]; unknown: Map<PartyWork, PlanError> }> {
  const found = new Map<string, Contact>();
  const unknown = new Map<PartyWork, PlanError>();
  const read = async (batch: readonly PartyWork[], call: () => Promise<{ items: Contact[] }>): Promise<void> => {
    try {
      for (const c of (await call()).items) if (c.contactID) found.set(c.contactID.toLowerCase(), c);
    } catch (error) {
      stopIfTenantWide(error);
      if (!(error instanceof XeroApiError)) throw error;
      for (const p of batch) unknown.set(p, errorOf(error));
    }
  };
  const idOf = (p: PartyWork): string[] => [p.link?.XERO_ID, p.identity.xeroId].filter((id): id is string => !!id && /^[0-9a-f-]{36}$/i.test(id));
  const withIds = parties.filter((p) => idOf(p).length > 0);
  for (const batch of chunk(withIds, BATCH)) {
    await read(batch, () => ctx.gateway.getContacts({ ids: [...new Set(batch.flatMap(idOf))], includeArchived: true }));
  }
  const byNumber = why === 'refused' ? parties : parties.filter((p) => p.link?.STATE === 'creating');
  const clauses = (p: PartyWork): string[] => why === 'refused'
    ? [`ContactNumber==${whereString(p.identity.contactNumber)}`, `Name==${whereString(p.identity.name)}`]
    : [`ContactNumber==${whereString(p.identity.contactNumber)}`];
  for (const batch of chunk(byNumber.filter((p) => !unknown.has(p)), why === 'refused' ? LOOKUP_BATCH / 2 : LOOKUP_BATCH)) {
    await read(batch, () => ctx.gateway.getContacts({ where: batch.flatMap(clauses).join(' OR '), includeArchived: true }));
  }
  const candidates = [...found.values()].map((c) => ({
    contactID: c.contactID, name: c.name, contactNumber: c.contactNumber,
    contactStatus: c.contactStatus, mergedToContactID: c.mergedToContactID,
  }));
  return { candidates, unknown };
}

/** Xero's refusal of a create because the Name or ContactNumber is already someone's: looked up, not final. */
const TAKEN = new Set(['contact_name_taken', 'contact_number_taken']);

/**
 * One create call (intents committed first, each with its name qualifier). Returns the parties Xero refused because
 * their name or number is taken (their intent withdrawn, the refusal kept on `refusal`); other failures are stored.
 * A 5xx answer for the whole call: the batch is looked up by ContactNumber at once and the rest sent in halves.
 */
async function createBatch(ctx: PushContext, batch: PartyWork[]): Promise<PartyWork[]> {
  // Intent first, each its own committed write (rule 4): a crash after this line is found again by ContactNumber.
  for (const p of batch) {
    await recordCreateIntent(ctx.state, {
      entityType: p.plan.entity.type, entityId: p.plan.entity.id,
      idempotencyKey: intentKey(ctx.instance, p.plan.entity.type, p.plan.entity.id, p.plan.hash),
      contentHash: p.plan.hash, tenantId: ctx.tenantId,
    });
  }
  return sendContactCreates(ctx, batch);
}

async function sendContactCreates(ctx: PushContext, batch: PartyWork[]): Promise<PartyWork[]> {
  const key = batchKey(ctx.instance, 'contacts-create', batch.map((p) => `${p.key}:${p.plan.hash}`));
  let outcome;
  try {
    outcome = await ctx.gateway.createContacts(batch.map((p) => p.plan.payload as unknown as Contact), { idempotencyKey: key });
  } catch (error) {
    stopIfTenantWide(error);
    if (error instanceof XeroApiError && error.type === 'server' && batch.length > 1) return recoverAndSplit(ctx, batch);
    const failure = errorOf(error);
    for (const p of batch) await failParty(ctx, p, failure);
    return [];
  }
  const refused: PartyWork[] = [];
  for (const element of outcome.elements) {
    const p = batch[element.index]!;
    if (element.ok && element.value.contactID) {
      p.contactID = element.value.contactID.toLowerCase();
      await settleParty(ctx, p, p.contactID, 'created');
      ctx.stats.contactsCreated++;
      continue;
    }
    const failure = element.ok ? { code: 'no_id', message: 'Xero returned no ContactID', class: 'retry' as const } : classifyXeroValidation(element.error.messages);
    await withdrawIntent(ctx.state, p.plan.entity.type, p.plan.entity.id);
    if (TAKEN.has(failure.code)) {
      p.refusal = failure;
      refused.push(p);
    } else {
      await failParty(ctx, p, failure);
    }
  }
  return refused;
}

async function recoverAndSplit(ctx: PushContext, batch: PartyWork[]): Promise<PartyWork[]> {
  const creating = batch.map((p) => ({ ...p, link: { STATE: 'creating' } as LinkRow }) as PartyWork);
  const lookup = await fetchCandidates(ctx, creating, 'recovery');
  const byNumber = new Map(lookup.candidates.map((c) => [(c.contactNumber ?? '').toLowerCase(), c]));
  const rest: PartyWork[] = [];
  for (const [i, p] of batch.entries()) {
    const unknown = lookup.unknown.get(creating[i]!);
    const held = byNumber.get(p.identity.contactNumber.toLowerCase());
    if (unknown) await failParty(ctx, p, unknown);
    else if (held?.contactID) {
      p.contactID = held.contactID.toLowerCase();
      await settleParty(ctx, p, p.contactID, 'created');
      ctx.stats.contactsCreated++;
    } else rest.push(p);
  }
  if (rest.length === 0) return [];
  const half = Math.ceil(rest.length / 2);
  return [...await sendContactCreates(ctx, rest.slice(0, half)), ...(rest.length > half ? await sendContactCreates(ctx, rest.slice(half)) : [])];
}

async function updateBatch(ctx: PushContext, batch: PartyWork[]): Promise<void> {
  // A contact that came from Xero keeps the ContactNumber the accountant gave it: ours is only a find-before-create key.
  const payloads = batch.map((p) => {
    const { contactNumber, ...rest } = p.plan.payload;
    return (isImportLink(p.link?.IDEMPOTENCY_KEY) ? { ...rest, contactID: p.contactID } : { ...rest, contactNumber, contactID: p.contactID }) as unknown as Contact;
  });
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
