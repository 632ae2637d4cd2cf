import type { Writable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { Env } from '../config/config.ts';
import { redactUrl } from '../config/redact.ts';
import { closeLogger } from '../runtime/logger.ts';
import { migrate } from '../state/migrator.ts';
import type { StateDb } from '../state/tables.ts';
import { runSyncPass, type PassResult } from '../sync/pass.ts';
import type { PlanEntry } from '../sync/push/push-context.ts';
import { editSmartInvoiceRows } from './bitrix-user.ts';
import { applyDemoInbox } from './demo-applier.ts';
import { sql } from 'kysely';
import type { DemoArgs } from './demo-args.ts';
import { recreateDemoDatabase } from './demo-database.ts';
import { buildDemoPortal, type DemoInvoiceRef, type DemoPortal } from './demo-portal.ts';
import {
  contactsTable, entityLabel, inboxTable, invoicesById, landedContacts, landedInvoices, landedTable, notSynced, notSyncedTable,
  pendingInbox, planSummary, statsLine,
} from './demo-report.ts';
import { startDemoXero, type DemoXero } from './demo-xero.ts';
import { formatMoney } from './text-table.ts';

export interface DemoIo {
  stdout: Writable;
  /** The daemon's JSON log lines (LOG_LEVEL, default error). */
  stderr: Writable;
  env: Env;
  /** Resolves when the user wants a --keep demo to end (the CLI wires Ctrl-C / SIGTERM to it). */
  untilStopped: () => Promise<void>;
}

const I = '   ';

/**
 * The product end to end on the embedded demo: a fresh demo database holding a small Bitrix portal, the module's
 * tables, the Xero simulator in this process, and three sync passes through the real gateway that show creates and
 * per-record failures, an update of a Xero draft, and a conflict once Xero has approved an invoice. Resolves to the
 * exit code: 0 when the story went as told, 1 when an outcome it announces did not happen (each one is printed).
 */
export async function runDemo(args: DemoArgs, io: DemoIo): Promise<number> {
  const out = (text = '') => io.stdout.write(`${text}\n`);
  out('b24xero demo: Bitrix24 → Xero end to end, on a local MariaDB and the Xero simulator (no Xero account, no network)');
  out();

  const db = await recreateDemoDatabase(args.dbUrl);
  let dbOpen = true;
  const closeDb = async () => {
    if (dbOpen) await db.destroy();
    dbOpen = false;
  };
  let xero: DemoXero | null = null;
  try {
    out('1. Setting up');
    const portal = await buildDemoPortal(db);
    out(`${I}database   ${args.database} at ${serverOf(args.dbUrl)} (re-created)`);
    out(`${I}Bitrix     ${portal.companies} companies with ${portal.contacts - portal.personPayers} contacts, ${portal.personPayers} people buying for themselves, ` +
      `${portal.smartInvoiceIds.length} smart invoices, ${portal.legacyInvoiceIds.length} legacy invoices`);
    const migrated = await migrate(db);
    out(`${I}schema     b24xero migrate: ${migrated.applied.map((f) => f.name).join(', ') || 'already current'}`);
    xero = await startDemoXero({ dbUrl: args.dbUrl, port: args.port, env: io.env, db, logStream: io.stderr });
    out(`${I}Xero       simulator at ${xero.sim.url}, organisation "Demo Company (NZ)", Custom Connection (client_credentials)`);
    out();
    const story = new Story(db, portal, xero, out);
    const plan = await story.dryRun();
    await story.firstPass(plan);
    await story.editDraftInBitrix();
    await story.editApprovedInvoice();
    await story.inbox();
    await story.roundTrip(args.dbUrl);
    story.whereNext(args);
    if (story.surprises.length > 0) {
      out();
      out('The demo did not go as told:');
      for (const surprise of story.surprises) out(`${I}- ${surprise}`);
    }
    if (args.keep) {
      // Nothing reads the database while the simulator waits; `b24xero status` opens its own connection.
      await closeDb();
      out();
      out(`The simulator keeps running at ${xero.sim.url} (Accounting API ${xero.sim.url}/api.xro/2.0, admin API ${xero.sim.url}/_sim,`);
      out(`client id '${xero.sim.clientId}'). Press Ctrl-C to stop it.`);
      await io.untilStopped();
    }
    return story.surprises.length > 0 ? 1 : 0;
  } finally {
    await xero?.sim.close();
    await closeDb();
    if (xero) await closeLogger(xero.log);
  }
}

/** host:port of a database URL, for the "where to look" lines (never the password). */
function serverOf(dbUrl: string): string {
  const u = new URL(dbUrl);
  return `${u.hostname}:${u.port || '3306'}`;
}

/** The demo's steps; each prints its outcome and notes any outcome that did not match what it announced. */
class Story {
  readonly surprises: string[] = [];
  readonly #state: StateDb;

  constructor(
    readonly db: Kysely<any>,
    readonly portal: DemoPortal,
    readonly xero: DemoXero,
    readonly out: (text?: string) => void,
  ) {
    this.#state = db as StateDb;
  }

  async #pass(dryRun = false, now?: Date): Promise<PassResult> {
    const { gateway, config, log } = this.xero;
    return runSyncPass(
      { db: this.db, gateway, connect: () => gateway.connect(), log },
      { instance: config.instance, timeZone: config.bitrixTimezone, dryRun, ...(now && { now }) },
    );
  }

  /** The module's applier over the inbox; false (and a note) when PHP is not there to run it. */
  #apply(what: string): boolean {
    const run = applyDemoInbox(this.dbUrl);
    if ('unavailable' in run) {
      this.out(`${I}The module's applier did not run: ${run.unavailable}. The rows stay pending.`);
      return false;
    }
    this.out(`${I}The module's applier (php bitrix-module/tests/bin/apply-fixture.php, what its agent does every minute) applied ${run.applied} rows${what}` +
      `${run.failed > 0 ? `; ${run.failed} failed: ${run.failures.map((f) => `#${f.id} ${f.error}`).join('; ')}` : ''}`);
    this.#expect(run.failed === 0, `the applier failed ${run.failed} rows`);
    return true;
  }

  /** The smart invoice as its Bitrix page shows it: stage (with its name), Xero status and amount due. */
  async #bitrixInvoice(ref: DemoInvoiceRef): Promise<{ stage: string; stageName: string; status: string | null; due: number | null }> {
    const row = (await sql<{ STAGE_ID: string; UF_CRM_XERO_STATUS: string | null; UF_CRM_XERO_AMOUNT_DUE: number | null; NAME: string | null }>`
      SELECT i.STAGE_ID, i.UF_CRM_XERO_STATUS, i.UF_CRM_XERO_AMOUNT_DUE, s.NAME FROM b_crm_dynamic_items_31 i
      LEFT JOIN b_crm_status s ON s.STATUS_ID = i.STAGE_ID WHERE i.ID = ${ref.id}`.execute(this.db)).rows[0];
    return {
      stage: row?.STAGE_ID ?? '?', stageName: row?.NAME ?? '', status: row?.UF_CRM_XERO_STATUS ?? null,
      due: row?.UF_CRM_XERO_AMOUNT_DUE === null || row?.UF_CRM_XERO_AMOUNT_DUE === undefined ? null : Number(row.UF_CRM_XERO_AMOUNT_DUE),
    };
  }

  /**
   * The loop closed (issue 8): the module applies the inbox; an accountant approves, emails and pays the draft in two
   * parts and the Bitrix invoice follows; a pass after the applier's writes writes nothing to Xero; contacts the
   * accountant adds in Xero arrive as a Bitrix contact and a company with its people.
   */
  async roundTrip(dbUrl: string): Promise<void> {
    this.dbUrl = dbUrl;
    this.out('7. The Bitrix module applies the inbox');
    if (!this.#apply(' (bindings, statuses, online invoice links)')) {
      this.out();
      return;
    }
    this.out();
    const ref = this.portal.roles.editInBitrix;
    const xeroId = await this.#xeroId(ref);
    const { sim } = this.xero;
    const admin = (path: string, body: unknown = {}) => {
      const res = sim.tenantAdmin(sim.defaultTenantId, path, 'POST', body);
      if (res.status !== 200) throw new Error(`the simulator refused ${path}: ${JSON.stringify(res.body)}`);
      return res.body as Record<string, any>;
    };
    admin(`invoices/${xeroId}/approve`);
    admin(`invoices/${xeroId}/email`);
    const total = Number((await this.#xeroInvoice(ref))?.total ?? 0);
    const half = Math.round(total * 50) / 100;
    admin(`invoices/${xeroId}/pay`, { amount: half });
    this.out(`8. The accountant approves ${ref.accountNumber} in Xero, emails it to the customer and records a payment of ${formatMoney(half)} of ${formatMoney(total)}`);
    let result = await this.#pass();
    this.out(`${I}Pass (run #${result.runId}): ${result.stats.pulled} rows queued for Bitrix from Xero; ${result.stats.apiCalls} Xero API calls`);
    this.#apply('');
    const part = await this.#bitrixInvoice(ref);
    this.out(`${I}In Bitrix ${ref.accountNumber} is now in stage ${part.stageName || part.stage} (${part.stage}), Xero status ${part.status}, amount due ${formatMoney(part.due ?? undefined)}`);
    this.#expect(part.status === 'AUTHORISED' && part.due !== null && Math.abs(part.due - (total - half)) < 0.005, `after the part payment Bitrix shows ${part.status} with ${part.due} due, expected AUTHORISED with ${total - half}`);
    this.#expect(part.stage.endsWith(':S'), `after approval and email the stage is ${part.stage}, expected the "sent" stage`);
    admin(`invoices/${xeroId}/pay`, { amount: Math.round((total - half) * 100) / 100 });
    this.out(`${I}Then the rest is paid`);
    result = await this.#pass();
    this.#apply('');
    const paid = await this.#bitrixInvoice(ref);
    this.out(`${I}Pass (run #${result.runId}) and applier: stage ${paid.stageName || paid.stage} (${paid.stage}), Xero status ${paid.status}, amount due ${formatMoney(paid.due ?? undefined)}`);
    this.#expect(paid.status === 'PAID' && paid.due === 0 && paid.stage.endsWith(':P'), `after the full payment Bitrix shows ${paid.stage} ${paid.status} ${paid.due}, expected the paid stage with 0 due`);
    const writesBefore = sim.counters().writes;
    result = await this.#pass();
    const writes = sim.counters().writes - writesBefore;
    this.out(`${I}The applier's own writes are no Bitrix edit: the next pass (run #${result.runId}) writes ${writes} times to Xero`);
    this.#expect(writes === 0, `the pass after the applier wrote to Xero ${writes} times`);
    this.out();

    // The contact book: what the accountant keeps in Xero arrives in Bitrix by the import rule.
    const person = admin('contacts', { Name: 'Tane Mahuta', FirstName: 'Tane', LastName: 'Mahuta', EmailAddress: 'tane@forest.example' });
    const company = admin('contacts', {
      Name: 'Pōhutukawa Nurseries Ltd', FirstName: 'Hemi', LastName: 'Walker', EmailAddress: 'accounts@pohutukawa.example',
      ContactPersons: [{ FirstName: 'Kiri', LastName: 'Walker', EmailAddress: 'kiri@pohutukawa.example' }, { FirstName: 'Sam', LastName: 'Lee' }],
      Phones: [{ PhoneType: 'DEFAULT', PhoneNumber: '555 0140', PhoneAreaCode: '9', PhoneCountryCode: '64' }],
    });
    this.out('9. The accountant adds two contacts in Xero: "Tane Mahuta" (a person) and "Pōhutukawa Nurseries Ltd" (Hemi Walker, with Kiri Walker and Sam Lee)');
    // The contact pull runs hourly: the pass is told it is an hour later.
    result = await this.#pass(false, new Date(Date.now() + 61 * 60_000));
    const contacts = result.pulled?.contacts;
    this.out(`${I}Pass (run #${result.runId}): contact pull read ${contacts?.fetched ?? 0} Xero contacts, queued ${contacts?.imported ?? 0} imports ` +
      `(the contacts the push made are ours and stay as they are)`);
    this.#apply('');
    await this.#pass();
    const tane = (await sql<{ ID: number; NAME: string; LAST_NAME: string }>`SELECT c.ID, c.NAME, c.LAST_NAME FROM b_crm_contact c JOIN b_uts_crm_contact u ON u.VALUE_ID = c.ID WHERE u.UF_CRM_XERO_ID = ${String(person.ContactID).toLowerCase()}`.execute(this.db)).rows;
    const co = (await sql<{ ID: number; TITLE: string }>`SELECT c.ID, c.TITLE FROM b_crm_company c JOIN b_uts_crm_company u ON u.VALUE_ID = c.ID WHERE u.UF_CRM_XERO_ID = ${String(company.ContactID).toLowerCase()}`.execute(this.db)).rows;
    const people = co[0] ? (await sql<{ NAME: string; LAST_NAME: string }>`SELECT c.NAME, c.LAST_NAME FROM b_crm_contact_company cc JOIN b_crm_contact c ON c.ID = cc.CONTACT_ID WHERE cc.COMPANY_ID = ${co[0].ID} ORDER BY cc.SORT, c.ID`.execute(this.db)).rows : [];
    this.out(`${I}In Bitrix: contact ${tane[0] ? `#${tane[0].ID} ${tane[0].NAME} ${tane[0].LAST_NAME}` : '(missing)'}; company ${co[0] ? `#${co[0].ID} ${co[0].TITLE}` : '(missing)'} ` +
      `with ${people.map((p) => `${p.NAME} ${p.LAST_NAME}`).join(', ') || 'nobody'} (the first its primary contact); both linked, so the next run imports nothing`);
    this.#expect(tane.length === 1 && co.length === 1 && people.length === 3, `the Xero contacts arrived as ${tane.length} contacts and ${co.length} companies with ${people.length} people`);
    this.out();
  }

  dbUrl = '';

  /** `b24xero sync --once --dry-run`: the plan per record, with reads from Xero but no write anywhere. */
  async dryRun(): Promise<PlanEntry[]> {
    const writesBefore = this.xero.sim.counters().writes;
    const result = await this.#pass(true);
    const writes = this.xero.sim.counters().writes - writesBefore;
    this.out(`2. Dry run first, as 'b24xero sync --once --dry-run' (run #${result.runId}): ${planSummary(result.plan)}; ` +
      `${result.stats.apiCalls} Xero API calls, ${writes} writes`);
    this.out();
    this.#expect(writes === 0, `the dry run wrote to Xero ${writes} times`);
    return result.plan;
  }

  #expect(ok: boolean, what: string): void {
    if (!ok) this.surprises.push(what);
  }

  async firstPass(dryRunPlan: readonly PlanEntry[]): Promise<void> {
    const result = await this.#pass();
    this.out(`3. First sync pass (run #${result.runId}): ${statsLine(result)}`);
    for (const problem of result.settingsProblems) this.out(`${I}module option ignored: ${problem.message}`);
    this.out();
    this.out(`${I}What landed in Xero:`);
    const landed = await landedInvoices(this.#state, this.xero.gateway);
    for (const line of landedTable(landed, I)) this.out(line);
    this.out();
    this.out(`${I}Their contacts in Xero (a company with its people; a person paying for themselves):`);
    for (const line of contactsTable(await landedContacts(this.#state, this.xero.gateway), I)) this.out(line);
    this.out();
    this.out(`${I}What did not, and why (b_b24xero_record_error, and the skips the dry run explained):`);
    const missing = await notSynced(this.#state, [...dryRunPlan, ...result.plan]);
    for (const line of notSyncedTable(missing, I)) this.out(line);
    this.out();
    const { unsubscribedCurrency, unticked } = this.portal.roles;
    this.#expect(result.stats.created > 0 && landed.length === result.stats.created, `the first pass created ${result.stats.created} invoices but ${landed.length} are linked`);
    this.#expect(missing.some((m) => is(m, unsubscribedCurrency) && m.why.startsWith('currency_not_enabled')), `${label(unsubscribedCurrency)} (JPY) has no currency error`);
    this.#expect(missing.some((m) => is(m, unticked) && m.outcome === 'skipped'), `${label(unticked)} ("Sync with Xero" off) was not skipped`);
  }

  async editDraftInBitrix(): Promise<void> {
    const ref = this.portal.roles.editInBitrix;
    const before = await this.#xeroInvoice(ref);
    const rows = ref.rows.map((r, i) => (i === 0 ? { ...r, quantity: (r.quantity ?? 1) + 2 } : r));
    const bitrixTotal = await editSmartInvoiceRows(this.db, this.portal.info, ref, rows);
    this.out(`4. A manager edits ${ref.accountNumber} in Bitrix (${ref.rows[0]!.name} × ${ref.rows[0]!.quantity} → × ${rows[0]!.quantity}; ` +
      `UPDATED_TIME bumped, change-feed row written): Bitrix total now ${formatMoney(bitrixTotal)}`);
    const result = await this.#pass();
    const after = await this.#xeroInvoice(ref);
    this.out(`${I}Second pass (run #${result.runId}): ${statsLine(result)}`);
    this.out(`${I}Xero ${after?.invoiceNumber ?? ref.accountNumber} is ${after?.status ?? 'missing'}: total ${formatMoney(before?.total)} → ${formatMoney(after?.total)} ${after?.currencyCode ?? ''}` +
      ` (updated in place, still a draft Bitrix owns)`);
    this.out();
    this.#expect(result.stats.updated === 1, `the second pass updated ${result.stats.updated} invoices, expected 1`);
    this.#expect(after !== undefined && Number(after.total) === Number(bitrixTotal), `Xero's total of ${ref.accountNumber} is ${String(after?.total)}, Bitrix says ${bitrixTotal}`);
  }

  async editApprovedInvoice(): Promise<void> {
    const ref = this.portal.roles.approveInXero;
    const xeroId = await this.#xeroId(ref);
    const { sim } = this.xero;
    const approved = sim.tenantAdmin(sim.defaultTenantId, `invoices/${xeroId}/approve`, 'POST', {});
    if (approved.status !== 200) throw new Error(`the simulator refused to approve ${ref.accountNumber}: ${JSON.stringify(approved.body)}`);
    const before = await this.#xeroInvoice(ref);
    this.out(`5. An accountant approves ${before?.invoiceNumber ?? ref.accountNumber} in Xero (now ${before?.status}, total ${formatMoney(before?.total)} ${before?.currencyCode ?? ''}); ` +
      'Xero is its master from here on');
    const rows = ref.rows.map((r, i) => (i === 0 ? { ...r, quantity: (r.quantity ?? 1) + 2 } : r));
    const bitrixTotal = await editSmartInvoiceRows(this.db, this.portal.info, ref, rows);
    this.out(`${I}Then a manager edits it in Bitrix (${ref.rows[0]!.name} × ${ref.rows[0]!.quantity} → × ${rows[0]!.quantity}): Bitrix total now ${formatMoney(bitrixTotal)}`);
    const writesBefore = sim.counters().writes;
    const result = await this.#pass();
    const writes = sim.counters().writes - writesBefore;
    const after = await this.#xeroInvoice(ref);
    const conflict = await this.#state.selectFrom('b_b24xero_record_error').selectAll()
      .where('ENTITY_TYPE', '=', ref.entityType).where('ENTITY_ID', '=', ref.id).where('OPERATION', '=', 'conflict')
      .where('RESOLVED_AT', 'is', null).executeTakeFirst();
    this.out(`${I}Third pass (run #${result.runId}): ${statsLine(result)}`);
    this.out(`${I}Conflict recorded for ${label(ref)}: ${conflict ? `${conflict.CODE}: ${conflict.MESSAGE}` : '(none)'}`);
    this.out(`${I}Xero left untouched: ${after?.invoiceNumber ?? ref.accountNumber} is ${after?.status}, total ${formatMoney(after?.total)} ${after?.currencyCode ?? ''}; ` +
      `${writes} Xero writes in this pass`);
    this.out();
    this.#expect(result.stats.conflicts === 1 && conflict !== undefined, `the third pass recorded ${result.stats.conflicts} conflicts, expected 1`);
    this.#expect(writes === 0 && Number(after?.total) === Number(before?.total), `Xero changed during the third pass (${writes} writes)`);
  }

  async inbox(): Promise<void> {
    const rows = await pendingInbox(this.#state);
    this.out(`6. Waiting in b_b24xero_inbox for the Bitrix module's applier (the daemon never writes b_crm_* itself): ${rows.length} rows`);
    for (const line of inboxTable(rows, I)) this.out(line);
    this.out();
  }

  whereNext(args: DemoArgs): void {
    const url = redactUrl(args.dbUrl);
    this.out('Where to look next');
    this.out(`${I}database   ${args.database}: b_crm_* is the demo portal, b_b24xero_* the module's tables (links, runs, errors, inbox)`);
    this.out(`${I}status     BITRIX_DB_URL=${url} B24X_INSTANCE=${this.xero.config.instance} npx b24xero status`);
    this.out(`${I}errors     SELECT ENTITY_TYPE, ENTITY_ID, CODE, MESSAGE FROM b_b24xero_record_error WHERE RESOLVED_AT IS NULL;`);
    this.out(`${I}again      npm run demo (re-creates the database)${args.keep ? '' : '; add -- --keep to leave the simulator running'}`);
  }

  async #xeroId(ref: DemoInvoiceRef): Promise<string> {
    const link = await this.#state.selectFrom('b_b24xero_link').select(['XERO_ID'])
      .where('ENTITY_TYPE', '=', ref.entityType).where('ENTITY_ID', '=', ref.id).where('XERO_TYPE', '=', 'invoice').executeTakeFirst();
    if (!link?.XERO_ID) throw new Error(`${label(ref)} (${ref.accountNumber}) did not reach Xero in the first pass`);
    return link.XERO_ID;
  }

  async #xeroInvoice(ref: DemoInvoiceRef) {
    const id = await this.#xeroId(ref);
    return (await invoicesById(this.xero.gateway, [id])).get(id.toLowerCase());
  }
}

function is(record: { entityType: string; id: number }, ref: DemoInvoiceRef): boolean {
  return record.entityType === ref.entityType && record.id === ref.id;
}

function label(ref: DemoInvoiceRef): string {
  return entityLabel(ref.entityType, ref.id);
}
