import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kysely, MysqlDialect } from 'kysely';
import { createTestDb, type TestDb } from '../helpers/test-db.ts';
import { createPoolFromUrl } from '../../daemon/src/db/connect.ts';
import { createBitrixSchema } from '../fixture/bitrix-schema.ts';
import { buildPortal } from '../fixture/builders/portal.ts';
import { insertWarts } from '../fixture/warts.ts';
import { loadBulkInvoices } from '../fixture/bulk.ts';

/** MariaDB-only (or MySQL-only) syntax the fixture must not use: it has to load on MySQL 8.0 and MariaDB 10.6+. */
const NON_PORTABLE: ReadonlyArray<[string, RegExp]> = [
  ['MariaDB sequence tables', /\bseq_\d+_to_\d+/i],
  ['CREATE INDEX IF NOT EXISTS', /CREATE\s+INDEX\s+IF\s+NOT\s+EXISTS/i],
  ['ADD COLUMN IF NOT EXISTS', /ADD\s+(COLUMN\s+)?IF\s+NOT\s+EXISTS/i],
  ['RETURNING', /\bRETURNING\b/i],
  ['CREATE OR REPLACE TABLE', /CREATE\s+OR\s+REPLACE\s+TABLE/i],
  ['explicit ENGINE/CHARSET (Bitrix DDL has none)', /\bENGINE\s*=|DEFAULT\s+CHARSET/i],
  ['MariaDB JSON/UUID helpers', /\b(JSON_DETAILED|UUID_SHORT|INET6)\b/i],
];

describe('fixture SQL portability', () => {
  let t: TestDb;
  const statements: string[] = [];

  beforeAll(async () => {
    t = await createTestDb('fx_portable');
    const logged = new Kysely<any>({
      dialect: new MysqlDialect({ pool: createPoolFromUrl(t.url, { connectionLimit: 2 }) }),
      log: (event) => { statements.push(event.query.sql); },
    });
    try {
      const info = await createBitrixSchema(logged, { crm: '23', scanIndexes: true });
      await buildPortal(logged, info, { seed: 3, smartInvoices: 4, legacyInvoices: 2 });
      await insertWarts(logged, info);
      await loadBulkInvoices(logged, info, { count: 100 });
    } finally {
      await logged.destroy();
    }
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('runs every statement it issues without MariaDB-only syntax', () => {
    expect(statements.length).toBeGreaterThan(100);
    for (const [what, pattern] of NON_PORTABLE) {
      expect(statements.filter((s) => pattern.test(s)), what).toEqual([]);
    }
  });

  it('creates its numbers from cross-joined digit rows, not a recursive CTE with a depth limit', () => {
    const bulk = statements.filter((s) => s.includes('INSERT INTO b_crm_dynamic_items_31 (ID,'));
    expect(bulk.length).toBeGreaterThan(0);
    for (const s of bulk) {
      expect(s).toMatch(/CROSS JOIN/);
      expect(s).not.toMatch(/WITH\s+RECURSIVE/i);
    }
  });
});
