/**
 * Change-detection benchmark: with N smart invoices (default 1,000,000, loaded by the fixture's bulk loader) it prints
 *  - the idle change-feed pass (claimChanges on an empty b_b24xero_change), the cost paid every few seconds;
 *  - the safety scan without and then with the optional (UPDATED_TIME, ID) index: one page query, a steady-state pass
 *    (cursor 15 minutes behind, default overlap) and, with the index, a full first pass.
 * Figures are printed, not asserted (machines differ).
 *
 *   npx tsx bench/scan.ts [--count 1000000] [--keep] [--reuse]
 *
 * BENCH_DB_URL (default TEST_DB_URL, else mysql://root@127.0.0.1:3306/) names the server; the database
 * b24x_bench_scan is created (dropped first unless --reuse finds it loaded) and dropped at the end unless --keep.
 */
import { sql, type Kysely } from 'kysely';
import { createConnection } from 'mysql2/promise';
import { datedPageQuery, scanChanged, type ScanPosition } from '../daemon/src/bitrix/scan.ts';
import { shiftNaive } from '../daemon/src/bitrix/bitrix-time.ts';
import { connect } from '../daemon/src/db/connect.ts';
import { claimChanges, completeChanges, newClaimerId } from '../daemon/src/state/change-feed.ts';
import { migrate } from '../daemon/src/state/migrator.ts';
import { addScanIndexes, createBitrixSchema, SCAN_INDEXES, type FixtureInfo } from '../test/fixture/bitrix-schema.ts';
import { loadBulkInvoices } from '../test/fixture/bulk.ts';

const DATABASE = 'b24x_bench_scan';
/** The bulk loader's default "now": the newest UPDATED_TIME. */
const BULK_NOW = '2025-06-30 18:00:00';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? undefined : process.argv[i + 1];
}
const flag = (name: string) => process.argv.includes(`--${name}`);

function serverUrl(): URL {
  return new URL(process.env.BENCH_DB_URL ?? process.env.TEST_DB_URL ?? 'mysql://root@127.0.0.1:3306/');
}

async function admin(statement: string): Promise<void> {
  const u = serverUrl();
  const conn = await createConnection({
    host: u.hostname, port: u.port ? Number(u.port) : 3306,
    user: decodeURIComponent(u.username) || 'root', password: decodeURIComponent(u.password),
  });
  try { await conn.query(statement); } finally { await conn.end(); }
}

/** DROP INDEX IF EXISTS is MariaDB-only; MySQL 8.0 needs the catalogue check. */
async function dropIndexIfPresent(db: Kysely<any>, table: string, name: string): Promise<void> {
  const { rows } = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM information_schema.statistics
    WHERE table_schema = DATABASE() AND table_name = ${table} AND index_name = ${name}`.execute(db);
  if (Number(rows[0]?.n) > 0) await sql.raw(`DROP INDEX ${name} ON ${table}`).execute(db);
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
}

function stats(samples: number[]): string {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return `median ${q(0.5).toFixed(2)} ms, p95 ${q(0.95).toFixed(2)} ms, max ${s[s.length - 1]!.toFixed(2)} ms (${s.length} runs)`;
}

async function scanPass(db: Kysely<any>, cursor: ScanPosition | null, limit: number) {
  let rows = 0;
  let pages = 0;
  const { ms } = await timed(async () => {
    for await (const page of scanChanged(db, 'smart_invoice', cursor, { limit, overlapSeconds: 300 })) {
      rows += page.rows.length;
      pages++;
    }
  });
  return `${ms < 10_000 ? `${ms.toFixed(1)} ms` : `${(ms / 1000).toFixed(1)} s`}, ${rows.toLocaleString('en')} rows in ${pages} pages`;
}

async function measureScan(db: Kysely<any>, label: string, fullPass: boolean): Promise<void> {
  const steady: ScanPosition = { time: shiftNaive(BULK_NOW, -15 * 60), id: 0 };
  const explain = await db.executeQuery<{ type: string; key: string | null; rows: number }>(
    { ...datedPageQuery(db, 'smart_invoice', steady, 500), sql: `EXPLAIN ${datedPageQuery(db, 'smart_invoice', steady, 500).sql}` },
  );
  const plan = explain.rows[0]!;
  console.log(`\nsafety scan, ${label}: EXPLAIN type=${plan.type} key=${plan.key ?? 'NULL'} rows≈${plan.rows}`);
  const page: number[] = [];
  for (let i = 0; i < 3; i++) {
    const q = datedPageQuery(db, 'smart_invoice', steady, 500);
    page.push((await timed(() => db.executeQuery(q))).ms);
  }
  console.log(`  one page (500 rows after a cursor): ${stats(page)}`);
  console.log(`  steady-state pass (cursor 15 min behind, overlap 300 s, pages of 500): ${await scanPass(db, steady, 500)}`);
  console.log(`  steady-state pass, pages of 5,000: ${await scanPass(db, steady, 5000)}`);
  if (fullPass) console.log(`  first pass over everything (cursor none, pages of 5,000): ${await scanPass(db, null, 5000)}`);
}

async function main(): Promise<void> {
  const count = Number(arg('count') ?? 1_000_000);
  const u = serverUrl();
  u.pathname = `/${DATABASE}`;
  let db: Kysely<any> | undefined;
  try {
    let info: FixtureInfo | null = null;
    if (flag('reuse')) {
      await admin(`CREATE DATABASE IF NOT EXISTS \`${DATABASE}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
      db = connect<any>(u.toString(), { connectionLimit: 4 });
      const { rows } = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = ${DATABASE} AND table_name = 'b_crm_dynamic_items_31'`.execute(db);
      if (Number(rows[0]?.n) === 0) { await db.destroy(); db = undefined; }
    }
    if (!db) {
      await admin(`DROP DATABASE IF EXISTS \`${DATABASE}\``);
      await admin(`CREATE DATABASE \`${DATABASE}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
      db = connect<any>(u.toString(), { connectionLimit: 4 });
      info = await createBitrixSchema(db, { scanIndexes: false });
      await migrate(db);
      console.log(`loading ${count.toLocaleString('en')} smart invoices…`);
      const load = await loadBulkInvoices(db, info, { count, now: BULK_NOW, log: (line) => console.log(`  ${line}`) });
      console.log(`loaded in ${load.seconds.toFixed(1)} s (${Math.round(load.invoicesPerSecond).toLocaleString('en')} invoices/s)`);
      await sql`ANALYZE TABLE b_crm_dynamic_items_31`.execute(db);
    }
    const { rows } = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM b_crm_dynamic_items_31`.execute(db);
    console.log(`\n${Number(rows[0]!.n).toLocaleString('en')} smart invoices in ${DATABASE}; server ${(await sql<{ v: string }>`SELECT VERSION() AS v`.execute(db)).rows[0]!.v}`);

    // The change feed is empty: this is what the daemon pays every few seconds when nothing happens.
    await sql`DELETE FROM b_b24xero_change`.execute(db);
    const claimer = newClaimerId('bench');
    const idle: number[] = [];
    for (let i = 0; i < 300; i++) idle.push((await timed(() => claimChanges(db!, { claimer }))).ms);
    console.log(`\nidle change-feed pass (empty feed): ${stats(idle)}`);

    // A backlog, e.g. after a mass import through the UI: claim pages of 200 and complete them.
    await sql.raw(`INSERT INTO b_b24xero_change (ENTITY_TYPE, ENTITY_ID, ACTION, CREATED_AT)
      SELECT 'smart_invoice', ID, 'update', UTC_TIMESTAMP(3) FROM b_crm_dynamic_items_31 ORDER BY ID LIMIT 100000`).execute(db);
    await sql`ANALYZE TABLE b_b24xero_change`.execute(db);
    const busy: number[] = [];
    let drained = 0;
    const drain = await timed(async () => {
      for (;;) {
        const t = performance.now();
        const claim = await claimChanges(db!, { claimer, limit: 200 });
        busy.push(performance.now() - t);
        if (claim.changeIds.length === 0) break;
        drained += await completeChanges(db!, claim.claimer, claim.changeIds);
      }
    });
    console.log(`claiming a backlog of 100,000 changes, 200 at a time: ${stats(busy)}; drained ${drained.toLocaleString('en')} in ${(drain.ms / 1000).toFixed(1)} s (claim + complete)`);

    // A --reuse run may find the optional indexes from last time: start from a stock portal.
    for (const { table, name } of Object.values(SCAN_INDEXES)) await dropIndexIfPresent(db, table, name);
    await measureScan(db, 'stock portal, no (UPDATED_TIME, ID) index', false);

    const add = await timed(() => addScanIndexes(db!));
    console.log(`\nadding the optional indexes took ${(add.ms / 1000).toFixed(1)} s`);
    await sql`ANALYZE TABLE b_crm_dynamic_items_31`.execute(db);
    await measureScan(db, 'with the (UPDATED_TIME, ID) index', true);
  } finally {
    await db?.destroy();
    if (!flag('keep')) await admin(`DROP DATABASE IF EXISTS \`${DATABASE}\``);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
