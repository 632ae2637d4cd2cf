import { foldName as normalName } from '../../util/fold-name.ts';
import type { PlanError } from './plan-result.ts';

/** A Xero contact as the executor fetched it (by link id, binding id, ContactNumber and name, archived included). */
export interface ContactCandidate {
  /** Candidates without one (never the case for contacts read from Xero) are ignored. */
  contactID?: string | undefined;
  name?: string | undefined;
  contactNumber?: string | undefined;
  /** ACTIVE | ARCHIVED | GDPRREQUEST (xero-node enum: a string at runtime). */
  contactStatus?: unknown;
  /** Set on a contact merged into another; that other contact is the live one. */
  mergedToContactID?: string | undefined;
  /** The contact's own email (Xero's EmailAddress), for the last matching step. */
  emailAddress?: string | undefined;
}

/** The Bitrix side being matched. */
export interface PartyIdentity {
  entity: { type: 'company' | 'contact'; id: number };
  /** UF_CRM_XERO_ID on the Bitrix record. */
  xeroId: string | null;
  /** What we would send: planPartyContact(...).payload.name / .contactNumber. */
  name: string;
  contactNumber: string;
  /** The email the payload carries (planPartyContact(...).payload.emailAddress), null without one. */
  email?: string | null;
}

/** b_b24xero_link rows for contacts/companies (XERO_TYPE 'contact') that mention this party or any candidate. */
export interface ContactLink {
  entityType: 'company' | 'contact';
  entityId: number;
  xeroId: string | null;
}

export type MatchVia = 'link' | 'binding' | 'contact_number' | 'name' | 'email';

export type ContactMatch =
  /** Use this Xero contact (update it with the planned payload if the hash differs; set the link and binding). */
  | { action: 'use'; contactID: string; via: MatchVia }
  /** No Xero contact is ours: create one (record intent first). */
  | { action: 'create' }
  /** Do not create, do not merge: store `error` for a person. */
  | { action: 'blocked'; reason: 'name_taken' | 'archived' | 'email_ambiguous'; contactID: string; error: PlanError };

const isActive = (c: ContactCandidate): boolean => String(c.contactStatus ?? 'ACTIVE').toUpperCase() === 'ACTIVE';
const describe = (e: { type: string; id: number }): string => `Bitrix ${e.type} ${e.id}`;

/**
 * Finds the Xero contact for a Bitrix contact/company, in the order: link table → UF_CRM_XERO_ID binding →
 * Xero ContactNumber → exact name (case- and space-insensitive, as Xero's uniqueness check is) → email (exactly one
 * active candidate with that address and no other party's ContactNumber; more than one is a needs_person error
 * naming them all — never a guess).
 * A same-named Xero contact that is someone else's — a different ContactNumber, or linked to another Bitrix record —
 * is never merged: the result is 'blocked' with a needs_person error naming both, and nothing is created (Xero would
 * refuse a second active contact with that name anyway). A merged contact is followed to the one it was merged into;
 * an archived match is blocked, since Xero cannot edit archived contacts or bill them.
 */
export function matchContact(
  candidates: readonly ContactCandidate[],
  party: PartyIdentity,
  links: readonly ContactLink[],
): ContactMatch {
  const known = candidates.filter((c): c is ContactCandidate & { contactID: string } => typeof c.contactID === 'string' && c.contactID !== '');
  const byId = new Map(known.map((c) => [c.contactID, c]));
  const isThisParty = (l: ContactLink): boolean => l.entityType === party.entity.type && l.entityId === party.entity.id;
  const ownerOf = (contactID: string): ContactLink | undefined => links.find((l) => l.xeroId === contactID && !isThisParty(l));

  const resolve = (contactID: string | null | undefined, via: MatchVia): ContactMatch | null => {
    let candidate = contactID ? byId.get(contactID) : undefined;
    for (let hops = 0; candidate?.mergedToContactID && hops < 5; hops++) candidate = byId.get(candidate.mergedToContactID);
    if (!candidate) return null;
    if (via !== 'link' && ownerOf(candidate.contactID)) return null;
    if (!isActive(candidate)) {
      return {
        action: 'blocked',
        reason: 'archived',
        contactID: candidate.contactID,
        error: {
          code: 'contact_archived',
          message: `${describe(party.entity)} belongs to Xero contact "${candidate.name ?? candidate.contactID}", which is archived — restore it in Xero`,
          class: 'needs_person',
        },
      };
    }
    return { action: 'use', contactID: candidate.contactID, via };
  };

  const link = links.find(isThisParty);
  const viaLink = resolve(link?.xeroId, 'link');
  if (viaLink) return viaLink;
  const viaBinding = resolve(party.xeroId, 'binding');
  if (viaBinding) return viaBinding;

  const number = party.contactNumber.trim().toLowerCase();
  const numbered = known.find((c) => (c.contactNumber ?? '').trim().toLowerCase() === number && isActive(c));
  const viaNumber = resolve(numbered?.contactID, 'contact_number');
  if (viaNumber) return viaNumber;

  const wanted = normalName(party.name);
  const sameName = known.filter((c) => isActive(c) && normalName(c.name) === wanted);
  for (const holder of sameName) {
    const owner = ownerOf(holder.contactID);
    const foreignNumber = (holder.contactNumber ?? '').trim() !== '' && (holder.contactNumber ?? '').trim().toLowerCase() !== number;
    if (!owner && !foreignNumber && sameName.length === 1) return { action: 'use', contactID: holder.contactID, via: 'name' };
    const whose = owner ? describe({ type: owner.entityType, id: owner.entityId }) : foreignNumber ? `ContactNumber ${holder.contactNumber}` : 'another record';
    return {
      action: 'blocked',
      reason: 'name_taken',
      contactID: holder.contactID,
      error: {
        code: 'contact_name_taken',
        message:
          `${describe(party.entity)} would be Xero contact "${party.name}", but that name already belongs to Xero contact ` +
          `${holder.contactID} (${whose}) — rename one of them, or link them by setting UF_CRM_XERO_ID`,
        class: 'needs_person',
      },
    };
  }
  return matchByEmail(known, party, number, ownerOf) ?? { action: 'create' };
}

function matchByEmail(
  known: ReadonlyArray<ContactCandidate & { contactID: string }>,
  party: PartyIdentity,
  number: string,
  ownerOf: (contactID: string) => ContactLink | undefined,
): ContactMatch | null {
  const email = normalName(party.email);
  if (email === '') return null;
  const holders = known.filter((c) => isActive(c) && normalName(c.emailAddress) === email && !ownerOf(c.contactID)
    && ((c.contactNumber ?? '').trim() === '' || (c.contactNumber ?? '').trim().toLowerCase() === number));
  if (holders.length === 0) return null;
  if (holders.length === 1) return { action: 'use', contactID: holders[0]!.contactID, via: 'email' };
  const named = holders.map((c) => `"${c.name ?? c.contactID}" (${c.contactID})`).join(', ');
  return {
    action: 'blocked',
    reason: 'email_ambiguous',
    contactID: holders[0]!.contactID,
    error: {
      code: 'contact_email_ambiguous',
      message:
        `${describe(party.entity)} ("${party.name}", ${party.email}) matches ${holders.length} Xero contacts by email: ${named} — ` +
        'set UF_CRM_XERO_ID on the Bitrix record to the right one, or archive the duplicate in Xero',
      class: 'needs_person',
    },
  };
}

/**
 * The candidates of a bulk-read contact book (backfill) that can matter for these parties: same id, number, name or
 * email, and every contact merged into from one of them. Keeps the matching order cheap over thousands of contacts.
 */
export function candidatesFor<C extends ContactCandidate>(known: readonly C[], parties: readonly PartyIdentity[]): C[] {
  const ids = new Set<string>();
  const keys = new Set<string>();
  for (const p of parties) {
    if (p.xeroId) ids.add(p.xeroId.toLowerCase());
    keys.add(`n:${p.contactNumber.trim().toLowerCase()}`);
    keys.add(`m:${normalName(p.name)}`);
    if (normalName(p.email) !== '') keys.add(`e:${normalName(p.email)}`);
  }
  const byId = new Map(known.flatMap((c) => (c.contactID ? [[c.contactID.toLowerCase(), c] as const] : [])));
  const picked = new Set<C>();
  for (const c of known) {
    const hit = (c.contactID && ids.has(c.contactID.toLowerCase()))
      || keys.has(`n:${(c.contactNumber ?? '').trim().toLowerCase()}`)
      || keys.has(`m:${normalName(c.name)}`)
      || (normalName(c.emailAddress) !== '' && keys.has(`e:${normalName(c.emailAddress)}`));
    if (!hit) continue;
    let next: C | undefined = c;
    for (let hops = 0; next && hops < 6; hops++) {
      picked.add(next);
      next = next.mergedToContactID ? byId.get(next.mergedToContactID.toLowerCase()) : undefined;
    }
  }
  return [...picked];
}
