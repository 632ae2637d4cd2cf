import type { Writable } from 'node:stream';
import { calendarDate } from '../../config/settings.ts';
import { withComposition } from '../../runtime/compose.ts';
import { runBackfill, type BackfillProgress, type BackfillResult } from '../../sync/backfill/run-backfill.ts';
import { InstanceLockedError } from '../../sync/push/instance-lock.ts';
import { OrgUnavailableError } from '../../sync/push/org-loader.ts';
import { XeroAccessError } from '../../xero/index.ts';
import { schemaIsCurrent } from '../schema-check.ts';
import { parseOptions, UsageError, writeLine, type CliCommand } from '../command.ts';
import { EXIT_LOCKED } from './sync.ts';

/** EX_TEMPFAIL: Xero's daily budget ran out part-way; what is done is kept and the same command resumes. */
export const EXIT_BUDGET = 75;

export const command: CliCommand = {
  name: 'backfill',
  summary: 'bring the portal\'s invoice history across once: link what Xero already has, create the open rest, list the closed rest',
  usage: 'b24xero backfill [--since YYYY-MM-DD] [--dry-run] [--again] [--json]',
  help: [
    'options:',
    '  --since DATE  invoices dated on or after DATE (invoice date, else creation day); default: the whole history',
    '  --dry-run     read Xero\'s contacts and invoices and show what would be linked, created and listed; no write',
    '  --again       run over invoices a finished backfill of the same --since already covered',
    '  --json        the summary as JSON on stdout (progress stays on stderr)',
    'Ongoing sync never creates history (invoices changed before the start line, or closed in Bitrix); this does,',
    'on purpose. It first reads the organisation\'s contacts and sales invoices in pages of 100 and links what exists:',
    'contacts by ContactNumber, name, then email; invoices by our Reference, XML_ID, or the same number with the same',
    'contact and total. The same number with other content is an error for a person (`b24xero status`). Invoices',
    'closed in Bitrix (paid, declined) and not in Xero are listed, never created as drafts.',
    'Stop the daemon first (`systemctl stop b24xero@<portal>`): one process per portal. Resumable after a crash.',
    'Exit codes: 0 done, 1 failed, 2 bad usage, 3 another process holds the portal\'s lock,',
    `${EXIT_BUDGET} Xero's daily call budget is spent (run it again after the reset shown).`,
  ],

  async run(ctx) {
    const options = parse(ctx.args);
    return withComposition(ctx, { requireXero: true, logStream: ctx.stderr }, async (app) => {
      const { config, db } = app;
      if (!(await schemaIsCurrent(db, ctx.stderr, 'backfill'))) return 1;
      const gateway = app.gateway();
      let result: BackfillResult;
      try {
        result = await runBackfill(app.passDeps(), {
          instance: config.instance, since: options.since, dryRun: options.dryRun, again: options.again, timeZone: config.bitrixTimezone,
          onProgress: (p) => writeLine(ctx.stderr, progressLine(p)),
          budget: async () => {
            const s = await gateway.stats();
            return { used: s.dayUsed, cap: s.dayCap };
          },
        });
      } catch (error) {
        if (error instanceof InstanceLockedError) {
          writeLine(ctx.stderr, `b24xero backfill: ${error.message} — stop the daemon (systemctl stop b24xero@<portal>) for the backfill, then start it again`);
          return EXIT_LOCKED;
        }
        if (error instanceof XeroAccessError || error instanceof OrgUnavailableError) {
          writeLine(ctx.stderr, `b24xero backfill: did not run: ${error.message}`);
          return 1;
        }
        throw error;
      }
      if (options.json) writeLine(ctx.stdout, JSON.stringify(result));
      else printSummary(ctx.stdout, result);
      if (result.stopped) {
        writeLine(ctx.stderr, `b24xero backfill: stopped: ${result.stopped.message}. What is done is kept; run the same command again` +
          `${result.stopped.retryAt ? ` after ${result.stopped.retryAt}` : ' later'} to resume.`);
        return EXIT_BUDGET;
      }
      return 0;
    });
  },
};

export function progressLine(p: BackfillProgress): string {
  const width = 24;
  const share = p.total === 0 ? 1 : p.done / p.total;
  const bar = '#'.repeat(Math.round(share * width)).padEnd(width, '.');
  const eta = p.etaSeconds === null ? 'ETA unknown' : `ETA ${formatDuration(p.etaSeconds)}`;
  const budget = p.budget ? ` · budget ${p.budget.used}/${p.budget.cap} today` : '';
  return `backfill: [${bar}] ${p.done}/${p.total} invoices (${Math.round(share * 100)} %) · ${p.calls} calls · ${eta}${budget}`;
}

function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

function printSummary(out: Writable, r: BackfillResult): void {
  const since = r.since ? `since ${r.since}` : 'whole history';
  if (r.alreadyDone) {
    writeLine(out, `backfill (${since}) already finished: nothing to do (--again runs it anew)`);
    return;
  }
  const s = r.stats;
  const verb = r.dryRun ? 'would be ' : '';
  if (r.xero) writeLine(out, `Xero holds ${r.xero.contacts} contacts and ${r.xero.invoices} sales invoices (read in ${r.xero.readCalls} calls)`);
  if (r.estimate) writeLine(out, `estimated at most ${r.estimate.total} Xero calls (${r.estimate.read} to read, ${r.estimate.writes} to write)`);
  const contactCreates = r.dryRun ? r.plan.filter((e) => e.action === 'create' && (e.entity === 'company' || e.entity === 'contact')).length : s.contactsCreated;
  const invoiceCreates = r.dryRun ? r.plan.filter((e) => e.action === 'create' && e.entity.endsWith('invoice')).length : s.created;
  writeLine(out, `backfill${r.dryRun ? ' dry run' : ''} #${r.runId} (${since}): ${r.total} invoices; ${s.linked} ${verb}linked (already in Xero), ` +
    `${invoiceCreates} ${verb}created, ${r.closedNotInXero.length} closed and not in Xero (listed, not created), ` +
    `${r.needsPerson.length} need a person, ${r.alreadyLinked} already linked, ${s.failed - r.needsPerson.length} other failures; ` +
    `contacts ${contactCreates} ${verb}created; ${s.apiCalls} Xero API calls`);
  for (const c of r.closedNotInXero) writeLine(out, `  closed    ${c.entity} ${c.id}${c.number ? ` (${c.number})` : ''}: not in Xero, not created`);
  for (const n of r.needsPerson) writeLine(out, `  person    ${n.entity} ${n.id}: ${n.code}: ${n.message}`);
  for (const e of r.plan) {
    if (e.action === 'unchanged' || e.action === 'skip') continue;
    if (e.action === 'error' && r.needsPerson.some((n) => n.entity === e.entity && n.id === e.id)) continue;
    writeLine(out, `  ${e.action.padEnd(9)} ${e.entity} ${e.id}${e.reason ? `: ${e.reason}` : ''}`);
  }
}

function parse(args: string[]): { since: string | null; dryRun: boolean; again: boolean; json: boolean } {
  const values = parseOptions(args, { since: { type: 'string' }, 'dry-run': { type: 'boolean' }, again: { type: 'boolean' }, json: { type: 'boolean' } });
  let since: string | null = null;
  if (values.since !== undefined) {
    try {
      since = calendarDate(values.since);
    } catch (error) {
      throw new UsageError(`--since ${(error as Error).message}`);
    }
  }
  return { since, dryRun: values['dry-run'] ?? false, again: values.again ?? false, json: values.json ?? false };
}
