import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseXeroError, startSimForTest, type SimForTest } from './harness.ts';

/** Idempotency-Key as Xero documents it: 6-minute memory, replay of the first response, 400 on reuse with another body. */
let h: SimForTest;
beforeAll(async () => {
  h = await startSimForTest();
});
afterAll(() => h.close());

async function contactsNamed(name: string): Promise<number> {
  const res = await h.xero.accountingApi.getContacts(h.tenantId, undefined, `Name=="${name}"`);
  return res.body.contacts?.length ?? 0;
}

describe('Idempotency-Key', () => {
  it('replays the first response byte for byte for the same key and body, without running the call twice', async () => {
    const key = randomUUID();
    const name = `Idem ${key}`;
    const first = await h.xero.accountingApi.createContacts(h.tenantId, { contacts: [{ name }] }, undefined, key);
    const again = await h.xero.accountingApi.createContacts(h.tenantId, { contacts: [{ name }] }, undefined, key);
    expect(JSON.stringify(again.response.data)).toBe(JSON.stringify(first.response.data));
    expect(again.body.contacts?.[0]?.contactID).toBe(first.body.contacts?.[0]?.contactID);
    expect(await contactsNamed(name)).toBe(1);
    expect(again.response.headers['x-minlimit-remaining']).toMatch(/^\d+$/);
  });

  it('answers 400 when the key is reused with a different body, and runs nothing', async () => {
    const key = randomUUID();
    await h.xero.accountingApi.createContacts(h.tenantId, { contacts: [{ name: `First ${key}` }] }, undefined, key);
    const error = parseXeroError(
      await h.xero.accountingApi.createContacts(h.tenantId, { contacts: [{ name: `Second ${key}` }] }, undefined, key).catch((e: unknown) => e),
    );
    expect(error.response.statusCode).toBe(400);
    expect(error.body).toMatchObject({ Status: 400, Title: 'Bad Request', Detail: 'Idempotency-Key has already been used with a different request.' });
    expect(error.response.headers['x-minlimit-remaining']).toMatch(/^\d+$/);
    expect(await contactsNamed(`Second ${key}`)).toBe(0);
  });

  it('accepts a key of 128 characters and refuses a longer one with 400, running nothing', async () => {
    const name = `Long key ${randomUUID()}`;
    const longest = 'k'.repeat(127) + name.slice(-1);
    expect((await h.xero.accountingApi.createContacts(h.tenantId, { contacts: [{ name }] }, undefined, longest)).response.status).toBe(200);
    const tooLong = `${longest}x`;
    const other = `${name} 2`;
    const error = parseXeroError(
      await h.xero.accountingApi.createContacts(h.tenantId, { contacts: [{ name: other }] }, undefined, tooLong).catch((e: unknown) => e),
    );
    expect(error.response.statusCode).toBe(400);
    expect(error.body).toMatchObject({ Status: 400, Detail: 'Idempotency-Key must be 128 characters or fewer.' });
    expect(await contactsNamed(other)).toBe(0);
  });

  it('treats the same key on another route as a different request', async () => {
    const key = randomUUID();
    await h.xero.accountingApi.createContacts(h.tenantId, { contacts: [{ name: `Route ${key}` }] }, undefined, key);
    const error = parseXeroError(
      await h.xero.accountingApi.updateOrCreateContacts(h.tenantId, { contacts: [{ name: `Route ${key}` }] }, undefined, key).catch((e: unknown) => e),
    );
    expect(error.response.statusCode).toBe(400);
  });

  it('forgets a key after 6 minutes, so the same request then runs again', async () => {
    const key = randomUUID();
    const name = `Expiring ${key}`;
    const first = await h.xero.accountingApi.updateOrCreateContacts(h.tenantId, { contacts: [{ name }] }, undefined, key);
    h.sim.advanceClock(5 * 60_000);
    await h.refreshToken();
    const replay = await h.xero.accountingApi.updateOrCreateContacts(h.tenantId, { contacts: [{ name }] }, undefined, key);
    expect(JSON.stringify(replay.response.data)).toBe(JSON.stringify(first.response.data));
    h.sim.advanceClock(60_000 + 1);
    await h.refreshToken();
    const rerun = await h.xero.accountingApi.updateOrCreateContacts(h.tenantId, { contacts: [{ name }] }, undefined, key);
    expect(JSON.stringify(rerun.response.data)).not.toBe(JSON.stringify(first.response.data));
    // POST is create-or-update by name, so running again updates the same contact rather than adding one.
    expect(rerun.body.contacts?.[0]?.contactID).toBe(first.body.contacts?.[0]?.contactID);
  });

  it('replays an error response too (Xero caches the first outcome, whatever it was)', async () => {
    const key = randomUUID();
    const bad = { contacts: [{ name: '' }] };
    const first = parseXeroError(await h.xero.accountingApi.createContacts(h.tenantId, bad, undefined, key).catch((e: unknown) => e));
    const second = parseXeroError(await h.xero.accountingApi.createContacts(h.tenantId, bad, undefined, key).catch((e: unknown) => e));
    expect(first.response.statusCode).toBe(400);
    expect(JSON.stringify(second.body)).toBe(JSON.stringify(first.body));
  });

  it('lets a retry with the same key recover a write whose response was lost (reset-after fault), without a duplicate', async () => {
    const key = randomUUID();
    const name = `Lost response ${key}`;
    h.sim.addFault({ kind: 'reset-after', method: 'PUT', path: '/api.xro/2.0/Contacts', times: 1 });
    const lost = parseXeroError(await h.xero.accountingApi.createContacts(h.tenantId, { contacts: [{ name }] }, undefined, key).catch((e: unknown) => e));
    expect(lost.response.statusCode).toBe(0);
    expect(await contactsNamed(name)).toBe(1);
    const retried = await h.xero.accountingApi.createContacts(h.tenantId, { contacts: [{ name }] }, undefined, key);
    expect(retried.body.contacts?.[0]?.name).toBe(name);
    expect(await contactsNamed(name)).toBe(1);
  });

  it('makes a concurrent repeat wait for the first call and answer the same, creating one contact', async () => {
    const key = randomUUID();
    const name = `Concurrent ${key}`;
    h.sim.addFault({ kind: 'latency', method: 'PUT', path: '/api.xro/2.0/Contacts', ms: 100, times: 1 });
    const [a, b] = await Promise.all([
      h.xero.accountingApi.createContacts(h.tenantId, { contacts: [{ name }] }, undefined, key),
      h.xero.accountingApi.createContacts(h.tenantId, { contacts: [{ name }] }, undefined, key),
    ]);
    expect(JSON.stringify(b.response.data)).toBe(JSON.stringify(a.response.data));
    expect(await contactsNamed(name)).toBe(1);
  });

  it('ignores Idempotency-Key on GET', async () => {
    const res = await h.xero.accountingApi.getOrganisations(h.tenantId, { headers: { 'Idempotency-Key': 'k' } } as never);
    expect(res.response.status).toBe(200);
  });
});
