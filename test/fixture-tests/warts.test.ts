import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { createTestDb, type TestDb } from '../helpers/test-db.ts';
import { connect } from '../../daemon/src/db/connect.ts';
import { createBitrixSchema, CRM_VERSIONS, type FixtureInfo } from '../fixture/bitrix-schema.ts';
import { withBitrixSession } from '../fixture/bitrix-session.ts';
import { insertWarts, WARTS, type InsertedWart, type WartKey } from '../fixture/warts.ts';

async function storedRow(db: Kysely<any>, w: InsertedWart): Promise<Record<string, unknown>> {
  let q = db.selectFrom(w.table).selectAll().where(w.idColumn, '=', w.id);
  if (w.table === 'b_option') q = q.where('MODULE_ID', '=', 'b24xero.sync');
  const rows = await q.execute();
  expect(rows, `${w.key} row`).toHaveLength(1);
  return rows[0]!;
}

for (const crm of CRM_VERSIONS) {
  describe(`wart catalogue on crm ${crm}`, () => {
    let t: TestDb;
    let info: FixtureInfo;
    let warts: Record<WartKey, InsertedWart>;

    beforeAll(async () => {
      t = await createTestDb(`fx_warts${crm}`);
      info = await createBitrixSchema(t.db, { crm });
      warts = await insertWarts(t.db, info);
    });
    afterAll(async () => {
      await t?.drop();
    });

    it('inserts every catalogued wart, each documented, under its own key', () => {
      expect(Object.keys(warts).sort()).toEqual(WARTS.map((w) => w.key).sort());
      for (const w of Object.values(warts)) expect(w.wart.length, w.key).toBeGreaterThan(10);
    });

    for (const def of WARTS) {
      it(`stores ${def.key} as documented: ${def.wart}`, async () => {
        const w = warts[def.key];
        const row = await storedRow(t.db, w);
        const picked = Object.fromEntries(Object.keys(w.stored).map((k) => [k, row[k]]));
        expect(picked).toEqual(w.stored);
      });
    }

    it('leaves the orphan product row and the dangling payer really pointing at nothing', async () => {
      const owner = await t.db.selectFrom('b_crm_dynamic_items_31').select('ID').where('ID', '=', 987_003).execute();
      expect(owner).toEqual([]);
      const company = await t.db.selectFrom('b_crm_company').select('ID').where('ID', '=', 987_001).execute();
      const contact = await t.db.selectFrom('b_crm_contact').select('ID').where('ID', '=', 987_002).execute();
      expect([company, contact]).toEqual([[], []]);
    });

    it('has no b_uts_crm_invoice row for li_no_uts_row, and two primaries for si_two_primary_contacts', async () => {
      expect(await t.db.selectFrom('b_uts_crm_invoice').selectAll().where('VALUE_ID', '=', warts.li_no_uts_row.id).execute()).toEqual([]);
      const primaries = await t.db.selectFrom('b_crm_entity_contact').select('CONTACT_ID')
        .where('ENTITY_TYPE_ID', '=', 31).where('ENTITY_ID', '=', warts.si_two_primary_contacts.id).where('IS_PRIMARY', '=', 'Y').execute();
      expect(primaries).toHaveLength(2);
    });

    it('keeps a manual OPPORTUNITY that disagrees with its rows', async () => {
      const { rows } = await sql<{ total: string }>`
        SELECT ROUND(SUM(PRICE * QUANTITY), 2) AS total FROM b_crm_product_row
        WHERE OWNER_TYPE = 'SI' AND OWNER_ID = ${warts.si_manual_opportunity.id}`.execute(t.db);
      expect(Number(rows[0]!.total)).toBe(230);
    });
  });
}

describe('Bitrix session', () => {
  let t: TestDb;
  let single: Kysely<any>;

  beforeAll(async () => {
    t = await createTestDb('fx_session');
    // One connection, so the check below sees the same session the helper changed.
    single = connect<any>(t.url, { connectionLimit: 1 });
    await sql`CREATE TABLE strictness (d date NOT NULL, n int NOT NULL)`.execute(single);
  });
  afterAll(async () => {
    await single?.destroy();
    await t?.drop();
  });

  it("accepts zero dates and omitted NOT NULL columns inside, and restores the caller's sql_mode afterwards", async () => {
    const before = (await sql<{ m: string }>`SELECT @@SESSION.sql_mode AS m`.execute(single)).rows[0]!.m;
    await withBitrixSession(single, async (conn) => {
      expect((await sql<{ m: string }>`SELECT @@SESSION.sql_mode AS m`.execute(conn)).rows[0]!.m).toBe('');
      await sql`INSERT INTO strictness (d) VALUES ('0000-00-00')`.execute(conn);
    });
    const after = (await sql<{ m: string }>`SELECT @@SESSION.sql_mode AS m`.execute(single)).rows[0]!.m;
    expect(after).toBe(before);
    expect((await sql<{ d: string; n: number }>`SELECT d, n FROM strictness`.execute(single)).rows).toEqual([{ d: '0000-00-00', n: 0 }]);
  });

  it('restores sql_mode even when the work inside fails', async () => {
    const before = (await sql<{ m: string }>`SELECT @@SESSION.sql_mode AS m`.execute(single)).rows[0]!.m;
    await expect(withBitrixSession(single, async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect((await sql<{ m: string }>`SELECT @@SESSION.sql_mode AS m`.execute(single)).rows[0]!.m).toBe(before);
  });
});
