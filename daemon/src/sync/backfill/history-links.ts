import type { DomainInvoice } from '../../domain/invoice.ts';
import type { StateDb } from '../../state/tables.ts';
import { candidatesFor, matchContact, partyIdentity, payerOf, planPartyContact, type ContactCandidate, type ContactLink } from '../plan/index.ts';
import { linksOf } from '../push/link-queries.ts';

/** Xero invoice ids already linked to some Bitrix invoice: never linked to a second one. */
export async function linkedInvoiceXeroIds(state: StateDb): Promise<Set<string>> {
  const rows = await state.selectFrom('b_b24xero_link').select('XERO_ID')
    .where('XERO_TYPE', '=', 'invoice').where('XERO_ID', 'is not', null).execute();
  return new Set(rows.map((r) => String(r.XERO_ID).toLowerCase()));
}

/**
 * The Xero contact each invoice's payer has or would match (its synced link, else the matching order over the bulk
 * contact book): what matchHistory compares a same-numbered Xero invoice's contact with. Null: not in Xero yet.
 */
export async function payerContactIds(
  state: StateDb,
  invoices: readonly DomainInvoice[],
  known: ReadonlyArray<ContactCandidate & { contactID: string }>,
): Promise<Map<number, string | null>> {
  const parties = invoices.map((invoice) => {
    const party = payerOf(invoice);
    if (!party) return { invoice, identity: null };
    const plan = planPartyContact(party);
    return { invoice, identity: partyIdentity(party, plan) };
  });
  const links = new Map<string, ContactLink>();
  for (const type of ['company', 'contact'] as const) {
    const ids = parties.flatMap((p) => (p.identity?.entity.type === type ? [p.identity.entity.id] : []));
    for (const [id, row] of await linksOf(state, type, ids)) {
      links.set(`${type}:${id}`, { entityType: type, entityId: id, xeroId: row.STATE === 'synced' ? row.XERO_ID : null });
    }
  }
  const result = new Map<number, string | null>();
  for (const { invoice, identity } of parties) {
    if (!identity) {
      result.set(invoice.id, null);
      continue;
    }
    const link = links.get(`${identity.entity.type}:${identity.entity.id}`);
    if (link?.xeroId) {
      result.set(invoice.id, link.xeroId.toLowerCase());
      continue;
    }
    const lowered = { ...identity, xeroId: identity.xeroId?.toLowerCase() ?? null };
    const match = matchContact(candidatesFor(known, [lowered]), lowered, link ? [link] : []);
    result.set(invoice.id, match.action === 'use' ? match.contactID : null);
  }
  return result;
}
