import { withComposition } from '../../runtime/compose.ts';
import { isPlainAccountPart, planGrants } from '../../state/grants.ts';
import { parseOptions, UsageError, writeLine, type CliCommand } from '../command.ts';

export const command: CliCommand = {
  name: 'grants',
  summary: 'print GRANT statements for a least-privilege daemon database user (run after migrate)',
  usage: 'b24xero grants --user NAME [--host HOST]',
  help: [
    'options:',
    '  --user NAME   the daemon\'s database account (required)',
    '  --host HOST   its host part (default localhost)',
    'Prints one GRANT per table (SELECT on the Bitrix tables read, DML on b_b24xero_*), to run as an administrator.',
    'Run it again after an upgrade added a table.',
  ],

  async run(ctx) {
    const values = parseOptions(ctx.args, { user: { type: 'string' }, host: { type: 'string' } });
    const user = values.user;
    if (!user) throw new UsageError('--user is required');
    for (const part of [user, values.host ?? 'localhost']) {
      if (!isPlainAccountPart(part)) throw new UsageError(`'${part}' may only hold letters, digits and _ . % : -`);
    }
    return withComposition(ctx, { connectionLimit: 1, logStream: ctx.stderr }, async ({ db }) => {
      const statements = await planGrants(db, { user, host: values.host ?? 'localhost' });
      if (statements.length === 0) {
        writeLine(ctx.stderr, "no tables found: run 'b24xero migrate' first (as a user allowed to create tables)");
        return 1;
      }
      // Printed, not executed: granting needs an admin account, which the daemon should never be configured with.
      writeLine(ctx.stdout, `-- run as an administrator, after CREATE USER ${user} ... IDENTIFIED BY '...'`);
      for (const statement of statements) writeLine(ctx.stdout, statement);
      return 0;
    });
  },
};
