import { ConfigError } from '../../config/config.ts';
import { compose } from '../../runtime/compose.ts';
import { runDoctor } from '../../runtime/doctor/run-doctor.ts';
import { parseOptions, writeLine, type CliCommand } from '../command.ts';

const LABEL = { ok: 'ok     ', problem: 'PROBLEM', note: 'note   ' } as const;

export const command: CliCommand = {
  name: 'doctor',
  summary: 'check the setup end to end and print one actionable line per problem',
  usage: 'b24xero doctor [--json]',
  help: [
    'options:',
    '  --json   the findings as JSON ({ problems, findings: [{ level, area, text }] })',
    'Checks: the configuration; the database (reachable, version); the Bitrix schema (crm with smart invoices); the',
    'module (registered, user fields, event handlers, applier agent); migrations; the database user\'s grants',
    '(enough, and no write to Bitrix tables); the safety-scan indexes; Xero credentials, tenant and scopes; the',
    'account codes and tax types the module options name; currencies; clock skew against Xero. About 7 Xero calls.',
    'Exit 0 when nothing is a problem (notes are information), 1 otherwise.',
  ],

  async run(ctx) {
    const { json } = parseOptions(ctx.args, { json: { type: 'boolean' } });
    let app;
    try {
      app = compose(ctx, { connectionLimit: 2, logStream: ctx.stderr });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      const findings = error.problems.map((text) => ({ level: 'problem' as const, area: 'config', text }));
      if (json) writeLine(ctx.stdout, JSON.stringify({ problems: findings.length, findings }, null, 2));
      else for (const f of findings) writeLine(ctx.stdout, `${LABEL.problem} ${f.area.padEnd(10)} ${f.text}`);
      return 1;
    }
    try {
      const findings = await runDoctor(app, (f) => { if (!json) writeLine(ctx.stdout, `${LABEL[f.level]} ${f.area.padEnd(10)} ${f.text}`); });
      const problems = findings.filter((f) => f.level === 'problem').length;
      if (json) writeLine(ctx.stdout, JSON.stringify({ problems, findings }, null, 2));
      else writeLine(ctx.stdout, problems === 0 ? 'no problems found' : `${problems} problem(s) found`);
      return problems === 0 ? 0 : 1;
    } finally {
      await app.close();
    }
  },
};
