/**
 * Creates a fresh Bitrix fixture database and bulk-loads smart invoices into it, printing timings.
 *
 *   npx tsx bench/load-invoices.ts --count 1000000 --db mysql://root@127.0.0.1:3306/b24x_bench [--crm 23|25]
 *     [--scan-indexes] [--replace] [--batch 100000]
 *
 * The database named in --db is created; if it already exists the script stops unless --replace is given
 * (then it is dropped first). The loaded database is kept for the other benchmarks.
 */
import { parseArgs } from 'node:util';
import { createConnection } from 'mysql2/promise';
import { connect } from '../daemon/src/db/connect.ts';
import { createBitrixSchema } from '../test/fixture/bitrix-schema.ts';
import { assertCrmVersion } from '../test/fixture/ddl/crm-version.ts';
import { loadBulkInvoices } from '../test/fixture/bulk.ts';

function fail(message: string): never {
  throw new Error(message);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      count: { type: 'string', default: '1000000' },
      db: { type: 'string', default: 'mysql://root@127.0.0.1:3306/b24x_bench' },
      crm: { type: 'string', default: '25' },
      batch: { type: 'string', default: '100000' },
      'scan-indexes': { type: 'boolean', default: false },
      replace: { type: 'boolean', default: false },
    },
  });
  const count = Number(values.count);
  const batchSize = Number(values.batch);
  const crm = assertCrmVersion(values.crm);
  const url = new URL(values.db);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_]+$/.test(database)) fail(`--db must name a database of letters, digits and _ (got ${JSON.stringify(database)})`);

  const admin = await createConnection({
    host: url.hostname, port: url.port ? Number(url.port) : 3306,
    user: decodeURIComponent(url.username) || 'root', password: decodeURIComponent(url.password),
  });
  try {
    const [rows] = await admin.query('SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [database]);
    if ((rows as unknown[]).length > 0) {
      if (!values.replace) fail(`database ${database} exists; pass --replace to drop and recreate it`);
      await admin.query(`DROP DATABASE \`${database}\``);
    }
    await admin.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await admin.end();
  }

  const db = connect<any>(url.toString(), { connectionLimit: 2 });
  try {
    const t0 = performance.now();
    const info = await createBitrixSchema(db, { crm, scanIndexes: values['scan-indexes'] });
    console.log(`schema: crm ${crm}, category ${info.smartInvoiceCategoryId}, scan indexes ${info.scanIndexes ? 'on' : 'off'} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    const result = await loadBulkInvoices(db, info, { count, batchSize, log: (line) => console.log(line) });
    console.log(`loaded ${result.invoices.toLocaleString('en')} smart invoices + ${result.productRows.toLocaleString('en')} product rows + bindings `
      + `(${result.contacts} contacts, ${result.companies} companies) in ${result.seconds.toFixed(1)} s — `
      + `${Math.round(result.invoicesPerSecond).toLocaleString('en')} invoices/s`);
    console.log(`database: ${url.toString().replace(/\/\/[^@]*@/, '//…@')}`);
  } finally {
    await db.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
