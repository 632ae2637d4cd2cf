/**
 * Cold-backfill benchmark (issue 12): `npm run bench` / `npx tsx bench/backfill.ts [--invoices N] [--parties P]
 * [--products M] [--time-scale K] [--out bench/results.json]`.
 *
 * A fresh Bitrix fixture database (the bulk loader: N smart invoices over P contacts and companies, M catalog
 * products on their rows), the Xero simulator enforcing the real limits (60 calls a minute, 5 concurrent, 5,000 a
 * day) under a time scale K, and one real sync pass through the real gateway. Reports Xero calls by endpoint against
 * the floor for the work actually due (⌈invoices/50⌉ + ⌈contacts/50⌉ + ⌈items/50⌉ + 5 reference reads), time against
 * the time floor (floor calls at 60 a minute), 429s, SQL queries per invoice, peak RSS, and the same work replayed by
 * a naive per-record strategy (one look-up and one create per record). Figures are printed, never asserted.
 */
import { writeFile } from 'node:fs/promises';
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
import { loadBulkInvoices } from '../test/fixture/bulk.ts';
import { buildProduct } from '../test/fixture/builders/product.ts';
import { naiveDateTime } from '../test/fixture/builders/naive-time.ts';
import { startSimulator } from '../test/sim/index.ts';

export interface BackfillFigures {
  invoices: number; parties: number; products: number; timeScale: number;
  due: { invoices: number; contacts: number; items: number };
  calls: number; callsByEndpoint: Record<string, number>; floorCalls: number; floorRatio: number; callsPerInvoice: number;
  simMinutes: number; floorMinutes: number; timeFloorRatio: number; realSeconds: number;
  rateLimited429: number; sqlQueries: number; sqlPerInvoice: number; peakRssMiB: number; cpuSeconds: number;
  naive: { calls: number; simHours: number; days: number; ratioToFloor: number };
  failed: number;
  /** Bitrix invoices with more than one Xero copy, and those neither in Xero, failed with a stored error, nor left out. */
  duplicates: number;
  lost: number;
}

const MINUTE_LIMIT = 60;
const DAILY = 5000;
const REFERENCE_READS = 5;

export async function runBackfillBench(o: { invoices: number; parties: number; products: number; timeScale: number; log?: (line: string) => void }): Promise<BackfillFigures> {
  const log = o.log ?? (() => {});
  const t = await createTestDb('bench_backfill');
  const sim = await startSimulator({ port: 0, seed: 1, timeScale: o.timeScale, requestLogLimit: 100 });
  let queries = 0;
  const db = new Kysely<any>({
    dialect: new MysqlDialect({ pool: createPoolFromUrl(t.url, { connectionLimit: 4 }) }),
    log: (event) => { if (event.level === 'query') queries++; },
  });
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 50);
  try {
    const info = await createBitrixSchema(t.db);
    await migrate(t.db);
    // The bulk loader's contacts: 4 per company, so P parties = 0.8 P contacts + 0.2 P companies.
    await loadBulkInvoices(t.db, info, { count: o.invoices, contacts: Math.round(o.parties * 0.8), now: naiveDateTime(), spanDays: 20 });
    const productIds: number[] = [];
    for (let i = 0; i < o.products; i++) productIds.push((await buildProduct(t.db, { name: `Bench product ${i}`, price: 10 + i })).productId);
    if (productIds.length > 0) {
      await t.db.updateTable('b_crm_product_row').set((eb) => ({
        PRODUCT_ID: eb(eb.val(productIds[0]!), '+', eb('OWNER_ID', '%', productIds.length)),
      })).where('OWNER_TYPE', '=', 'SI').execute();
    }
    log(`loaded ${o.invoices} invoices, ${o.parties} parties, ${o.products} products`);

    const quiet = createLogger({ level: 'error', stream: new Writable({ write(_c, _e, done) { done(); } }) });
    const gateway = gatewayForDatabase({
      clientId: sim.clientId, clientSecret: sim.clientSecret, apiUrl: `${sim.url}/api.xro/2.0`, identityUrl: sim.url,
      connectionsUrl: `${sim.url}/connections`, minuteLimit: MINUTE_LIMIT, dailyBudget: DAILY, instance: 'bench-backfill',
    }, db, { governor: { windowMs: 60_000 / o.timeScale } });
    const q0 = queries;
    const cpu0 = process.cpuUsage();
    const started = performance.now();
    const result = await runSyncPass({ db, gateway, connect: () => gateway.connect(), log: quiet }, { instance: 'bench-backfill', timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone });
    const realMs = performance.now() - started;
    const cpu = process.cpuUsage(cpu0);
    const sqlQueries = queries - q0;
    const counters = sim.counters();
    const byRoute: Record<string, number> = {};
    for (const tenant of Object.values(counters.byTenant)) for (const [route, n] of Object.entries(tenant.byRoute)) byRoute[route] = (byRoute[route] ?? 0) + n;
    const due = { invoices: result.stats.created, contacts: result.stats.contactsCreated, items: result.stats.itemsPushed };
    const floorCalls = Math.ceil(due.invoices / 50) + Math.ceil(due.contacts / 50) + Math.ceil(due.items / 50) + REFERENCE_READS;
    const calls = counters.total;
    const simMinutes = (realMs * o.timeScale) / 60_000;
    const floorMinutes = floorCalls / MINUTE_LIMIT;
    // Naive: per record a look-up then a create, plus the reference reads; 60 a minute, 5,000 a day.
    const naiveCalls = 2 * (due.invoices + due.contacts + due.items) + REFERENCE_READS;
    const naiveDays = Math.ceil(naiveCalls / DAILY);
    const naiveHours = naiveCalls / MINUTE_LIMIT / 60 + (naiveDays - 1) * 24 * (1 - DAILY / MINUTE_LIMIT / 60 / 24);
    const state = sim.tenantAdmin(sim.defaultTenantId, 'state', 'GET', undefined).body as { invoices: Array<{ Kind: string; Reference?: string }> };
    const copies = new Map<string, number>();
    for (const inv of state.invoices) {
      const key = /^B24-SI-\d+/.exec(inv.Reference ?? '')?.[0];
      if (inv.Kind === 'INVOICE' && key) copies.set(key, (copies.get(key) ?? 0) + 1);
    }
    const duplicates = [...copies.values()].filter((n) => n > 1).length;
    const lost = o.invoices - (copies.size + result.stats.failed + result.stats.skipped);
    return {
      duplicates, lost: Math.max(0, lost),
      invoices: o.invoices, parties: o.parties, products: o.products, timeScale: o.timeScale, due,
      calls, callsByEndpoint: byRoute, floorCalls, floorRatio: round(calls / floorCalls, 3), callsPerInvoice: round(calls / Math.max(1, due.invoices), 4),
      simMinutes: round(simMinutes, 2), floorMinutes: round(floorMinutes, 2), timeFloorRatio: round(simMinutes / floorMinutes, 3), realSeconds: round(realMs / 1000, 1),
      rateLimited429: counters.rateLimited, sqlQueries, sqlPerInvoice: round(sqlQueries / o.invoices, 2), peakRssMiB: Math.round(peakRss / 2 ** 20),
      cpuSeconds: round((cpu.user + cpu.system) / 1e6, 1),
      naive: { calls: naiveCalls, simHours: round(naiveHours, 1), days: naiveDays, ratioToFloor: round(naiveCalls / floorCalls, 1) },
      failed: result.stats.failed,
    };
  } finally {
    clearInterval(sampler);
    await db.destroy();
    await sim.close();
    await t.drop();
  }
}

const round = (x: number, dp: number): number => Math.round(x * 10 ** dp) / 10 ** dp;

export function printFigures(f: BackfillFigures): void {
  console.log(`cold backfill: ${f.invoices.toLocaleString('en')} invoices, ${f.parties} parties, ${f.products} products; simulator ×${f.timeScale}, ${MINUTE_LIMIT}/min, ${DAILY}/day`);
  console.log(`due: ${f.due.invoices} invoices, ${f.due.contacts} contacts, ${f.due.items} items (${f.failed} records failed); duplicates ${f.duplicates}, lost ${f.lost}`);
  console.log('endpoint                              calls');
  for (const [route, n] of Object.entries(f.callsByEndpoint).sort((a, b) => b[1] - a[1])) console.log(`  ${route.padEnd(36)}${String(n).padStart(6)}`);
  console.log('figure                 daemon      floor      naive');
  console.log(`Xero calls          ${String(f.calls).padStart(8)}   ${String(f.floorCalls).padStart(8)}   ${String(f.naive.calls).padStart(8)}`);
  console.log(`  ratio to floor    ${f.floorRatio.toFixed(3).padStart(8)}   ${'1.000'.padStart(8)}   ${f.naive.ratioToFloor.toFixed(1).padStart(8)}`);
  console.log(`sim minutes         ${f.simMinutes.toFixed(2).padStart(8)}   ${f.floorMinutes.toFixed(2).padStart(8)}   ${(f.naive.simHours * 60).toFixed(0).padStart(8)}`);
  console.log(`  ratio to floor    ${f.timeFloorRatio.toFixed(3).padStart(8)}   ${'1.000'.padStart(8)}   ${(f.naive.simHours * 60 / f.floorMinutes).toFixed(1).padStart(8)}`);
  console.log(`429s: ${f.rateLimited429}; SQL queries: ${f.sqlQueries} (${f.sqlPerInvoice} per invoice); peak RSS ${f.peakRssMiB} MiB (bench process: daemon pass + simulator + tsx); CPU ${f.cpuSeconds} s; real ${f.realSeconds} s`);
  console.log('pull figures (bench/pull.ts): see below when present');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: {
    invoices: { type: 'string' }, parties: { type: 'string' }, products: { type: 'string' }, 'time-scale': { type: 'string' }, out: { type: 'string' },
  } });
  const figures = await runBackfillBench({
    invoices: Number(values.invoices ?? 10_000), parties: Number(values.parties ?? 2_000), products: Number(values.products ?? 300),
    timeScale: Number(values['time-scale'] ?? 10), log: (line) => console.log(line),
  });
  printFigures(figures);
  const out = values.out ?? 'bench/results.json';
  await writeFile(out, `${JSON.stringify({ measuredAt: new Date().toISOString(), machine: '2 shared CPU cores (6 other engineers working)', ...figures }, null, 2)}\n`);
  console.log(`wrote ${out}`);
}
