/**
 * Pull budget benchmark (issue 7 item 8): prints figures, asserts nothing (`npm run bench` / `npx tsx bench/pull.ts
 * [--invoices N] [--changes N]`).
 *
 * A real MariaDB database (the Bitrix fixture + module tables) and the Xero simulator over HTTP through the real
 * gateway. N invoices are pushed and linked; then one day is replayed pass by pass at the daemon's default schedules —
 * the pull every minute, the safety scan every 15 minutes, the nightly reconcile at 03:17 (the push job runs too, but
 * an idle push pass makes no call and keeps no run) — once with nothing happening in Xero, once with `--changes`
 * invoices approved, emailed or paid over the day. Every Accounting API call is counted by the simulator, so the
 * figures are what Xero would see from one portal: the day must stay inside issue 7's 1,500 calls when idle and well
 * inside the shared 5,000.
 */
import { parseArgs } from 'node:util';
import { Writable } from 'node:stream';
import { Kysely, MysqlDialect } from 'kysely';
import { createPoolFromUrl } from '../daemon/src/db/connect.ts';
import { migrate } from '../daemon/src/state/migrator.ts';
import { createLogger } from '../daemon/src/runtime/logger.ts';
import { gatewayForDatabase } from '../daemon/src/runtime/compose.ts';
import { runPassHoldingLock, runSyncPass, type PassScope } from '../daemon/src/sync/pass.ts';
import { createTestDb } from '../test/helpers/test-db.ts';
import { createBitrixSchema } from '../test/fixture/bitrix-schema.ts';
import { buildContact } from '../test/fixture/builders/contact.ts';
import { buildSmartInvoice } from '../test/fixture/builders/smart-invoice.ts';
import { startSimulator } from '../test/sim/index.ts';

const { values } = parseArgs({ options: { invoices: { type: 'string' }, changes: { type: 'string' } } });
const INVOICES = Number(values.invoices ?? 200);
const CHANGES = Number(values.changes ?? 60);
const K = 600; // simulator time scale: the replayed day's calls never meet the minute limit for want of real time

const t = await createTestDb('bench_pull');
const sim = await startSimulator({ port: 0, seed: 1, timeScale: K });
let queries = 0;
const db = new Kysely<any>({
  dialect: new MysqlDialect({ pool: createPoolFromUrl(t.url, { connectionLimit: 4 }) }),
  log: (event) => { if (event.level === 'query') queries++; },
});

try {
  const info = await createBitrixSchema(t.db);
  await migrate(t.db);
  const contacts: number[] = [];
  for (let i = 0; i < 20; i++) contacts.push((await buildContact(t.db, { name: 'Pull', lastName: `Bench${i}`, emails: [`b${i}@pull.test`] })).contactId);
  for (let i = 0; i < INVOICES; i++) {
    await buildSmartInvoice(t.db, info, { contactIds: [contacts[i % 20]!], rows: [{ name: `Service ${i}`, price: 100 + i, quantity: 1, taxRate: 15, taxIncluded: false }] });
  }
  const log = createLogger({ level: 'error', stream: new Writable({ write(_c, _e, done) { done(); } }) });
  const gateway = gatewayForDatabase({
    clientId: sim.clientId, clientSecret: sim.clientSecret, apiUrl: `${sim.url}/api.xro/2.0`, identityUrl: sim.url,
    connectionsUrl: `${sim.url}/connections`, minuteLimit: 60, instance: 'bench',
  }, db, { governor: { windowMs: 60_000 / K } });
  const deps = { db, gateway, connect: () => gateway.connect(), log };
  await runSyncPass(deps, { instance: 'bench', pull: false });
  const tenant = (await gateway.connect());
  const xeroIds = (await db.selectFrom('b_b24xero_link').select('XERO_ID').where('XERO_TYPE', '=', 'invoice').execute()).map((r) => String(r.XERO_ID));
  const admin = (path: string, body: unknown = {}) => sim.tenantAdmin(tenant, path, 'POST', body);

  /** One day, minute by minute, at the daemon's default schedules; `happen(minute)` acts in Xero first. */
  const replayDay = async (happen: (minute: number) => void) => {
    const start = Date.UTC(2026, 11, 7, 0, 0, 0);
    const before = sim.counters().total;
    const q0 = queries;
    let passes = 0;
    let worstIdlePull = 0;
    let pulled = 0;
    for (let minute = 0; minute < 1440; minute++) {
      happen(minute);
      const now = new Date(start + minute * 60_000);
      const jobs: PassScope[] = ['push'];
      if (minute % 15 === 0) jobs.push('scan');
      if (minute === 3 * 60 + 17) jobs.push('reconcile');
      jobs.push('pull');
      for (const scope of jobs) {
        const c0 = sim.counters().total;
        const result = await runPassHoldingLock(deps, { instance: 'bench', scope, now });
        passes++;
        const calls = sim.counters().total - c0;
        if (scope === 'pull' && result && result.stats.pulled === 0 && (result.pulled?.invoices.changedInvoiceIds.length ?? 0) === 0) worstIdlePull = Math.max(worstIdlePull, calls);
        pulled += result?.stats.pulled ?? 0;
      }
    }
    return { calls: sim.counters().total - before, passes, worstIdlePull, pulled, queries: queries - q0, rateLimited: sim.counters().rateLimited };
  };

  const idle = await replayDay(() => undefined);
  // A busy day: every 24 minutes one invoice is approved and emailed, paid in half, or paid in full.
  let next = 0;
  const busy = await replayDay((minute) => {
    if (minute % Math.max(1, Math.floor(1440 / CHANGES)) !== 7 || next >= xeroIds.length) return;
    const id = xeroIds[next++]!;
    admin(`invoices/${id}/approve`);
    admin(`invoices/${id}/email`);
    if (next % 3 === 0) admin(`invoices/${id}/pay`, {});
    else if (next % 3 === 1) admin(`invoices/${id}/pay`, { amount: 50 });
  });
  const rows = await db.selectFrom('b_b24xero_inbox').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();

  console.log(`pull benchmark: ${INVOICES} linked smart invoices; one day replayed at the default schedules (pull every minute, scan every 15 min, reconcile 03:17)`);
  console.log('day                     API calls   passes   SQL queries   inbox rows queued   429s');
  console.log(`idle (nothing in Xero)  ${String(idle.calls).padStart(9)}   ${String(idle.passes).padStart(6)}   ${String(idle.queries).padStart(11)}   ${String(idle.pulled).padStart(17)}   ${idle.rateLimited}`);
  console.log(`busy (${String(next).padStart(3)} invoices)     ${String(busy.calls).padStart(9)}   ${String(busy.passes).padStart(6)}   ${String(busy.queries).padStart(11)}   ${String(busy.pulled).padStart(17)}   ${busy.rateLimited - idle.rateLimited}`);
  console.log(`idle day: ${idle.calls} calls against issue 7's 1,500 (${((idle.calls / 1500) * 100).toFixed(1)} %) and the shared daily 5,000 (${((idle.calls / 5000) * 100).toFixed(1)} %)`);
  console.log(`a pull pass with nothing new: at most ${Math.max(idle.worstIdlePull, busy.worstIdlePull)} call(s) (issue 7: at most 2)`);
  console.log(`busy day: ${busy.calls - idle.calls} calls more than idle for ${next} invoices changed in Xero; ${Number(rows.n)} inbox rows in all`);
  console.log(`SQL per idle pass: ${(idle.queries / idle.passes).toFixed(1)} queries`);
} finally {
  await db.destroy();
  await sim.close();
  await t.drop();
}
