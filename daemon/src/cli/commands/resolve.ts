import { withComposition } from '../../runtime/compose.ts';
import { resolveErrorById } from '../../state/record-errors.ts';
import { getOpenError } from '../../state/status-report.ts';
import type { StateDb } from '../../state/tables.ts';
import { recordIdArgument, UsageError, writeLine, type CliCommand } from '../command.ts';

export const command: CliCommand = {
  name: 'resolve',
  summary: 'mark an open error as dealt with (it is no longer listed or retried)',
  usage: 'b24xero resolve <error-id>',
  help: [
    'arguments:',
    '  <error-id>   the id `b24xero status` shows before an open error (#12)',
    'For an error a person settled outside the sync (e.g. fixed in Xero by hand). Should the record fail again on',
    'a later pass, the error opens again. Exit 1 when the id is not open.',
  ],

  async run(ctx) {
    if (ctx.args.length !== 1 || ctx.args[0]!.startsWith('-')) throw new UsageError('give one error id');
    const id = recordIdArgument(ctx.args[0]!);
    return withComposition(ctx, { connectionLimit: 1, logStream: ctx.stderr }, async ({ db }) => {
      const state = db as StateDb;
      const open = await getOpenError(state, id);
      if (!open || !(await resolveErrorById(state, id))) {
        writeLine(ctx.stderr, `b24xero resolve: no open error #${id} (see 'b24xero status')`);
        return 1;
      }
      writeLine(ctx.stdout, `#${id} ${open.ENTITY_TYPE} ${open.ENTITY_ID} (${open.CODE}) marked resolved`);
      return 0;
    });
  },
};
