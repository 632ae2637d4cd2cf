import type { Kysely } from 'kysely';
import {
  attachContacts, buildCompany, buildContact, buildLegacyInvoice, buildSmartInvoice, withBitrixSession, type FixtureInfo,
} from '../fixture/index.ts';

/** Xero ids of the contract's examples (sql/inbox/*.schema.json), so the tests can apply the examples as they are. */
export const EXAMPLE_IDS = {
  invoice: '3f1c2a9e-5b7d-4e21-9a0b-8c6d4e2f1a37',
  contact: '9a0b8c6d-4e2f-4a37-8c1d-2e3f4a5b6c7d',
  company: '1d2e3f4a-5b6c-4d7e-8f90-a1b2c3d4e5f6',
} as const;

const WHEN = '2026-11-20 10:00:00';

/**
 * The records the module's applier tests (bitrix-module/tests/integration/ApplierTest.php) work on: several smart and
 * legacy invoices each test can have to itself, a contact and a company already bound to the Xero contacts of the
 * contract's examples, and a company whose people are already contacts.
 */
export async function buildApplierScenario(db: Kysely<any>, info: FixtureInfo): Promise<Record<string, number>> {
  return withBitrixSession(db, async (conn) => {
    const ids: Record<string, number> = {};
    const payer = await buildContact(conn, { name: 'Aroha', lastName: 'Ngata', emails: ['aroha@example.co.nz'], xeroId: EXAMPLE_IDS.contact, dateModify: WHEN });
    ids.boundContact = payer.contactId;
    ids.plainContact = (await buildContact(conn, { name: 'Hemi', lastName: 'Walker', emails: ['hemi@example.co.nz'], phones: ['+64 9 555 0111'], dateModify: WHEN })).contactId;
    const mere = await buildContact(conn, { name: 'Mere', lastName: 'Parata', emails: ['Accounts@Kauri.example'], dateModify: WHEN });
    const tom = await buildContact(conn, { name: 'Tom', lastName: 'Walsh', emails: [], dateModify: WHEN });
    const kauri = await buildCompany(conn, { title: 'Kauri Timber Ltd', emails: ['accounts@kauri.example'], xeroId: EXAMPLE_IDS.company, dateModify: WHEN });
    await attachContacts(conn, kauri.companyId, [{ contactId: tom.contactId, primary: true }, mere.contactId]);
    Object.assign(ids, { boundCompany: kauri.companyId, mere: mere.contactId, tom: tom.contactId });
    ids.plainCompany = (await buildCompany(conn, { title: 'Harbour Cafe', dateModify: WHEN })).companyId;

    const rows = [
      { name: 'Consulting, hour', price: 115, quantity: 3, taxRate: 15, taxIncluded: true, discount: { type: 'percent' as const, rate: 10 } },
      { name: 'Travel', price: 40, quantity: 1, taxRate: 0, taxIncluded: false },
    ];
    for (let i = 1; i <= 8; i++) {
      const si = await buildSmartInvoice(conn, info, { title: `Smart ${i}`, stage: 'N', contactIds: [payer.contactId], sync: 1, rows, updatedTime: WHEN });
      ids[`smart${i}`] = si.id;
    }
    for (let i = 1; i <= 6; i++) {
      const li = await buildLegacyInvoice(conn, {
        topic: `Legacy ${i}`, statusId: 'N', contactId: payer.contactId, sync: 1, dateUpdate: WHEN,
        lines: [{ name: 'Consulting, hour', price: 115, quantity: 2, vatRate: 15 }],
      });
      ids[`legacy${i}`] = li.id;
    }
    return ids;
  });
}
