import type { Writable } from 'node:stream';
import { withComposition } from '../../runtime/compose.ts';
import { webhooksEnabled } from '../../runtime/jobs.ts';
import { changeFeedBacklog, changeFeedLagSeconds } from '../../state/change-feed.ts';
import { budgetUsedToday } from '../../state/governor-budget.ts';
import { countPendingInbox } from '../../state/inbox.ts';
import { countLinks } from '../../state/links.ts';
import { migrationStatus } from '../../state/migrator.ts';
import { countOpenErrors } from '../../state/record-errors.ts';
import { listRecentRuns } from '../../state/runs.ts';
import { listOpenProblems, webhookHealth, type WebhookHealth } from '../../state/status-report.ts';
import type { RecordErrorRow, StateDb } from '../../state/tables.ts';
import { parseOptions, UsageError, writeLine, type CliCommand } from '../command.ts';

export const command: CliCommand = {
  name: 'status',
  summary: 'last runs, open errors and conflicts, pending inbox, budget, change-feed lag, webhook health',
  usage: 'b24xero status [--json] [--runs N] [--limit N]',
  help: [
    'options:',
    '  --json       the same report as one JSON object (for scripts and monitoring)',
    '  --runs N     how many of the last runs to show (1-100, default 5)',
    '  --limit N    how many open errors and conflicts to list (1-1000, default 20; the counts are always complete)',
    'Each open error shows its id (for `b24xero retry <id>` / `b24xero resolve <id>`), the record, its code and',
    'class (retry: tried again automatically; needs_person: fix the data or the setting it names; never: Xero owns',
    'the document now), the message, and since when it fails. Exit 1 when the module tables do not exist yet.',
  ],

  async run(ctx) {
    const { json, runs, limit } = parse(ctx.args);
    return withComposition(ctx, { connectionLimit: 4, logStream: ctx.stderr }, async ({ config, db }) => {
      const schema = await migrationStatus(db);
      if (schema.applied.length === 0) {
        if (json) writeLine(ctx.stdout, JSON.stringify({ instance: config.instance, schema }));
        else writeLine(ctx.stderr, "the module tables do not exist yet: run 'b24xero migrate'");
        return 1;
      }
      const state = db as StateDb;
      const [recent, openErrors, problems, pendingInbox, links, feed, lagSeconds, budget, webhooks] = await Promise.all([
        listRecentRuns(state, { instance: config.instance, limit: runs }), countOpenErrors(state), listOpenProblems(state, limit),
        countPendingInbox(state), countLinks(state), changeFeedBacklog(state), changeFeedLagSeconds(state), budgetUsedToday(db),
        webhookHealth(state),
      ]);
      const report = {
        instance: config.instance,
        schema: { current: schema.pending.length === 0 && schema.changed.length === 0, ...schema },
        runs: recent,
        openErrors,
        errors: { count: problems.errorCount, shown: problems.errors.map(errorView) },
        conflicts: { count: problems.conflictCount, shown: problems.conflicts.map(errorView) },
        pendingInbox,
        links,
        changeFeed: { ...feed, lagSeconds },
        budget: { dailyBudget: config.xero.dailyBudget, usedToday: budget?.used ?? 0, xeroRemaining: budget?.xeroRemaining ?? null },
        webhooks: { enabled: webhooksEnabled(config), keySet: config.xero.webhookKey !== null, ...webhooks },
      };
      if (json) writeLine(ctx.stdout, JSON.stringify(report, null, 2));
      else printReport(ctx.stdout, report);
      return 0;
    });
  },
};

type ErrorView = ReturnType<typeof errorView>;

function errorView(row: RecordErrorRow) {
  return {
    id: row.ID, record: `${row.ENTITY_TYPE} ${row.ENTITY_ID}`, operation: row.OPERATION, code: row.CODE, class: row.CLASS,
    severity: row.SEVERITY, message: row.MESSAGE, since: `${row.FIRST_SEEN_AT} UTC`, attempts: row.ATTEMPTS,
    nextRetryAt: row.NEXT_RETRY_AT === null ? null : `${row.NEXT_RETRY_AT} UTC`,
  };
}

function printReport(out: Writable, r: {
  instance: string; schema: { current: boolean; pending: Array<{ name: string }>; changed: Array<{ name: string }> };
  runs: Awaited<ReturnType<typeof listRecentRuns>>; errors: { count: number; shown: ErrorView[] }; conflicts: { count: number; shown: ErrorView[] };
  openErrors: { error: number; warning: number }; pendingInbox: number; links: Record<string, Record<string, number | undefined>>;
  changeFeed: { waiting: number; leased: number; lagSeconds: number }; budget: { dailyBudget: number; usedToday: number };
  webhooks: WebhookView;
}): void {
  const line = (text = '') => writeLine(out, text);
  line(`instance      ${r.instance}`);
  line(`schema        ${r.schema.current ? 'current' : `NOT current: pending ${r.schema.pending.map((f) => f.name).join(', ') || '-'}, changed ${r.schema.changed.map((f) => f.name).join(', ') || '-'} (run 'b24xero migrate')`}`);
  line(`open errors   ${r.openErrors.error} errors, ${r.openErrors.warning} warnings`);
  line(`conflicts     ${r.conflicts.count}`);
  line(`pending inbox ${r.pendingInbox}${r.pendingInbox > 0 ? ' (applied by the Bitrix module agent)' : ''}`);
  line(`change feed   ${r.changeFeed.waiting} waiting, ${r.changeFeed.leased} in progress, lag ${r.changeFeed.lagSeconds} s`);
  line(`budget        ${r.budget.dailyBudget - r.budget.usedToday}/${r.budget.dailyBudget} Xero calls left today (UTC)`);
  line(`webhooks      ${webhookLine(r.webhooks)}`);
  if (r.webhooks.warning) line(`  WARNING: ${r.webhooks.warning}`);
  line('links');
  for (const [entity, byState] of Object.entries(r.links)) {
    const parts = Object.entries(byState).map(([s, n]) => `${s} ${n}`);
    line(`  ${entity.padEnd(15)} ${parts.length > 0 ? parts.join(', ') : '-'}`);
  }
  line('last runs');
  if (r.runs.length === 0) line('  (none yet)');
  for (const run of r.runs) {
    const stats = run.stats ? Object.entries(run.stats).map(([k, v]) => `${k}=${v}`).join(' ') : '';
    line(`  #${run.ID} ${run.KIND} ${run.STATUS}${run.DRY_RUN === 'Y' ? ' (dry run)' : ''} started ${run.STARTED_AT} UTC ${stats}${run.ERROR ? ` error: ${run.ERROR}` : ''}`.trimEnd());
  }
  printProblems(line, 'open errors', r.errors);
  printProblems(line, 'conflicts (edited in Bitrix after Xero approved the invoice; Xero is left as it is)', r.conflicts);
}

type WebhookView = { enabled: boolean; keySet: boolean } & WebhookHealth;

function webhookLine(w: WebhookView): string {
  const received = `last received ${w.lastReceivedAt ? `${w.lastReceivedAt} UTC` : 'never'}`;
  const pending = w.pending > 0 ? `${w.pending} unprocessed, the oldest for ${w.oldestPendingSeconds ?? 0} s` : 'none unprocessed';
  if (w.enabled) return `on (safety poll every 5 minutes), ${received}, ${pending}`;
  const why = w.keySet ? 'XERO_WEBHOOK_KEY is set but HTTP_LISTEN is not' : 'XERO_WEBHOOK_KEY unset';
  // Events can still wait from a time webhooks were on; say so rather than hide them.
  return `off (${why}; changes in Xero are polled every minute)${w.pending > 0 ? `; ${pending}` : ''}`;
}

function printProblems(line: (text?: string) => void, title: string, list: { count: number; shown: ErrorView[] }): void {
  if (list.count === 0) return;
  line(`${title}: ${list.count}${list.count > list.shown.length ? ` (oldest ${list.shown.length} shown; --limit N for more)` : ''}`);
  for (const e of list.shown) {
    line(`  #${e.id} ${e.record} ${e.code} [${e.class}] since ${e.since}${e.attempts > 1 ? `, ${e.attempts} attempts` : ''}`);
    line(`      ${e.message}`);
  }
}

function parse(args: string[]): { json: boolean; runs: number; limit: number } {
  const values = parseOptions(args, { json: { type: 'boolean' }, runs: { type: 'string' }, limit: { type: 'string' } });
  return { json: values.json ?? false, runs: bounded('--runs', values.runs, 5, 100), limit: bounded('--limit', values.limit, 20, 1000) };
}

function bounded(name: string, raw: string | undefined, fallback: number, max: number): number {
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`${name} must be 1 to ${max}, got '${raw}'`);
  return n;
}
