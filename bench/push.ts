/**
 * Push benchmark: prints figures, asserts nothing (`npm run bench` / `npx tsx bench/push.ts [--invoices N] [--time-scale K]`).
 *
 * A real MariaDB database (the Bitrix fixture + module tables) and the Xero simulator over HTTP through the real
 * gateway. The simulator runs K× faster than real time and the governor's minute window is scaled to match, so the
 * 60-calls-a-minute limit binds exactly as in production and "per simulated minute" figures are what a real portal
 * would see. Reports: API calls per invoice (from the simulator's counters), throughput against the minute limit,
 * the cost of an idle pass (SQL queries and API calls with nothing to do), an edit pass, and RSS memory.
 */
import { parseArgs } from 'node:util';
import { Writable } from 'node:stream';
import { Kysely, MysqlDialect } from 'kysely';
import { createPoolFromUrl } from '../daemon/src/db/connect.ts';
import { migrate } from '../daemon/src/state/migrator.ts';
import { createLogger } from '../daemon/src/runtime/logger.ts';
import { gatewayForDatabase } from '../daemon/src/runtime/compose.ts';
import { runSyncPass } from '../daemon/src/sync/pass.ts';
import { createTestDb } from '../test/helpers/test-db.ts';
import { createBitrixSchema } from '../test/fixture/bitrix-schema.ts';
import { buildContact } from '../test/fixture/builders/contact.ts';
import { buildCompany } from '../test/fixture/builders/company.ts';
import { buildSmartInvoice } from '../test/fixture/builders/smart-invoice.ts';
import { buildLegacyInvoice } from '../test/fixture/builders/legacy-invoice.ts';
import { naiveDateTime, shiftNaive } from '../test/fixture/builders/naive-time.ts';
import { startSimulator } from '../test/sim/index.ts';

const { values } = parseArgs({ options: { invoices: { type: 'string' }, 'time-scale': { type: 'string' } } });
const INVOICES = Number(values.invoices ?? 300);
const K = Number(values['time-scale'] ?? 30);
const MINUTE_LIMIT = 60;

const t = await createTestDb('bench_push');
const sim = await startSimulator({ port: 0, seed: 1, timeScale: K });
let queries = 0;
const db = new Kysely<any>({
  dialect: new MysqlDialect({ pool: createPoolFromUrl(t.url, { connectionLimit: 4 }) }),
  log: (event) => { if (event.level === 'query') queries++; },
});
let peakRss = process.memoryUsage().rss;
const sample = () => { peakRss = Math.max(peakRss, process.memoryUsage().rss); };
const sampler = setInterval(sample, 50);

try {
  const info = await createBitrixSchema(t.db);
  await migrate(t.db);
  const contacts: number[] = [];
  for (let i = 0; i < 30; i++) contacts.push((await buildContact(t.db, { name: 'Bench', lastName: `Person${i}`, emails: [`p${i}@bench.test`] })).contactId);
  const companies: number[] = [];
  for (let i = 0; i < 10; i++) companies.push((await buildCompany(t.db, { title: `Bench Company ${i}`, contacts: [contacts[i]!, contacts[i + 10]!] })).companyId);
  const smartIds: number[] = [];
  // Edited three minutes before the first pass: inside the safety scan's 5-minute overlap window for the idle pass.
  const edited3MinAgo = shiftNaive(naiveDateTime(), -180);
  for (let i = 0; i < INVOICES; i++) {
    const rows = [{ name: `Service ${i}`, price: 100 + (i % 17), quantity: 1 + (i % 3), taxRate: 15, taxIncluded: false }, { name: 'Hosting', price: 49.5, taxRate: 15 }];
    if (i % 2 === 0) {
      smartIds.push((await buildSmartInvoice(t.db, info, { ...(i % 4 === 0 ? { companyId: companies[i % 10]!, contactIds: [contacts[i % 10]!] } : { contactIds: [contacts[i % 30]!] }), rows, updatedTime: edited3MinAgo })).id);
    } else {
      await buildLegacyInvoice(t.db, { contactId: contacts[i % 30]!, dateUpdate: edited3MinAgo, lines: rows.map((r) => ({ name: r.name, price: r.price, quantity: r.quantity ?? 1, vatRate: 15, vatIncluded: false })) });
    }
  }

  const log = createLogger({ level: 'warn', stream: new Writable({ write(_c, _e, done) { done(); } }) });
  const gateway = gatewayForDatabase({
    clientId: sim.clientId, clientSecret: sim.clientSecret, apiUrl: `${sim.url}/api.xro/2.0`, identityUrl: sim.url,
    connectionsUrl: `${sim.url}/connections`, minuteLimit: MINUTE_LIMIT, instance: 'bench',
  }, db, { governor: { windowMs: 60_000 / K } });
  const pass = (scanOverlapSeconds?: number) =>
    runSyncPass({ db, gateway, connect: () => gateway.connect(), log }, { instance: 'bench', timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone, ...(scanOverlapSeconds !== undefined && { scanOverlapSeconds }) });

  const measure = async (label: string, work: () => Promise<unknown>) => {
    const before = sim.counters();
    const q0 = queries;
    const started = performance.now();
    const result = await work();
    const ms = performance.now() - started;
    sample();
    const after = sim.counters();
    return { label, ms, calls: after.total - before.total, writes: after.writes - before.writes, rateLimited: after.rateLimited - before.rateLimited, queries: queries - q0, result };
  };

  const first = await measure('initial push', () => pass());
  // Within the safety scan's 5-minute overlap every recent invoice is re-read from Bitrix; those not modified since
  // their push are settled without planning, so no API call. Past the window an idle pass reads next to nothing.
  const idle = await measure('idle pass (inside overlap window)', () => pass());
  const quiet = await measure('idle pass (past overlap window)', () => pass(0));
  // Edit every 10th smart invoice (one line's name), the way a Bitrix user would.
  const edited = smartIds.filter((_, i) => i % 10 === 0);
  await t.db.updateTable('b_crm_product_row').set({ PRODUCT_NAME: 'Edited service' }).where('OWNER_TYPE', '=', 'SI').where('OWNER_ID', 'in', edited).execute();
  await t.db.updateTable('b_crm_dynamic_items_31').set({ UPDATED_TIME: new Date().toISOString().slice(0, 19).replace('T', ' ') }).where('ID', 'in', edited).execute();
  const edit = await measure(`edit pass (${edited.length} invoices changed)`, () => pass());

  const simMinutes = (ms: number) => (ms * K) / 60_000;
  console.log(`push benchmark: ${INVOICES} invoices (half smart, half legacy), 30 contacts + 10 companies, simulator time ×${K}, limit ${MINUTE_LIMIT}/min`);
  console.log('phase                               real s   sim min   API calls   writes   429s   SQL queries');
  for (const m of [first, idle, quiet, edit]) {
    console.log(`${m.label.padEnd(34)} ${(m.ms / 1000).toFixed(2).padStart(7)}   ${simMinutes(m.ms).toFixed(2).padStart(7)}   ${String(m.calls).padStart(9)}   ${String(m.writes).padStart(6)}   ${String(m.rateLimited).padStart(4)}   ${String(m.queries).padStart(11)}`);
  }
  console.log(`API calls per invoice (initial push): ${(first.calls / INVOICES).toFixed(3)}`);
  console.log(`throughput (initial push): ${(INVOICES / simMinutes(first.ms)).toFixed(0)} invoices per simulated minute; ` +
    `${(first.calls / simMinutes(first.ms)).toFixed(1)} calls per simulated minute against the limit of ${MINUTE_LIMIT}`);
  console.log(`idle pass: ${quiet.queries} SQL queries and ${quiet.calls} API calls past the overlap window; ${idle.queries} queries and ${idle.calls} API calls inside it`);
  console.log(`edit pass: ${edit.calls} API calls for ${edited.length} changed invoices`);
  console.log(`429 responses in total: ${sim.counters().rateLimited}`);
  console.log(`RSS: ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB now, ${(peakRss / 2 ** 20).toFixed(0)} MiB peak`);
} finally {
  clearInterval(sampler);
  await db.destroy();
  await sim.close();
  await t.drop();
}
