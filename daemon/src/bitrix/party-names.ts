import type { Kysely } from 'kysely';
import { foldName as norm } from '../util/fold-name.ts';

/** A Bitrix contact or company found by name for the import's same-name check. */
export interface NamedParty {
  entityType: 'contact' | 'company';
  id: number;
  /** 'First Last' of a contact, TITLE of a company, as stored. */
  name: string;
  /** UF_CRM_XERO_ID, null when unset. */
  xeroId: string | null;
}


/**
 * Bitrix contacts named like these people (first + last, case- and space-insensitive) and companies titled like
 * these titles. Read in one query per kind; the index-free match on LAST_NAME / TITLE narrows, the exact rule is
 * applied here.
 */
export async function findPartiesByName(
  db: Kysely<any>, wanted: { people: ReadonlyArray<{ firstName: string; lastName: string }>; titles: readonly string[] },
): Promise<NamedParty[]> {
  const out: NamedParty[] = [];
  if (wanted.people.length > 0) {
    const keys = new Set(wanted.people.map((p) => norm(`${p.firstName} ${p.lastName}`)));
    const lastNames = [...new Set(wanted.people.map((p) => p.lastName.trim()))];
    const rows = await db.selectFrom('b_crm_contact as c').leftJoin('b_uts_crm_contact as u', 'u.VALUE_ID', 'c.ID')
      .select(['c.ID', 'c.NAME', 'c.LAST_NAME', 'u.UF_CRM_XERO_ID']).where('c.LAST_NAME', 'in', lastNames).execute();
    for (const r of rows) {
      const name = `${r.NAME ?? ''} ${r.LAST_NAME ?? ''}`.trim();
      if (keys.has(norm(name))) out.push({ entityType: 'contact', id: Number(r.ID), name, xeroId: (r.UF_CRM_XERO_ID as string | null)?.trim() || null });
    }
  }
  if (wanted.titles.length > 0) {
    const keys = new Set(wanted.titles.map(norm));
    const rows = await db.selectFrom('b_crm_company as c').leftJoin('b_uts_crm_company as u', 'u.VALUE_ID', 'c.ID')
      .select(['c.ID', 'c.TITLE', 'u.UF_CRM_XERO_ID']).where('c.TITLE', 'in', [...new Set(wanted.titles.map((t) => t.trim()))]).execute();
    for (const r of rows) {
      const name = String(r.TITLE ?? '').trim();
      if (keys.has(norm(name))) out.push({ entityType: 'company', id: Number(r.ID), name, xeroId: (r.UF_CRM_XERO_ID as string | null)?.trim() || null });
    }
  }
  return out;
}

