import { withComposition } from '../../runtime/compose.ts';
import { countLinks } from '../../state/links.ts';
import { countPendingInbox } from '../../state/inbox.ts';
import { migrationStatus } from '../../state/migrator.ts';
import { countOpenErrors } from '../../state/record-errors.ts';
import { listRecentRuns } from '../../state/runs.ts';
import type { StateDb } from '../../state/tables.ts';
import { parseOptions, UsageError, writeLine, type CliCommand } from '../command.ts';

export const command: CliCommand = {
  name: 'status',
  summary: 'last runs, open record errors, pending inbox and link counts',
  usage: 'b24xero status [--json] [--runs N]',

  async run(ctx) {
    const { json, runs } = parse(ctx.args);
    return withComposition(ctx, { connectionLimit: 2, logStream: ctx.stderr }, async ({ config, db }) => {
      const schema = await migrationStatus(db);
      if (schema.applied.length === 0) {
        if (json) writeLine(ctx.stdout, JSON.stringify({ instance: config.instance, schema }));
        else writeLine(ctx.stderr, "the module tables do not exist yet: run 'b24xero migrate'");
        return 1;
      }
      const state = db as StateDb;
      const report = {
        instance: config.instance,
        schema: { current: schema.pending.length === 0 && schema.changed.length === 0, ...schema },
        runs: await listRecentRuns(state, { instance: config.instance, limit: runs }),
        openErrors: await countOpenErrors(state),
        pendingInbox: await countPendingInbox(state),
        links: await countLinks(state),
      };
      if (json) {
        writeLine(ctx.stdout, JSON.stringify(report, null, 2));
        return 0;
      }
      writeLine(ctx.stdout, `instance      ${report.instance}`);
      writeLine(ctx.stdout, `schema        ${report.schema.current ? 'current' : `NOT current: pending ${schema.pending.map((f) => f.name).join(', ') || '-'}, changed ${schema.changed.map((f) => f.name).join(', ') || '-'}`}`);
      writeLine(ctx.stdout, `open errors   ${report.openErrors.error} errors, ${report.openErrors.warning} warnings`);
      writeLine(ctx.stdout, `pending inbox ${report.pendingInbox}`);
      writeLine(ctx.stdout, 'links');
      for (const [entity, byState] of Object.entries(report.links)) {
        const parts = Object.entries(byState).map(([s, n]) => `${s} ${n}`);
        writeLine(ctx.stdout, `  ${entity.padEnd(15)} ${parts.length > 0 ? parts.join(', ') : '-'}`);
      }
      writeLine(ctx.stdout, 'last runs');
      if (report.runs.length === 0) writeLine(ctx.stdout, '  (none yet)');
      for (const run of report.runs) {
        const stats = run.stats ? Object.entries(run.stats).map(([k, v]) => `${k}=${v}`).join(' ') : '';
        writeLine(ctx.stdout, `  #${run.ID} ${run.KIND} ${run.STATUS}${run.DRY_RUN === 'Y' ? ' (dry run)' : ''} started ${run.STARTED_AT} UTC ${stats}${run.ERROR ? ` error: ${run.ERROR}` : ''}`.trimEnd());
      }
      return 0;
    });
  },
};

function parse(args: string[]): { json: boolean; runs: number } {
  const values = parseOptions(args, { json: { type: 'boolean' }, runs: { type: 'string' } });
  const runs = values.runs === undefined ? 5 : Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1 || runs > 100) throw new UsageError(`--runs must be 1 to 100, got '${values.runs}'`);
  return { json: values.json ?? false, runs };
}
