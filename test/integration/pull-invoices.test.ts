import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildContact } from '../fixture/builders/contact.ts';
import { applyInboxWithPhp } from '../module/php-applier.ts';
import { INVOICE_CURSOR, pullInvoices } from '../../daemon/src/sync/pull/index.ts';
import { getCursor } from '../../daemon/src/state/cursors.ts';
import { runPassHoldingLock } from '../../daemon/src/sync/pass.ts';
import { DEFAULT_SETTINGS } from '../../daemon/src/domain/settings.ts';
import type { StateDb } from '../../daemon/src/state/tables.ts';
import { apiWrites, createPushWorld, lastSeq, simInvoicesByKey, type PushWorld } from './support/push-harness.ts';
import { KINDS, type InvoiceKindAdapter } from './support/invoice-kinds.ts';

/**
 * The way back for invoices (issue 7 item 2), end to end: an accountant approves, emails, pays (in parts), credits,
 * voids and deletes in Xero (the simulator's admin API, as a user in the web app); the pull queues inbox rows; the
 * module's real PHP applier moves the Bitrix stage and stores UF_CRM_XERO_STATUS / _AMOUNT_DUE / _URL. Both invoice
 * kinds, each in its own world.
 */
describe.each(KINDS)('invoice pull: $kind invoices', (K: InvoiceKindAdapter) => {
  let world: PushWorld;
  let payer: number;

  beforeAll(async () => {
    world = await createPushWorld(`pull_inv_${K.kind}`);
    payer = (await buildContact(world.db, { name: 'Piper', lastName: 'Pull' })).contactId;
  });
  afterAll(async () => {
    await world?.close();
  });

  const admin = (path: string, body: unknown = {}) => {
    const res = world.sim.tenantAdmin(world.tenantId, path, 'POST', body);
    if (res.status !== 200) throw new Error(`sim ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Record<string, any>;
  };
  const ctx = (dryRun = false) => ({
    db: world.db, state: world.db as StateDb, gateway: world.gateway, settings: DEFAULT_SETTINGS, tenantId: world.tenantId, dryRun, log: world.log,
  });
  const apply = () => {
    const report = applyInboxWithPhp(world.t.url);
    expect(report.failures).toEqual([]);
    return report;
  };
  /** The Bitrix invoice as its page shows it: stage and the module's three Xero fields. */
  const bitrix = async (id: number) => {
    if (K.kind === 'smart') {
      const row = await sql<any>`SELECT STAGE_ID AS stage, UF_CRM_XERO_STATUS AS status, UF_CRM_XERO_AMOUNT_DUE AS due, UF_CRM_XERO_URL AS url
        FROM b_crm_dynamic_items_31 WHERE ID = ${id}`.execute(world.db);
      return { ...row.rows[0], due: row.rows[0].due === null ? null : Number(row.rows[0].due) };
    }
    const row = await sql<any>`SELECT i.STATUS_ID AS stage, u.UF_CRM_XERO_STATUS AS status, u.UF_CRM_XERO_AMOUNT_DUE AS due, u.UF_CRM_XERO_URL AS url
      FROM b_crm_invoice i LEFT JOIN b_uts_crm_invoice u ON u.VALUE_ID = i.ID WHERE i.ID = ${id}`.execute(world.db);
    return { ...row.rows[0], due: row.rows[0].due === null ? null : Number(row.rows[0].due) };
  };
  const stage = (code: 'N' | 'S' | 'P' | 'D') => (K.kind === 'smart' ? `DT31_${world.info.smartInvoiceCategoryId}:${code}` : code);
  const newInvoice = async (amount = 1000) => {
    const id = await K.create(world, { contactId: payer, lines: [{ name: 'Consulting', price: amount, quantity: 1, taxRate: 15 }] });
    await world.pass();
    apply(); // the binding (XML_ID, DRAFT, deep link) the push queued
    const [draft] = simInvoicesByKey(world, K.key(id));
    return { id, xeroId: draft!.ID.toLowerCase() };
  };

  let inv: { id: number; xeroId: string };

  it('nothing linked: the pull makes no call', async () => {
    const s = await pullInvoices(ctx());
    expect(s).toMatchObject({ calls: 0, fetched: 0, queued: 0 });
  });

  it('a draft in Xero asks nothing of Bitrix; an idle pull is one call', async () => {
    inv = await newInvoice();
    expect(await bitrix(inv.id)).toMatchObject({ stage: stage('N'), status: 'DRAFT' });
    const first = await pullInvoices(ctx());
    expect(first.queued).toBe(0); // our own create came back: compared away
    expect(await getCursor(world.db, INVOICE_CURSOR)).not.toBeNull();
    const idle = await pullInvoices(ctx());
    expect(idle.calls).toBe(1);
    expect(idle.queued).toBe(0);
  });

  it('approve: UF status AUTHORISED and the online invoice link; no stage is mapped to approved, so the stage stays and one warning says so', async () => {
    admin(`invoices/${inv.xeroId}/approve`);
    const s = await pullInvoices(ctx());
    expect(s.stageMoves).toBe(0);
    apply();
    const b = await bitrix(inv.id);
    expect(b).toMatchObject({ stage: stage('N'), status: 'AUTHORISED', due: 1150 });
    expect(b.url).toMatch(/^https?:\/\//);
    expect(b.url).not.toMatch(/go\.xero\.com\/AccountsReceivable/);
    const warnings = await world.db.selectFrom('b_b24xero_record_error').selectAll().where('CODE', '=', 'status_unmapped').where('RESOLVED_AT', 'is', null).execute();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.MESSAGE).toMatch(/AUTHORISED/);
  });

  it('email from Xero: the sent stage (Bitrix\'s own "S") — and the online link is not asked again', async () => {
    admin(`invoices/${inv.xeroId}/email`);
    const before = world.sim.requests().length;
    const s = await pullInvoices(ctx());
    expect(s).toMatchObject({ stageMoves: 1 });
    const online = world.sim.requests().slice(before).filter((r: any) => /OnlineInvoice/i.test(r.path));
    expect(online).toHaveLength(0);
    apply();
    expect(await bitrix(inv.id)).toMatchObject({ stage: stage('S'), status: 'AUTHORISED' });
  });

  it('pay half: amount due halves, the stage stays; a second pull of the same state queues nothing', async () => {
    admin(`invoices/${inv.xeroId}/pay`, { amount: 575 });
    await pullInvoices(ctx());
    apply();
    expect(await bitrix(inv.id)).toMatchObject({ stage: stage('S'), status: 'AUTHORISED', due: 575 });
    const again = await pullInvoices(ctx());
    expect(again.queued).toBe(0);
  });

  it('a credit note allocated to it: amount due falls', async () => {
    const contactId = simInvoicesByKey(world, K.key(inv.id))[0]!.ContactID;
    const credit = admin('credit-notes', {
      Type: 'ACCRECCREDIT', Status: 'AUTHORISED', Contact: { ContactID: contactId }, LineAmountTypes: 'Exclusive',
      LineItems: [{ Description: 'Goodwill', Quantity: 1, UnitAmount: 75, AccountCode: '200', TaxType: 'NONE' }],
    });
    const creditId = String(credit.CreditNoteID ?? credit.CreditNotes?.[0]?.CreditNoteID);
    admin(`credit-notes/${creditId}/allocate`, { Invoice: { InvoiceID: inv.xeroId }, Amount: 75 });
    await pullInvoices(ctx());
    apply();
    expect(await bitrix(inv.id)).toMatchObject({ stage: stage('S'), due: 500 });
  });

  it('pay the rest: the paid (success) stage, amount due 0 — and nothing of it is written back to Xero', async () => {
    admin(`invoices/${inv.xeroId}/pay`, { amount: 500 });
    const s = await pullInvoices(ctx());
    expect(s.stageMoves).toBe(1);
    apply();
    expect(await bitrix(inv.id)).toMatchObject({ stage: stage('P'), status: 'PAID', due: 0 });
    const seq = lastSeq(world);
    const pass = await world.pass(); // the applier's saves are seen by the scan: content unchanged, no write
    expect(apiWrites(world, undefined, seq)).toEqual([]);
    expect(pass.stats.failed).toBe(0);
  });

  it('void an approved invoice: the failure stage', async () => {
    const other = await newInvoice(200);
    admin(`invoices/${other.xeroId}/approve`);
    admin(`invoices/${other.xeroId}/void`);
    await pullInvoices(ctx());
    apply();
    expect(await bitrix(other.id)).toMatchObject({ stage: stage('D'), status: 'VOIDED' });
  });

  it('delete a draft: the failure stage', async () => {
    const other = await newInvoice(300);
    admin(`invoices/${other.xeroId}/delete`);
    await pullInvoices(ctx());
    apply();
    expect(await bitrix(other.id)).toMatchObject({ stage: stage('D'), status: 'DELETED' });
  });

  it('by id (webhooks): exactly those invoices, the cursor left alone; a repeat queues nothing', async () => {
    const other = await newInvoice(400);
    const cursor = await getCursor(world.db, INVOICE_CURSOR);
    admin(`invoices/${other.xeroId}/approve`);
    admin(`invoices/${other.xeroId}/email`);
    const s = await pullInvoices(ctx(), { ids: [other.xeroId.toUpperCase()] });
    expect(s).toMatchObject({ calls: 2, fetched: 1, stageMoves: 1 }); // the invoice, then its online link
    expect(await getCursor(world.db, INVOICE_CURSOR)).toBe(cursor);
    const again = await pullInvoices(ctx(), { ids: [other.xeroId] });
    expect(again.queued).toBe(0); // the pending rows already say it
    apply();
    expect(await bitrix(other.id)).toMatchObject({ stage: stage('S') });
    // The poll then reads it too, and finds nothing to do.
    expect((await pullInvoices(ctx())).queued).toBe(0);
  });

  it('the status map: AUTHORISED mapped moves an approved invoice there; a paid invoice is never moved back', async () => {
    const mapped = K.kind === 'smart' ? { smart: { AUTHORISED: stage('S') } } : { legacy: { AUTHORISED: 'S' } };
    const settings = { ...DEFAULT_SETTINGS, statusMap: { pull: mapped } };
    const other = await newInvoice(500);
    admin(`invoices/${other.xeroId}/approve`);
    const s = await pullInvoices({ ...ctx(), settings });
    expect(s.stageMoves).toBe(1);
    apply();
    expect(await bitrix(other.id)).toMatchObject({ stage: stage('S'), status: 'AUTHORISED' });
    // The approved warning is over once a stage is mapped.
    const open = await world.db.selectFrom('b_b24xero_record_error').select('ID').where('CODE', '=', 'status_unmapped').where('RESOLVED_AT', 'is', null).execute();
    expect(open).toHaveLength(0);
    // Paid in Bitrix by hand; then Xero approves a change: closed stays closed.
    const closed = await newInvoice(600);
    if (K.kind === 'smart') await sql`UPDATE b_crm_dynamic_items_31 SET STAGE_ID = ${stage('P')} WHERE ID = ${closed.id}`.execute(world.db);
    else await sql`UPDATE b_crm_invoice SET STATUS_ID = 'P' WHERE ID = ${closed.id}`.execute(world.db);
    admin(`invoices/${closed.xeroId}/approve`);
    const t = await pullInvoices({ ...ctx(), settings });
    expect(t.stageMoves).toBe(0);
  });

  it('a dry run reads and reports but queues nothing and moves no cursor', async () => {
    const other = await newInvoice(700);
    admin(`invoices/${other.xeroId}/approve`);
    admin(`invoices/${other.xeroId}/email`);
    const cursor = await getCursor(world.db, INVOICE_CURSOR);
    const pendingBefore = await world.db.selectFrom('b_b24xero_inbox').select('ID').where('STATE', '=', 'pending').execute();
    const s = await pullInvoices(ctx(true));
    expect(s.stageMoves).toBe(1);
    expect(await getCursor(world.db, INVOICE_CURSOR)).toBe(cursor);
    const pendingAfter = await world.db.selectFrom('b_b24xero_inbox').select('ID').where('STATE', '=', 'pending').execute();
    expect(pendingAfter).toHaveLength(pendingBefore.length);
  });

  it('the pass: sync --once ends with the pull; the pull scope keeps no run row when nothing changed', async () => {
    const other = await newInvoice(800);
    admin(`invoices/${other.xeroId}/approve`);
    admin(`invoices/${other.xeroId}/email`);
    const full = await world.pass({ pull: true });
    expect(full.pulled?.invoices.stageMoves).toBeGreaterThanOrEqual(1);
    expect(full.stats.pulled).toBeGreaterThanOrEqual(1);
    apply();
    expect(await bitrix(other.id)).toMatchObject({ stage: stage('S') });
    const pullPass = () => runPassHoldingLock({ db: world.db, gateway: world.gateway, connect: () => world.gateway.connect(), log: world.log }, { instance: world.instance, scope: 'pull' });
    await pullPass();
    const runsBefore = await world.db.selectFrom('b_b24xero_run').select('ID').execute();
    const idle = await pullPass();
    expect(idle?.pulled?.calls).toBe(1);
    expect(idle?.stats.apiCalls).toBe(1);
    expect(await world.db.selectFrom('b_b24xero_run').select('ID').execute()).toHaveLength(runsBefore.length);
    // Something new in Xero: that pull is a run of kind 'pull'.
    admin(`invoices/${other.xeroId}/pay`, { amount: 100 });
    const busy = await pullPass();
    expect(busy?.stats.pulled).toBe(1);
    const kept = await world.db.selectFrom('b_b24xero_run').selectAll().where('ID', '=', busy!.runId).executeTakeFirstOrThrow();
    expect(kept).toMatchObject({ KIND: 'pull', STATUS: 'ok' });
  });
});
