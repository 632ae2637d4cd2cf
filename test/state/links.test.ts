import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  countLinks, getLinkByEntity, getLinkByXeroId, listCreatingLinks, markLinkConflict, markLinkSynced, recordCreateIntent,
} from '../../daemon/src/state/links.ts';
import type { StateDb } from '../../daemon/src/state/tables.ts';
import type { TestDb } from '../helpers/test-db.ts';
import { createMigratedDb } from './migrated-db.ts';

const XERO_ID = '5B2E4C1A-0D3F-4E6A-9B1C-2D3E4F5A6B7C';

describe('links repository', () => {
  let t: TestDb;
  let db: StateDb;
  beforeAll(async () => { const m = await createMigratedDb('links'); t = m; db = m.state; });
  afterAll(async () => { await t?.drop(); });

  it('records a create intent in state creating before anything reaches Xero', async () => {
    const { link, created } = await recordCreateIntent(db, { entityType: 'smart_invoice', entityId: 7, idempotencyKey: 'inv-7-a' });
    expect(created).toBe(true);
    expect(link).toMatchObject({ ENTITY_TYPE: 'smart_invoice', ENTITY_ID: 7, XERO_TYPE: 'invoice', STATE: 'creating', XERO_ID: null, IDEMPOTENCY_KEY: 'inv-7-a' });
    expect((await listCreatingLinks(db)).map((l) => l.ENTITY_ID)).toContain(7);
  });

  it('keeps the first idempotency key when the intent is recorded again after a crash', async () => {
    const again = await recordCreateIntent(db, { entityType: 'smart_invoice', entityId: 7, idempotencyKey: 'inv-7-b' });
    expect(again.created).toBe(false);
    expect(again.link.IDEMPOTENCY_KEY).toBe('inv-7-a');
  });

  it('lets exactly one of several concurrent intents for the same entity create the link', async () => {
    const results = await Promise.all(
      ['k1', 'k2', 'k3', 'k4'].map((key) => recordCreateIntent(db, { entityType: 'contact', entityId: 99, idempotencyKey: key })),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.link.IDEMPOTENCY_KEY)).size).toBe(1);
  });

  it('marks a link synced with the Xero id, hash, status and UpdatedDateUTC, findable by Xero id in any case', async () => {
    const ok = await markLinkSynced(db, { entityType: 'smart_invoice', entityId: 7 }, {
      xeroId: XERO_ID, contentHash: 'a'.repeat(64), xeroStatus: 'DRAFT', xeroNumber: 'INV-0007', xeroUpdatedUtc: '2026-11-21 10:00:00.123',
    });
    expect(ok).toBe(true);
    const link = await getLinkByXeroId(db, 'invoice', XERO_ID.toLowerCase());
    expect(link).toMatchObject({
      ENTITY_ID: 7, STATE: 'synced', XERO_ID: XERO_ID.toLowerCase(), CONTENT_HASH: 'a'.repeat(64), XERO_STATUS: 'DRAFT',
      XERO_NUMBER: 'INV-0007', XERO_UPDATED_UTC: '2026-11-21 10:00:00.123',
    });
    expect((await getLinkByXeroId(db, 'invoice', XERO_ID))?.ENTITY_ID).toBe(7);
  });

  it('keeps the pushed hash when marking a conflict, and records what Xero holds', async () => {
    await markLinkConflict(db, { entityType: 'smart_invoice', entityId: 7 }, { xeroStatus: 'AUTHORISED' });
    const link = await getLinkByEntity(db, { entityType: 'smart_invoice', entityId: 7 });
    expect(link).toMatchObject({ STATE: 'conflict', XERO_STATUS: 'AUTHORISED', CONTENT_HASH: 'a'.repeat(64) });
  });

  it('reports false when there is no link to mark', async () => {
    expect(await markLinkSynced(db, { entityType: 'company', entityId: 12345 }, { xeroId: XERO_ID, contentHash: null })).toBe(false);
  });

  it('keeps a company and a person apart even though both are Xero contacts', async () => {
    await recordCreateIntent(db, { entityType: 'company', entityId: 99, idempotencyKey: 'co-99' });
    const person = await getLinkByEntity(db, { entityType: 'contact', entityId: 99 });
    const company = await getLinkByEntity(db, { entityType: 'company', entityId: 99 });
    expect(person?.XERO_TYPE).toBe('contact');
    expect(company?.XERO_TYPE).toBe('contact');
    expect(person?.ID).not.toBe(company?.ID);
  });

  it('counts links per entity type and state', async () => {
    const counts = await countLinks(db);
    expect(counts.smart_invoice).toEqual({ conflict: 1 });
    expect(counts.contact).toEqual({ creating: 1 });
    expect(counts.company).toEqual({ creating: 1 });
    expect(counts.product).toEqual({});
  });
});
