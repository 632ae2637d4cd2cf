/**
 * Makes databases for the module's PHPUnit suite out of the one Bitrix fixture (test/fixture), so the PHP tests and
 * the daemon's tests run against the same tables instead of a second copy of the DDL.
 *
 *   tsx test/module/fixture-db.ts create --label NAME [--crm 23|25] [--no-module-fields] [--migrate] [--scenario applier|ui]
 *     prints one JSON line: {"name": …, "url": …, "info": FixtureInfo, "scenario": {…ids…}}
 *   tsx test/module/fixture-db.ts drop --name DATABASE
 */
import { parseArgs } from 'node:util';
import { migrate } from '../../daemon/src/state/migrator.ts';
import { createBitrixSchema, type CrmVersion } from '../fixture/index.ts';
import { adminQuery, createTestDb } from '../helpers/test-db.ts';
import { buildApplierScenario } from './applier-scenario.ts';
import { buildUiScenario } from './ui-scenario.ts';

async function create(args: { label: string; crm: CrmVersion; moduleFields: boolean; migrate: boolean; scenario?: string }): Promise<void> {
  const t = await createTestDb(`php_${args.label}`);
  try {
    const info = await createBitrixSchema(t.db, { crm: args.crm, moduleInstalled: args.moduleFields });
    if (args.migrate) await migrate(t.db);
    const scenario = args.scenario === 'applier' ? await buildApplierScenario(t.db, info)
      : args.scenario === 'ui' ? await buildUiScenario(t.db, info) : {};
    process.stdout.write(`${JSON.stringify({ name: t.name, url: t.url, info, scenario })}\n`);
    await t.db.destroy();
  } catch (error) {
    await t.drop();
    throw error;
  }
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      label: { type: 'string', default: 'fixture' },
      crm: { type: 'string', default: '25' },
      'no-module-fields': { type: 'boolean', default: false },
      migrate: { type: 'boolean', default: false },
      scenario: { type: 'string' },
      name: { type: 'string' },
    },
  });
  const command = positionals[0];
  if (command === 'create') {
    await create({
      label: values.label!, crm: values.crm as CrmVersion, moduleFields: !values['no-module-fields'],
      migrate: values.migrate!, scenario: values.scenario,
    });
  } else if (command === 'drop') {
    if (!values.name || !/^b24xt_\w+$/.test(values.name)) throw new Error('drop needs --name of a test database (b24xt_…)');
    await adminQuery(`DROP DATABASE IF EXISTS \`${values.name}\``);
  } else {
    throw new Error('usage: fixture-db.ts create|drop …');
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exitCode = 1;
});
