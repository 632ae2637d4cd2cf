import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../helpers/test-db.ts';
import { createBitrixSchema } from '../fixture/bitrix-schema.ts';

const hasPhp = spawnSync('php', ['-v']).status === 0;

/** What PHP's own unserialize() makes of a SETTINGS value (as JSON), the way the module will read it. */
function phpUnserialize(serialized: string): unknown {
  const out = execFileSync('php', ['-r', '$v = unserialize(stream_get_contents(STDIN)); echo json_encode($v === false ? "UNSERIALIZE_FAILED" : $v, JSON_PRESERVE_ZERO_FRACTION);'], { input: serialized });
  return JSON.parse(out.toString('utf8'));
}

// .ci/run installs PHP CLI; on a dev box without it these checks cannot run.
describe.skipIf(!hasPhp)('user-field SETTINGS read back by PHP', () => {
  let t: TestDb;
  let rows: Array<{ ENTITY_ID: string; FIELD_NAME: string; USER_TYPE_ID: string; SETTINGS: string }>;

  beforeAll(async () => {
    t = await createTestDb('fx_ufphp');
    await createBitrixSchema(t.db);
    rows = await t.db.selectFrom('b_user_field').select(['ENTITY_ID', 'FIELD_NAME', 'USER_TYPE_ID', 'SETTINGS']).orderBy('ID').execute();
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('unserializes every SETTINGS value to an array', () => {
    expect(rows.length).toBeGreaterThanOrEqual(16);
    for (const r of rows) {
      const v = phpUnserialize(r.SETTINGS);
      expect(typeof v === 'object' && v !== null, `${r.ENTITY_ID}.${r.FIELD_NAME}`).toBe(true);
    }
  });

  it('gives the sync checkbox DEFAULT_VALUE 1 on smart and legacy invoices, and double settings real floats', () => {
    for (const entity of ['CRM_SMART_INVOICE', 'CRM_INVOICE']) {
      const sync = rows.find((r) => r.ENTITY_ID === entity && r.FIELD_NAME === 'UF_CRM_XERO_SYNC')!;
      expect(phpUnserialize(sync.SETTINGS)).toEqual({ DEFAULT_VALUE: 1, DISPLAY: 'CHECKBOX', LABEL: ['', ''], LABEL_CHECKBOX: '' });
      const due = rows.find((r) => r.ENTITY_ID === entity && r.FIELD_NAME === 'UF_CRM_XERO_AMOUNT_DUE')!;
      expect(phpUnserialize(due.SETTINGS)).toMatchObject({ PRECISION: 2, MIN_VALUE: 0 });
    }
  });
});
