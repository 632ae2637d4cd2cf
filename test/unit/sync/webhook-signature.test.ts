import { describe, expect, it } from 'vitest';
import { jobSchedules, pullSchedule, webhooksEnabled } from '../../../daemon/src/runtime/jobs.ts';
import { dedupeKey, parseWebhookPayload } from '../../../daemon/src/sync/pull/webhook-payload.ts';
import { verifyWebhookSignature, webhookSignature } from '../../../daemon/src/sync/pull/webhook-signature.ts';
import { signWebhookBody } from '../../sim/platform/webhooks/webhook-signature.ts';

const KEY = 'Jefe';
const BODY = Buffer.from('what do ya want for nothing?');
/** RFC 4231 test case 2 (HMAC-SHA256 5bdcc146…3843), in base64 as Xero sends it; also `openssl dgst -sha256 -hmac Jefe -binary | base64`. */
const RFC_SIGNATURE = 'W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=';

describe('x-xero-signature', () => {
  it('is the base64 HMAC-SHA256 of the raw body with the webhook key (RFC 4231 vector)', () => {
    expect(webhookSignature(BODY, KEY)).toBe(RFC_SIGNATURE);
    expect(verifyWebhookSignature(BODY, RFC_SIGNATURE, KEY)).toBe(true);
  });

  it('agrees with the simulator\'s signer on a real payload', () => {
    const body = Buffer.from(JSON.stringify({ events: [], firstEventSequence: 0, lastEventSequence: 0, entropy: 'ABCDEFGHIJKLMNOPQRST' }));
    expect(verifyWebhookSignature(body, signWebhookBody(body, 'k3y'), 'k3y')).toBe(true);
  });

  it('refuses a missing, empty, wrong-key, wrong-body, truncated or over-long signature without throwing', () => {
    expect(verifyWebhookSignature(BODY, null, KEY)).toBe(false);
    expect(verifyWebhookSignature(BODY, '', KEY)).toBe(false);
    expect(verifyWebhookSignature(BODY, webhookSignature(BODY, 'Jeff'), KEY)).toBe(false);
    expect(verifyWebhookSignature(Buffer.from('what do ya want for nothing!'), RFC_SIGNATURE, KEY)).toBe(false);
    expect(verifyWebhookSignature(BODY, RFC_SIGNATURE.slice(0, -1), KEY)).toBe(false);
    expect(verifyWebhookSignature(BODY, `${RFC_SIGNATURE}AAAA`, KEY)).toBe(false);
    expect(verifyWebhookSignature(BODY, 'é'.repeat(22), KEY)).toBe(false); // 44 characters, 44 bytes of something else
  });

  it('is computed over the bytes, not a re-serialisation of the JSON', () => {
    const spaced = Buffer.from('{ "events": [] }');
    const compact = Buffer.from('{"events":[]}');
    expect(verifyWebhookSignature(compact, webhookSignature(spaced, KEY), KEY)).toBe(false);
  });
});

const TENANT = '7a2f9b1c-0d3e-4f5a-8b6c-1d2e3f4a5b6c';
const INVOICE = '0f6b3a3e-9c1d-4b2a-8e7f-6a5b4c3d2e1f';

function event(overrides: Record<string, unknown> = {}) {
  return {
    resourceUrl: `https://api.xero.com/api.xro/2.0/Invoices/${INVOICE}`, resourceId: INVOICE, eventDateUtc: '2026-12-04T10:15:30.123',
    eventType: 'UPDATE', eventCategory: 'INVOICE', tenantId: TENANT, tenantType: 'ORGANISATION', ...overrides,
  };
}
const body = (payload: unknown) => Buffer.from(JSON.stringify(payload));

describe('webhook payload', () => {
  it('reads Xero\'s zone-less eventDateUtc as UTC and lower-cases the ids', () => {
    const parsed = parseWebhookPayload(body({ events: [event({ resourceId: INVOICE.toUpperCase() })] }));
    expect(parsed.ok && parsed.events[0]).toMatchObject({
      tenantId: TENANT, category: 'INVOICE', type: 'UPDATE', resourceId: INVOICE, eventDate: new Date('2026-12-04T10:15:30.123Z'),
    });
  });

  it('gives one event one dedupe key, and a later change of the same invoice another', () => {
    const parse = (e: unknown) => { const p = parseWebhookPayload(body({ events: [e] })); return p.ok ? p.events[0]!.dedupeKey : ''; };
    expect(parse(event())).toBe(parse(event({ resourceId: INVOICE.toUpperCase() })));
    expect(parse(event())).not.toBe(parse(event({ eventDateUtc: '2026-12-04T10:15:31.000' })));
    expect(parse(event())).not.toBe(parse(event({ eventType: 'CREATE' })));
    expect(parse(event())).toMatch(/^[0-9a-f]{64}$/);
    expect(dedupeKey({ tenantId: TENANT, category: 'CONTACT', type: 'CREATE', resourceId: INVOICE, eventDate: new Date(0) })).not.toBe(parse(event()));
  });

  it('refuses what is not JSON or has no events array, with a reason', () => {
    const notJson = parseWebhookPayload(Buffer.from('{"events": [}'));
    expect(notJson).toMatchObject({ ok: false, message: expect.stringContaining('not JSON') });
    expect(parseWebhookPayload(body({ firstEventSequence: 1 }))).toMatchObject({ ok: false, message: expect.stringContaining('"events"') });
    expect(parseWebhookPayload(body(null))).toMatchObject({ ok: false });
  });

  it('keeps the usable events of a payload, names the unusable ones, and counts categories it does not pull', () => {
    const parsed = parseWebhookPayload(body({ events: [
      event(), event({ resourceId: 'not-a-guid' }), event({ eventDateUtc: 'yesterday' }),
      event({ eventCategory: 'CREDITNOTE' }), event({ eventCategory: 'CONTACT', resourceId: INVOICE.replace('0f', 'a1') }),
    ] }));
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.events.map((e) => e.category)).toEqual(['INVOICE', 'CONTACT']);
    expect(parsed.skipped.map((s) => s.reason)).toEqual(['resourceId is not a Xero id', 'eventDateUtc is not a date']);
    expect(parsed.otherCategories).toEqual({ CREDITNOTE: 1 });
  });
});

describe('the pull\'s schedule', () => {
  const listen = { host: '127.0.0.1', port: 9464 };
  it('polls every minute without webhooks and every 5 minutes with them (the safety poll)', () => {
    expect(pullSchedule({ xero: { webhookKey: null }, httpListen: listen })).toBe('30 * * * * *');
    expect(pullSchedule({ xero: { webhookKey: 'key' }, httpListen: listen })).toBe('30 */5 * * * *');
  });

  it('keeps polling every minute when a key is set but no listener could receive a webhook', () => {
    expect(webhooksEnabled({ xero: { webhookKey: 'key' }, httpListen: null })).toBe(false);
    expect(pullSchedule({ xero: { webhookKey: 'key' }, httpListen: null })).toBe('30 * * * * *');
  });

  it('adds the webhook processing job only while webhooks are on', () => {
    const settings = { syncSchedule: '* * * * *', scanSchedule: '*/15 * * * *' };
    expect(jobSchedules('* * * * *', settings)).toMatchObject({ pull: '30 * * * * *', webhooks: null });
    expect(jobSchedules('* * * * *', settings, { xero: { webhookKey: 'key' }, httpListen: listen })).toMatchObject({ pull: '30 */5 * * * *', webhooks: '*/2 * * * * *' });
  });
});
