import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreditNote, Invoice } from 'xero-node';
import type { WebhookPayload } from '../sim/index.ts';
import { startSimForTest, type SimForTest } from './harness.ts';

/** Webhooks as Xero sends them: signed over the exact bytes, batched, plus the intent-to-receive handshake. */
const KEY = 'webhook-key-for-tests';

interface Receiver {
  url: string;
  payloads: WebhookPayload[];
  /** Resolves once `count` events have arrived in correctly signed payloads. */
  events(count: number): Promise<WebhookPayload['events']>;
  close(): Promise<void>;
}

/** A receiver that does what the daemon's listener must: HMAC the raw body, 200 if it matches, 401 if not. */
async function startReceiver(options: { verify: boolean } = { verify: true }): Promise<Receiver> {
  const payloads: WebhookPayload[] = [];
  const waiters: { count: number; resolve: (events: WebhookPayload['events']) => void }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const expected = createHmac('sha256', KEY).update(raw).digest();
      const given = Buffer.from(String(req.headers['x-xero-signature'] ?? ''), 'base64');
      const valid = given.length === expected.length && timingSafeEqual(given, expected);
      if (options.verify && !valid) {
        res.writeHead(401).end();
        return;
      }
      payloads.push(JSON.parse(raw.toString('utf8')) as WebhookPayload);
      res.writeHead(200).end();
      const all = payloads.flatMap((p) => p.events);
      for (const w of waiters.splice(0)) {
        if (all.length >= w.count) w.resolve(all);
        else waiters.push(w);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/xero`,
    payloads,
    events: (count) =>
      new Promise((resolve) => {
        const all = payloads.flatMap((p) => p.events);
        if (all.length >= count) resolve(all);
        else waiters.push({ count, resolve });
      }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

let h: SimForTest;
let receiver: Receiver;
beforeAll(async () => {
  h = await startSimForTest({ webhookBatchMs: 20 });
  receiver = await startReceiver();
});
afterAll(async () => {
  await h.close();
  await receiver.close();
});

describe('intent to receive', () => {
  it('passes a receiver that answers 200 to good signatures and 401 to bad ones', async () => {
    const result = await h.admin('/webhooks/intent', { url: receiver.url, key: KEY });
    expect(result.passed).toBe(true);
    expect(result.checks.map((c: { signature: string; status: number }) => [c.signature, c.status])).toEqual([
      ['valid', 200],
      ['invalid', 401],
      ['invalid', 401],
      ['valid', 200],
    ]);
    expect(receiver.payloads[0]).toMatchObject({ events: [], firstEventSequence: 0, lastEventSequence: 0, entropy: expect.stringMatching(/^[A-Z]{20}$/) });
  });

  it('fails a receiver that accepts everything without checking the signature', async () => {
    const careless = await startReceiver({ verify: false });
    try {
      const result = await h.sim.intentToReceive({ url: careless.url, key: KEY });
      expect(result.passed).toBe(false);
      expect(result.checks.filter((c) => !c.ok).map((c) => c.signature)).toEqual(['invalid', 'invalid']);
    } finally {
      await careless.close();
    }
  });
});

describe('event delivery', () => {
  it('POSTs a signed Xero payload for changes made through the API, batching events that happen together', async () => {
    const configured = await h.admin('/webhooks', { tenantId: h.tenantId, url: receiver.url, key: KEY });
    expect(configured.tenantIds).toEqual([h.tenantId]);
    const before = receiver.payloads.flatMap((p) => p.events).length;
    const created = await h.xero.accountingApi.createContacts(h.tenantId, {
      contacts: [{ name: `Hook A ${Date.now()}` }, { name: `Hook B ${Date.now()}` }],
    });
    const ids = created.body.contacts!.map((c) => c.contactID);
    const events = (await receiver.events(before + 2)).slice(before);
    expect(events.map((e) => e.resourceId).sort()).toEqual([...ids].sort());
    expect(events[0]).toMatchObject({
      eventCategory: 'CONTACT',
      eventType: 'CREATE',
      tenantId: h.tenantId,
      tenantType: 'ORGANISATION',
      resourceUrl: `https://api.xero.com/api.xro/2.0/Contacts/${events[0]!.resourceId}`,
      eventDateUtc: expect.any(String),
    });
    const batch = receiver.payloads.at(-1)!;
    expect(batch.events).toHaveLength(2);
    expect(batch.lastEventSequence - batch.firstEventSequence).toBe(1);
  });

  it('numbers later batches after earlier ones and records each delivery', async () => {
    const lastSeq = receiver.payloads.at(-1)!.lastEventSequence;
    const before = receiver.payloads.flatMap((p) => p.events).length;
    await h.xero.accountingApi.createContacts(h.tenantId, { contacts: [{ name: `Hook C ${Date.now()}` }] });
    await receiver.events(before + 1);
    expect(receiver.payloads.at(-1)!.firstEventSequence).toBe(lastSeq + 1);
    const { deliveries } = await h.admin('/webhooks');
    expect(deliveries.at(-1)).toMatchObject({ ok: true, status: 200, events: 1, attempt: 1 });
  });

  it('reports a sales invoice as an INVOICE CREATE, its approval as an INVOICE UPDATE, dated like Xero (UTC, no zone letter)', async () => {
    const start = receiver.payloads.flatMap((p) => p.events).length;
    const contacts = await h.xero.accountingApi.createContacts(h.tenantId, { contacts: [{ name: `Hook invoice ${Date.now()}` }] });
    const contact = contacts.body.contacts![0]!;
    const before = (await receiver.events(start + 1)).length; // the contact's own CREATE has arrived
    const created = await h.xero.accountingApi.createInvoices(h.tenantId, { invoices: [{
      type: Invoice.TypeEnum.ACCREC, contact: { contactID: contact.contactID },
      lineItems: [{ description: 'Hooked', quantity: 1, unitAmount: 10, accountCode: '200' }],
    }] });
    const invoiceID = created.body.invoices![0]!.invoiceID!;
    await h.xero.accountingApi.updateInvoice(h.tenantId, invoiceID, { invoices: [{ status: Invoice.StatusEnum.AUTHORISED }] });
    const events = (await receiver.events(before + 2)).slice(before).filter((e) => e.resourceId === invoiceID);
    expect(events.map((e) => [e.eventCategory, e.eventType])).toEqual([['INVOICE', 'CREATE'], ['INVOICE', 'UPDATE']]);
    expect(events[0]!.resourceUrl).toBe(`https://api.xero.com/api.xro/2.0/Invoices/${invoiceID}`);
    expect(events[0]!.eventDateUtc).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/);
  });

  it('reports a credit note as a CREDITNOTE event carrying its Type and Status', async () => {
    const start = receiver.payloads.flatMap((p) => p.events).length;
    const contacts = await h.xero.accountingApi.createContacts(h.tenantId, { contacts: [{ name: `Hook credit ${Date.now()}` }] });
    const contact = contacts.body.contacts![0]!;
    const before = (await receiver.events(start + 1)).length;
    const created = await h.xero.accountingApi.createCreditNotes(h.tenantId, { creditNotes: [{
      type: CreditNote.TypeEnum.ACCRECCREDIT, contact: { contactID: contact.contactID }, status: CreditNote.StatusEnum.AUTHORISED,
      lineItems: [{ description: 'Refund', quantity: 1, unitAmount: 10, accountCode: '200' }],
    }] });
    const creditNoteID = created.body.creditNotes![0]!.creditNoteID!;
    const [event] = (await receiver.events(before + 1)).slice(before);
    expect(event).toMatchObject({
      eventCategory: 'CREDITNOTE', eventType: 'CREATE', resourceId: creditNoteID,
      resourceUrl: `https://api.xero.com/api.xro/2.0/CreditNotes/${creditNoteID}`,
      data: { Type: 'ACCRECCREDIT', Status: 'AUTHORISED' },
    });
  });

  it('covers tenants created later with an app-wide webhook (no tenantId)', async () => {
    const appWide = await startReceiver();
    try {
      expect((await h.admin('/webhooks', { url: appWide.url, key: KEY })).tenantIds).toEqual(['*']);
      const tenant = await h.admin('/tenants', { country: 'AU' });
      const created = await h.xero.accountingApi.createContacts(tenant.tenantId, { contacts: [{ name: `Hook AU ${Date.now()}` }] });
      const [event] = await appWide.events(1);
      expect(event).toMatchObject({ tenantId: tenant.tenantId, resourceId: created.body.contacts![0]!.contactID });
      expect(receiver.payloads.flatMap((p) => p.events).some((e) => e.tenantId === tenant.tenantId)).toBe(false);
    } finally {
      await h.admin('/webhooks', {}, 'DELETE');
      await appWide.close();
    }
  });

  it('retries a delivery the receiver refused, and records the refusal', async () => {
    const refusing = await startReceiver({ verify: true });
    try {
      h.sim.configureWebhook(h.tenantId, { url: refusing.url, key: 'not-the-key' });
      await h.xero.accountingApi.createContacts(h.tenantId, { contacts: [{ name: `Hook D ${Date.now()}` }] });
      await h.sim.flushWebhooks();
      const refused = h.sim.webhooks().deliveries.filter((d) => d.url === refusing.url);
      expect(refused.map((d) => [d.attempt, d.status, d.ok])).toEqual([
        [1, 401, false],
        [2, 401, false],
        [3, 401, false],
      ]);
    } finally {
      h.sim.configureWebhook(h.tenantId, { url: receiver.url, key: KEY });
      await refusing.close();
    }
  });
});
