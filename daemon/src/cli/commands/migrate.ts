import { withComposition } from '../../runtime/compose.ts';
import { migrate, migrationStatus } from '../../state/migrator.ts';
import { parseOptions, UsageError, writeLine, type CliCommand } from '../command.ts';

export const command: CliCommand = {
  name: 'migrate',
  summary: 'create or update the module tables (b_b24xero_*) in the Bitrix database',
  usage: 'b24xero migrate [--check] [--json] [--lock-timeout SECONDS]',
  help: [
    'options:',
    '  --check               only report: exit 1 when a migration is pending or an applied file was edited',
    '  --json                the result as JSON',
    '  --lock-timeout SECS   how long to wait for another migrator (default 60)',
    'Run it as a database account allowed to create tables (e.g. Bitrix\'s own), not the daemon\'s least-privilege one.',
  ],

  async run(ctx) {
    const options = parse(ctx.args);
    return withComposition(ctx, { connectionLimit: 2, logStream: ctx.stderr }, async ({ db }) => {
      if (options.check) {
        // Read-only: what doctor and a deploy script use to ask "is the schema current?" (exit 1 if not).
        const status = await migrationStatus(db);
        const current = status.pending.length === 0 && status.changed.length === 0 && status.unknown.length === 0;
        if (options.json) writeLine(ctx.stdout, JSON.stringify({ current, ...status }));
        else {
          for (const f of status.pending) writeLine(ctx.stdout, `pending  ${f.name}`);
          for (const f of status.changed) writeLine(ctx.stdout, `CHANGED  ${f.name} (edited after it was applied)`);
          for (const v of status.unknown) writeLine(ctx.stdout, `unknown  version ${v} (applied by a newer b24xero)`);
          if (current) writeLine(ctx.stdout, `schema is current (${status.applied.length} migrations applied)`);
        }
        return current ? 0 : 1;
      }
      const result = await migrate(db, {
        lockTimeoutSeconds: options.lockTimeout,
        onApply: options.json ? undefined : (file) => writeLine(ctx.stdout, `applying ${file.name}`),
      });
      if (options.json) writeLine(ctx.stdout, JSON.stringify(result));
      else if (result.applied.length === 0) writeLine(ctx.stdout, `schema is current (${result.alreadyApplied} migrations applied earlier)`);
      else writeLine(ctx.stdout, `applied ${result.applied.length} migration(s): ${result.applied.map((f) => f.name).join(', ')}`);
      return 0;
    });
  },
};

function parse(args: string[]): { check: boolean; json: boolean; lockTimeout: number } {
  const values = parseOptions(args, { check: { type: 'boolean' }, json: { type: 'boolean' }, 'lock-timeout': { type: 'string' } });
  const raw = values['lock-timeout'];
  const lockTimeout = raw === undefined ? 60 : Number(raw);
  if (!Number.isInteger(lockTimeout) || lockTimeout < 0) throw new UsageError(`--lock-timeout must be whole seconds, got '${raw}'`);
  return { check: values.check ?? false, json: values.json ?? false, lockTimeout };
}
