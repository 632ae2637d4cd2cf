/**
 * Contact import benchmark (issue 12 item 1, "import of 10,000 Xero contacts"): prints figures, asserts nothing
 * (`npx tsx bench/contacts.ts [--contacts N] [--apply]`). A real MariaDB database (the Bitrix fixture + module tables)
 * and the Xero simulator over HTTP through the real gateway at the real 60-a-minute limit (time-scaled): a Xero book
 * of N contacts (persons, and companies with 0–3 people) is pulled in full, then again (nothing new); `--apply` also
 * runs the module's PHP applier over the import rows and times it.
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { Writable } from 'node:stream';
import { Kysely, MysqlDialect } from 'kysely';
import { readSettings } from '../daemon/src/config/settings.ts';
import { createPoolFromUrl } from '../daemon/src/db/connect.ts';
import { migrate } from '../daemon/src/state/migrator.ts';
import { createLogger } from '../daemon/src/runtime/logger.ts';
import { gatewayForDatabase } from '../daemon/src/runtime/compose.ts';
import { pullContacts } from '../daemon/src/sync/pull/contact-pull.ts';
import type { StateDb } from '../daemon/src/state/tables.ts';
import { createTestDb } from '../test/helpers/test-db.ts';
import { createBitrixSchema } from '../test/fixture/bitrix-schema.ts';
import { startSimulator } from '../test/sim/index.ts';

const { values } = parseArgs({ options: { contacts: { type: 'string' }, apply: { type: 'boolean' } } });
const N = Number(values.contacts ?? 10_000);
const K = 60; // simulator time scale

const t = await createTestDb('bench_contacts');
const sim = await startSimulator({ port: 0, seed: 1, timeScale: K });
let queries = 0;
const db = new Kysely<any>({
  dialect: new MysqlDialect({ pool: createPoolFromUrl(t.url, { connectionLimit: 4 }) }),
  log: (event) => { if (event.level === 'query') queries++; },
});
try {
  await createBitrixSchema(t.db);
  await migrate(t.db);
  const log = createLogger({ level: 'error', stream: new Writable({ write(_c, _e, done) { done(); } }) });
  const gateway = gatewayForDatabase({
    clientId: sim.clientId, clientSecret: sim.clientSecret, apiUrl: `${sim.url}/api.xro/2.0`, identityUrl: sim.url,
    connectionsUrl: `${sim.url}/connections`, minuteLimit: 60, instance: 'bench',
  }, db, { governor: { windowMs: 60_000 / K } });
  const tenant = await gateway.connect();
  for (let i = 0; i < N; i++) {
    const persons = Array.from({ length: i % 4 }, (_, j) => ({ FirstName: `P${j}`, LastName: `Org${i}`, EmailAddress: `p${j}.${i}@org.example` }));
    const body = i % 2 === 0
      ? { Name: `First${i} Last${i}`, FirstName: `First${i}`, LastName: `Last${i}`, EmailAddress: `c${i}@people.example` }
      : { Name: `Organisation ${i} Ltd`, FirstName: `Boss${i}`, LastName: `Org${i}`, ContactPersons: persons };
    sim.tenantAdmin(tenant, 'contacts', 'POST', body);
  }
  const ctx = { db, state: db as StateDb, gateway, settings: (await readSettings(db)).settings, tenantId: tenant, dryRun: false, log };
  const run = async () => {
    const calls0 = sim.counters().total;
    const q0 = queries;
    const started = performance.now();
    const summary = await pullContacts(ctx);
    return { summary, calls: sim.counters().total - calls0, seconds: (performance.now() - started) / 1000, sql: queries - q0 };
  };
  const first = await run();
  const rss = process.memoryUsage().rss / 2 ** 20;
  const second = await run();
  const floor = Math.ceil((N + 1) / 100);
  console.log(`contact import benchmark: ${N} Xero contacts (half persons, half companies with 0–3 people); simulator ×${K}, 60 calls/min`);
  console.log(`first import: ${first.calls} Xero calls (floor ⌈N/100⌉ = ${floor}, ratio ${(first.calls / floor).toFixed(2)}), ${first.summary.imported} import rows queued, ` +
    `${first.seconds.toFixed(1)} s (${(N / first.seconds).toFixed(0)} contacts/s), ${(first.sql / N).toFixed(1)} SQL queries per contact, peak RSS ${rss.toFixed(0)} MiB`);
  console.log(`second run: ${second.calls} Xero calls, ${second.summary.imported} imported, ${second.summary.queued} queued, ${second.seconds.toFixed(1)} s`);
  if (values.apply) {
    const started = performance.now();
    let applied = 0;
    for (;;) {
      const r = spawnSync('php', ['bitrix-module/tests/bin/apply-fixture.php', t.url, '--limit=1000'], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
      if (r.status !== 0) throw new Error(`php applier: ${r.stderr}`);
      const report = JSON.parse(r.stdout) as { applied: number };
      applied += report.applied;
      if (report.applied === 0) break;
    }
    const seconds = (performance.now() - started) / 1000;
    const linked = await pullContacts(ctx);
    console.log(`PHP applier: ${applied} rows in ${seconds.toFixed(1)} s (${(applied / seconds).toFixed(0)} rows/s); then ${linked.linked} links made`);
  }
} finally {
  await db.destroy();
  await sim.close();
  await t.drop();
}
