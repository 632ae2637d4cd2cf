import { sql } from 'kysely';
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import {
  countPendingInbox, enqueueInbox, listPendingInbox, markInboxApplied, markInboxFailed, mergePayload,
} from '../../daemon/src/state/inbox.ts';
import type { StateDb } from '../../daemon/src/state/tables.ts';
import type { TestDb } from '../helpers/test-db.ts';
import { createMigratedDb } from './migrated-db.ts';

describe('mergePayload', () => {
  it('lets later values win, merges nested objects, replaces arrays and keeps explicit nulls', () => {
    expect(mergePayload(
      { fields: { UF_CRM_XERO_STATUS: 'DRAFT', UF_CRM_XERO_URL: 'u1' }, tags: [1, 2] },
      { fields: { UF_CRM_XERO_STATUS: 'PAID', UF_CRM_XERO_AMOUNT_DUE: null }, tags: [3] },
    )).toEqual({ fields: { UF_CRM_XERO_STATUS: 'PAID', UF_CRM_XERO_URL: 'u1', UF_CRM_XERO_AMOUNT_DUE: null }, tags: [3] });
  });
});

describe('inbox repository', () => {
  let t: TestDb;
  let db: StateDb;
  beforeAll(async () => { const m = await createMigratedDb('inbox'); t = m; db = m.state; });
  afterAll(async () => { await t?.drop(); });

  it('keeps one pending set_fields per entity, carrying the fields of both wishes', async () => {
    const first = await enqueueInbox(db, { entityType: 'smart_invoice', entityId: 1, action: 'set_fields', payload: { fields: { UF_CRM_XERO_STATUS: 'DRAFT', UF_CRM_XERO_URL: 'https://x/1' } } });
    const second = await enqueueInbox(db, { entityType: 'smart_invoice', entityId: 1, action: 'set_fields', payload: { fields: { UF_CRM_XERO_STATUS: 'AUTHORISED' } } });
    expect(second.supersededId).toBe(first.id);
    const pending = (await listPendingInbox(db)).filter((r) => r.ENTITY_ID === 1);
    expect(pending).toHaveLength(1);
    expect(pending[0]!.ID).toBe(second.id);
    expect(JSON.parse(pending[0]!.PAYLOAD)).toEqual({ fields: { UF_CRM_XERO_STATUS: 'AUTHORISED', UF_CRM_XERO_URL: 'https://x/1' } });
    expect(pending[0]!.DEDUPE_KEY).toBe('set_fields:smart_invoice:1');
  });

  it('does not merge across entities, entity types or actions', async () => {
    await enqueueInbox(db, { entityType: 'smart_invoice', entityId: 2, action: 'set_fields', payload: { fields: { A: 1 } } });
    await enqueueInbox(db, { entityType: 'legacy_invoice', entityId: 2, action: 'set_fields', payload: { fields: { A: 2 } } });
    await enqueueInbox(db, { entityType: 'smart_invoice', entityId: 2, action: 'set_stage', payload: { stageId: 'DT31_2:P' } });
    const pending = (await listPendingInbox(db)).filter((r) => r.ENTITY_ID === 2);
    expect(pending.map((r) => `${r.ENTITY_TYPE}/${r.ACTION}`)).toEqual([
      'smart_invoice/set_fields', 'legacy_invoice/set_fields', 'smart_invoice/set_stage',
    ]);
  });

  it('replaces rather than merges a pending set_stage', async () => {
    await enqueueInbox(db, { entityType: 'smart_invoice', entityId: 2, action: 'set_stage', payload: { stageId: 'DT31_2:S', note: 'paid' } });
    const stage = (await listPendingInbox(db)).filter((r) => r.ACTION === 'set_stage');
    expect(stage.map((r) => JSON.parse(r.PAYLOAD))).toEqual([{ stageId: 'DT31_2:S', note: 'paid' }]);
  });

  it('never deduplicates imports unless given a key', async () => {
    await enqueueInbox(db, { entityType: 'contact', entityId: null, action: 'import_contact', payload: { name: 'A' } });
    await enqueueInbox(db, { entityType: 'contact', entityId: null, action: 'import_contact', payload: { name: 'A' } });
    await enqueueInbox(db, { entityType: 'company', entityId: null, action: 'import_company', payload: { v: 1 }, dedupeKey: 'import:xero-c1' });
    await enqueueInbox(db, { entityType: 'company', entityId: null, action: 'import_company', payload: { v: 2 }, dedupeKey: 'import:xero-c1' });
    const pending = await listPendingInbox(db);
    expect(pending.filter((r) => r.ACTION === 'import_contact')).toHaveLength(2);
    expect(pending.filter((r) => r.ACTION === 'import_company').map((r) => JSON.parse(r.PAYLOAD))).toEqual([{ v: 2 }]);
  });

  it('ends with exactly one pending row holding every field when many wishes for one entity arrive at once', async () => {
    const fields = ['F1', 'F2', 'F3', 'F4', 'F5', 'F6'];
    await Promise.all(fields.map((f) =>
      enqueueInbox(db, { entityType: 'smart_invoice', entityId: 3, action: 'set_fields', payload: { fields: { [f]: f } } })));
    const pending = (await listPendingInbox(db)).filter((r) => r.ENTITY_ID === 3);
    expect(pending).toHaveLength(1);
    expect(Object.keys(JSON.parse(pending[0]!.PAYLOAD).fields).sort()).toEqual(fields);
  });

  it('queues a fresh row after the pending one is applied, and marks only pending rows', async () => {
    const [row] = (await listPendingInbox(db)).filter((r) => r.ENTITY_ID === 1);
    expect(await markInboxApplied(db, row!.ID)).toBe(true);
    expect(await markInboxApplied(db, row!.ID)).toBe(false);
    const next = await enqueueInbox(db, { entityType: 'smart_invoice', entityId: 1, action: 'set_fields', payload: { fields: { UF_CRM_XERO_STATUS: 'PAID' } } });
    expect(next.supersededId).toBeNull();
    const pending = (await listPendingInbox(db)).filter((r) => r.ENTITY_ID === 1);
    expect(pending.map((r) => JSON.parse(r.PAYLOAD))).toEqual([{ fields: { UF_CRM_XERO_STATUS: 'PAID' } }]);
  });

  it('keeps a failed attempt pending when it may be retried, and settles it as failed otherwise', async () => {
    const [row] = (await listPendingInbox(db)).filter((r) => r.ENTITY_ID === 1);
    expect(await markInboxFailed(db, row!.ID, 'item locked', { retry: true })).toBe(true);
    let again = (await listPendingInbox(db)).find((r) => r.ID === row!.ID)!;
    expect(again).toMatchObject({ STATE: 'pending', ATTEMPTS: 1, ERROR: 'item locked' });
    expect(await markInboxFailed(db, row!.ID, 'item deleted')).toBe(true);
    expect((await listPendingInbox(db)).find((r) => r.ID === row!.ID)).toBeUndefined();
    const before = await countPendingInbox(db);
    await enqueueInbox(db, { entityType: 'smart_invoice', entityId: 1, action: 'set_fields', payload: { fields: { X: 1 } } });
    expect(await countPendingInbox(db)).toBe(before + 1);
  });

  it('is not blocked by a row an applier settled without releasing its dedupe key', async () => {
    const first = await enqueueInbox(db, { entityType: 'company', entityId: 50, action: 'set_fields', payload: { fields: { A: 1 } } });
    await sql`UPDATE b_b24xero_inbox SET STATE = 'applied' WHERE ID = ${first.id}`.execute(db);
    const next = await enqueueInbox(db, { entityType: 'company', entityId: 50, action: 'set_fields', payload: { fields: { B: 2 } } });
    expect(next.supersededId).toBeNull();
    const pending = (await listPendingInbox(db)).filter((r) => r.ENTITY_ID === 50);
    expect(pending.map((r) => JSON.parse(r.PAYLOAD))).toEqual([{ fields: { B: 2 } }]);
  });

  it('lists pending rows in id order, after a given id', async () => {
    const all = await listPendingInbox(db, { limit: 1000 });
    expect(all.map((r) => r.ID)).toEqual([...all.map((r) => r.ID)].sort((a, b) => a - b));
    const rest = await listPendingInbox(db, { afterId: all[1]!.ID });
    expect(rest[0]!.ID).toBe(all[2]!.ID);
  });
});
