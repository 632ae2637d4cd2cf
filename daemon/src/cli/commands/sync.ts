import type { Writable } from 'node:stream';
import { withComposition } from '../../runtime/compose.ts';
import { runSyncPass, type PassResult } from '../../sync/pass.ts';
import { InstanceLockedError } from '../../sync/push/instance-lock.ts';
import { OrgUnavailableError } from '../../sync/push/org-loader.ts';
import { XeroUnavailableError } from '../../sync/push/tenant-outage.ts';
import { XeroAccessError } from '../../xero/index.ts';
import { formatDiff } from '../../sync/plan/index.ts';
import { schemaIsCurrent } from '../schema-check.ts';
import { parseOptions, UsageError, writeLine, type CliCommand } from '../command.ts';

/** Exit code when another process holds the instance lock: the pass did not run, and trying later will work. */
export const EXIT_LOCKED = 3;

export const command: CliCommand = {
  name: 'sync',
  summary: 'one full sync pass (change feed + safety scan + push to Xero, then what changed in Xero back to Bitrix); --dry-run shows the plan only',
  usage: 'b24xero sync --once [--dry-run] [--json] [--all-products] [--push-only]',
  help: [
    'options:',
    '  --once          required: one pass, then exit (the long-running daemon is `b24xero run`)',
    '  --dry-run       show the plan with field-level diffs; no Xero write, no state change',
    '  --json          the summary (or plan) as JSON on stdout; log lines stay on stderr',
    '  --all-products  also make every catalog product a Xero Item (default: only products used on invoices)',
    '  --push-only     leave out the pull at the end (Xero statuses, amounts due and payments back to Bitrix)',
    'Exit codes: 0 the pass ran (per-record failures are reported, not fatal), 1 it could not run or Xero refused',
    'the tenant part-way (what was pushed is kept), 2 bad usage, 3 another process holds the portal\'s lock.',
  ],

  async run(ctx) {
    const options = parse(ctx.args);
    // Log lines go to stderr here: stdout carries the summary (and must stay parseable with --json).
    return withComposition(ctx, { requireXero: true, logStream: ctx.stderr }, async (app) => {
      const { config, db } = app;
      if (!(await schemaIsCurrent(db, ctx.stderr, 'sync'))) return 1;
      let result: PassResult;
      try {
        result = await runSyncPass(
          app.passDeps(),
          { instance: config.instance, dryRun: options.dryRun, allProducts: options.allProducts, timeZone: config.bitrixTimezone, pull: !options.pushOnly },
        );
      } catch (error) {
        if (error instanceof InstanceLockedError) {
          writeLine(ctx.stderr, `b24xero sync: ${error.message}`);
          return EXIT_LOCKED;
        }
        if (error instanceof XeroAccessError) {
          writeLine(ctx.stderr, `b24xero sync: the pass did not run: ${error.message}`);
          return 1;
        }
        if (error instanceof OrgUnavailableError) {
          writeLine(ctx.stderr, `b24xero sync: the pass did not run: ${error.message}`);
          return 1;
        }
        if (error instanceof XeroUnavailableError) {
          writeLine(ctx.stderr, `b24xero sync: ${error.message} (what was pushed is kept; the next pass continues from there)`);
          return 1;
        }
        throw error;
      }
      if (options.json) writeLine(ctx.stdout, JSON.stringify(jsonSummary(result)));
      else printSummary(ctx.stdout, result);
      // Per-record failures are reported, not fatal: the pass ran (ARCHITECTURE "Commands").
      return 0;
    });
  },
};

function jsonSummary(result: PassResult): Record<string, unknown> {
  const plan = result.dryRun ? result.plan : result.plan.filter((e) => e.action === 'error' || e.action === 'conflict');
  return { runId: result.runId, dryRun: result.dryRun, stats: result.stats, settingsProblems: result.settingsProblems, [result.dryRun ? 'plan' : 'problems']: plan };
}

function printSummary(out: Writable, result: PassResult): void {
  const s = result.stats;
  writeLine(out, `${result.dryRun ? 'dry run' : 'sync'} #${result.runId}: ${s.created} created, ${s.updated} updated, ${s.unchanged} unchanged, ` +
    `${s.skipped} skipped, ${s.conflicts} conflicts, ${s.failed} failed, ${s.recovered} recovered; ` +
    `contacts ${s.contactsCreated} created / ${s.contactsUpdated} updated, items ${s.itemsPushed}; ` +
    `${result.pulled ? `${s.pulled} ${result.dryRun ? 'would be queued' : 'queued'} for Bitrix from Xero; ` : ''}${s.apiCalls} Xero API calls`);
  for (const problem of result.settingsProblems) writeLine(out, `  option: ${problem.message}`);
  for (const entry of result.plan) {
    if (!result.dryRun && entry.action !== 'error' && entry.action !== 'conflict') continue;
    if (result.dryRun && entry.action === 'unchanged') continue;
    writeLine(out, `  ${entry.action.padEnd(9)} ${entry.entity} ${entry.id}${entry.reason ? `: ${entry.reason}` : ''}`);
    for (const line of formatDiff(entry.changes ?? [])) writeLine(out, `      ${line}`);
  }
}

function parse(args: string[]): { dryRun: boolean; json: boolean; allProducts: boolean; pushOnly: boolean } {
  const values = parseOptions(args, { once: { type: 'boolean' }, 'dry-run': { type: 'boolean' }, json: { type: 'boolean' }, 'all-products': { type: 'boolean' }, 'push-only': { type: 'boolean' } });
  // The long-running loop is `b24xero run`; this command only ever does one pass, and says so explicitly.
  if (!values.once) throw new UsageError("sync runs one pass and needs --once (the scheduled daemon is 'b24xero run')");
  return { dryRun: values['dry-run'] ?? false, json: values.json ?? false, allProducts: values['all-products'] ?? false, pushOnly: values['push-only'] ?? false };
}
