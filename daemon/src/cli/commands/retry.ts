import { withComposition } from '../../runtime/compose.ts';
import { retryNow } from '../../state/record-errors.ts';
import { getOpenError, retryAllOpenErrors } from '../../state/status-report.ts';
import type { StateDb } from '../../state/tables.ts';
import { recordIdArgument, UsageError, writeLine, type CliCommand } from '../command.ts';

export const command: CliCommand = {
  name: 'retry',
  summary: 'make a failed record (or every failed record) due for the next pass now',
  usage: 'b24xero retry <error-id> | --all-failed',
  help: [
    'arguments:',
    '  <error-id>     the id `b24xero status` shows before an open error (#12)',
    '  --all-failed   every open error except conflicts (a conflict clears when the Bitrix edit is undone)',
    'The record is tried again by the next pass — the running daemon within a minute, or `b24xero sync --once` —',
    'whatever its back-off said. Nothing is sent to Xero by this command itself. Exit 1 when the id is not open.',
  ],

  async run(ctx) {
    const target = parse(ctx.args);
    return withComposition(ctx, { connectionLimit: 1, logStream: ctx.stderr }, async ({ db }) => {
      const state = db as StateDb;
      if (target === 'all') {
        const n = await retryAllOpenErrors(state);
        writeLine(ctx.stdout, `${n} failed record(s) will be tried again by the next pass`);
        return 0;
      }
      const open = await getOpenError(state, target);
      if (!open) {
        writeLine(ctx.stderr, `b24xero retry: no open error #${target} (see 'b24xero status')`);
        return 1;
      }
      await retryNow(state, [target]);
      writeLine(ctx.stdout, `#${target} ${open.ENTITY_TYPE} ${open.ENTITY_ID} (${open.CODE}) will be tried again by the next pass`);
      return 0;
    });
  },
};

function parse(args: readonly string[]): number | 'all' {
  if (args.length === 1 && args[0] === '--all-failed') return 'all';
  if (args.length === 1 && !args[0]!.startsWith('-')) return recordIdArgument(args[0]!);
  throw new UsageError('give one error id, or --all-failed');
}
