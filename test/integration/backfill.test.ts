import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildContact } from '../fixture/builders/contact.ts';
import { setModuleOption } from '../fixture/builders/module-options.ts';
import { buildSmartInvoice } from '../fixture/builders/smart-invoice.ts';
import { runBackfill, type BackfillResult } from '../../daemon/src/sync/backfill/run-backfill.ts';
import { createPushWorld, errorsOf, lastSeq, linkOf, simState, type PushWorld } from './support/push-harness.ts';
import { runCli } from './support/cli-process.ts';

/**
 * A portal with a year of history meets an organisation that already keeps some of it (issue 10 items 1–2):
 * ongoing sync leaves the history alone; `b24xero backfill` reads Xero's books in bulk, links what exists (contacts by
 * name — whatever the case — and by email, invoices by number with the same contact and total, closed ones too),
 * lists closed invoices Xero lacks, stops at a same-numbered invoice with other content, creates only the open rest
 * and nothing twice; a second backfill does nothing at all.
 */
let world: PushWorld;
const N = 60;
const contacts: number[] = [];
const invoices = new Map<number, number>(); // i → Bitrix id
const seededInvoice = new Map<number, string>(); // i → Xero InvoiceID
const seededContact = new Map<number, string>(); // contact index → Xero ContactID

const amount = (i: number) => 100 + 10 * i;
const closed = (i: number) => (i <= 20 ? i % 3 === 0 : i > 21 && i % 4 === 0);
const payerIndex = (i: number) => (i <= 20 ? i % 18 : i === 21 ? 0 : i === 59 ? 29 : i % 5 === 0 ? i % 18 : 18 + (i % 11));
const admin = (path: string, body: unknown) => {
  const res = world.sim.tenantAdmin(world.tenantId, path, 'POST', body);
  if (res.status !== 200) throw new Error(`${path}: ${JSON.stringify(res.body)}`);
  return res.body as any;
};
const deps = () => ({ db: world.db, gateway: world.gateway, connect: () => world.gateway.connect(), log: world.log });
const backfill = (options: { dryRun?: boolean; again?: boolean } = {}) => runBackfill(deps(), { instance: world.instance, since: null, timeZone: 'UTC', ...options });
const writesSince = (seq: number) => world.sim.requests({ since: seq }).filter((e) => e.path.startsWith('/api.xro/2.0') && e.method !== 'GET');

beforeAll(async () => {
  world = await createPushWorld('backfill');
  await setModuleOption(world.db, 'start_date', '2026-06-01');
  for (let k = 0; k < 30; k++) {
    const email = k >= 12 && k < 18 ? `person${k}@example.com` : k === 29 ? 'shared@example.com' : `other${k}@example.org`;
    contacts.push((await buildContact(world.db, { name: `First${k}`, lastName: `Backfill${k}`, emails: [email], dateCreate: '2024-01-01 09:00:00', dateModify: '2024-01-01 09:00:00' })).contactId);
  }
  // Twelve contacts the accountant keeps by the same name (half typed in lower case), six under another name with
  // the same email, two sharing the email of Bitrix contact 29, and ten strangers.
  for (let k = 0; k < 18; k++) {
    const name = k < 12 ? (k % 2 ? `first${k} backfill${k}` : `First${k} Backfill${k}`) : `Person ${k} Trading Ltd`;
    seededContact.set(k, admin('contacts', { Name: name, ...(k >= 12 && { EmailAddress: `person${k}@example.com` }) }).ContactID.toLowerCase());
  }
  admin('contacts', { Name: 'Shared Mailbox One', EmailAddress: 'shared@example.com' });
  admin('contacts', { Name: 'Shared Mailbox Two', EmailAddress: 'shared@example.com' });
  for (let s = 0; s < 10; s++) admin('contacts', { Name: `Stranger ${s}` });

  for (let i = 1; i <= N; i++) {
    const id = (await buildSmartInvoice(world.db, world.info, {
      contactIds: [contacts[payerIndex(i)]!], accountNumber: `INV-${i}`, stage: closed(i) ? 'P' : 'N',
      beginDate: '2024-03-01', createdTime: '2024-03-01 10:00:00', updatedTime: '2024-03-01 10:00:00',
      rows: [{ name: `History ${i}`, price: amount(i), quantity: 1, taxRate: 0, taxIncluded: false }],
    })).id;
    invoices.set(i, id);
  }
  // Xero's side of the history: INV-1…20 entered by hand for the same contact and total (the closed ones approved),
  // INV-21 for a stranger with another total, and forty invoices of Xero's own sequence.
  const line = (price: number) => [{ Description: 'typed in Xero', Quantity: 1, UnitAmount: price, AccountCode: '200', TaxType: 'NONE' }];
  for (let i = 1; i <= 20; i++) {
    const inv = admin('invoices', { Type: 'ACCREC', Contact: { ContactID: seededContact.get(payerIndex(i)) }, InvoiceNumber: `INV-${i}`, LineAmountTypes: 'NoTax', Date: '2024-03-01', DueDate: '2024-03-31', LineItems: line(amount(i)) });
    seededInvoice.set(i, String(inv.InvoiceID ?? inv.ID).toLowerCase());
    if (closed(i)) admin(`invoices/${inv.InvoiceID ?? inv.ID}/approve`, {});
  }
  admin('invoices', { Type: 'ACCREC', Contact: { Name: 'Stranger 1' }, InvoiceNumber: 'INV-21', LineAmountTypes: 'NoTax', Date: '2024-03-01', DueDate: '2024-03-31', LineItems: line(250) });
  for (let n = 1; n <= 40; n++) {
    admin('invoices', { Type: 'ACCREC', Contact: { Name: `Stranger ${n % 10}` }, InvoiceNumber: `INV-${String(n).padStart(4, '0')}`, LineAmountTypes: 'NoTax', Date: '2024-02-01', DueDate: '2024-03-01', LineItems: line(n) });
  }
}, 120_000);
afterAll(async () => {
  await world?.close();
});

const openUnmatched = () => [...invoices.keys()].filter((i) => i > 21 && !closed(i) && i !== 59);
const closedUnmatched = () => [...invoices.keys()].filter((i) => i > 21 && closed(i));
const newPayers = () => new Set(openUnmatched().map(payerIndex).filter((k) => k >= 18));

describe('first contact with history', () => {
  it('ongoing sync leaves the history alone: nothing before the start line is written to Xero', async () => {
    const since = lastSeq(world);
    const result = await world.pass();
    expect(result.stats.created).toBe(0);
    expect(writesSince(since)).toEqual([]);
  });

  let dry: BackfillResult;
  it('a dry run reads the books in two calls and lists what it would link, create and leave, writing nothing', async () => {
    const since = lastSeq(world);
    dry = await backfill({ dryRun: true });
    expect(writesSince(since)).toEqual([]);
    expect(dry.xero).toEqual({ contacts: 30, invoices: 61, readCalls: 2 });
    expect(dry.total).toBe(N);
    expect(dry.stats.linked).toBe(20);
    expect(dry.needsPerson.map((n) => n.id)).toEqual([invoices.get(21)]);
    expect(dry.closedNotInXero.map((c) => c.id).sort((a, b) => a - b)).toEqual(closedUnmatched().map((i) => invoices.get(i)!));
    const contactCreates = dry.plan.filter((e) => e.action === 'create' && e.entity === 'contact');
    expect(contactCreates.map((e) => e.id).sort((a, b) => a - b)).toEqual([...newPayers()].map((k) => contacts[k]!).sort((a, b) => a - b));
    expect(dry.plan.filter((e) => e.action === 'create' && e.entity === 'smart_invoice')).toHaveLength(openUnmatched().length);
    expect(await linkOf(world, 'smart_invoice', invoices.get(1)!)).toBeUndefined();
  });

  let real: BackfillResult;
  it('links the twenty Xero holds, creates only the open rest, lists the closed rest, and stays within its estimate', async () => {
    const since = lastSeq(world);
    const progress: number[] = [];
    real = await runBackfill(deps(), { instance: world.instance, since: null, timeZone: 'UTC', pageSize: 25, onProgress: (p) => progress.push(p.done) });
    expect(real.stopped).toBeNull();
    expect(progress).toEqual([0, 25, 50, 60]);
    expect(real.stats.linked).toBe(20);
    expect(real.stats.created).toBe(openUnmatched().length);
    expect(real.stats.contactsCreated).toBe(newPayers().size);
    expect(real.closedNotInXero).toHaveLength(closedUnmatched().length);
    const calls = world.sim.requests({ since }).filter((e) => e.path.startsWith('/api.xro/2.0')).length;
    expect(real.stats.apiCalls).toBe(calls);
    expect(calls).toBeLessThanOrEqual(real.estimate!.total);

    const state = simState(world);
    const numbers = state.invoices.filter((i) => i.Kind === 'INVOICE').map((i) => i.Number);
    expect(new Set(numbers).size).toBe(numbers.length);
    const names = state.contacts.map((c) => c.Name.toLowerCase());
    expect(new Set(names).size).toBe(names.length);
    for (const i of closedUnmatched()) expect(state.invoices.some((x) => x.Number === `INV-${i}`)).toBe(false);

    for (let i = 1; i <= 20; i++) {
      const link = await linkOf(world, 'smart_invoice', invoices.get(i)!);
      expect(link).toMatchObject({ STATE: 'synced', XERO_ID: seededInvoice.get(i) });
    }
    // Matched by name (lower-case in Xero) and by email, not created again.
    for (const k of [1, 2, 13, 16]) {
      expect((await linkOf(world, 'contact', contacts[k]!))?.XERO_ID).toBe(seededContact.get(k));
    }
    const [clash] = await errorsOf(world, 'smart_invoice', invoices.get(21)!);
    expect(clash).toMatchObject({ CODE: 'invoice_number_taken', CLASS: 'needs_person' });
    expect(clash.MESSAGE).toContain('INV-21');
    const [ambiguous] = await errorsOf(world, 'contact', contacts[29]!);
    expect(ambiguous).toMatchObject({ CODE: 'contact_email_ambiguous', CLASS: 'needs_person' });
    expect(ambiguous.MESSAGE).toContain('Shared Mailbox One');
    expect(ambiguous.MESSAGE).toContain('Shared Mailbox Two');
    expect(await linkOf(world, 'smart_invoice', invoices.get(59)!)).toBeUndefined();
  });

  it('a second backfill does nothing, with no Xero call', async () => {
    const since = lastSeq(world);
    const again = await backfill();
    expect(again.alreadyDone).toBe(true);
    expect(world.sim.requests({ since })).toEqual([]);
  });

  it('b24xero backfill --again runs anew with a progress bar and finds nothing left to link or create; a bad date is usage', async () => {
    const run = await runCli(['backfill', '--again'], world.env());
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/backfill: \[#+\] 60\/60 invoices \(100 %\)/);
    expect(run.stdout).toContain('0 linked (already in Xero), 0 created');
    expect(run.stdout).toContain(`${N - closedUnmatched().length - 2} already linked`);
    const bad = await runCli(['backfill', '--since', '2024-02-30'], world.env());
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--since must be a date YYYY-MM-DD, got '2024-02-30'");
  });
});
