import { instanceOfEnvFile, loadConfig, ConfigError } from '../../config/config.ts';
import { readEnvironmentWithSources } from '../../config/env-file.ts';
import { describeUnknown, KNOWN_VARIABLES, maskValue, unknownVariables } from '../../config/variables.ts';
import { parseOptions, writeLine, type CliCommand } from '../command.ts';

export const command: CliCommand = {
  name: 'config',
  summary: 'print the effective configuration, secrets masked, with where each value came from',
  usage: 'b24xero config [--json]',
  help: [
    'options:',
    '  --json   the same as JSON',
    'Each variable b24xero reads, its value (XERO_CLIENT_SECRET and XERO_WEBHOOK_KEY masked, the password of',
    'BITRIX_DB_URL masked) and its source: the process environment, the env file (B24X_ENV_FILE, default ./.env),',
    'or the default. Then unknown BITRIX_* / B24X_* / XERO_* variables with "did you mean", and whether the whole',
    'configuration is valid. Opens no connection. Exit 1 when the configuration is invalid.',
  ],

  async run(ctx) {
    const values = parseOptions(ctx.args, { json: { type: 'boolean' } });
    const sourced = readEnvironmentWithSources(ctx.env, ctx.cwd);
    const rows = KNOWN_VARIABLES.map((variable) => {
      const raw = sourced.env[variable.name]?.trim() ?? '';
      const source = raw === '' ? 'default' : sourced.fromFile.has(variable.name) ? `env file ${sourced.file}` : 'environment';
      const derived = variable.name === 'B24X_INSTANCE' && raw === '' ? instanceOfEnvFile(sourced.env.B24X_ENV_FILE?.trim()) : null;
      if (derived) return { name: variable.name, value: derived, source: 'the env file\'s name' };
      return { name: variable.name, value: raw === '' ? variable.fallback : maskValue(variable, raw), source };
    });
    const unknown = unknownVariables(Object.keys(sourced.env));
    let problems: readonly string[] = [];
    try {
      loadConfig(sourced.env);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems = error.problems;
    }
    if (values.json) {
      writeLine(ctx.stdout, JSON.stringify({ envFile: sourced.file, variables: rows, unknown, problems }));
    } else {
      writeLine(ctx.stdout, `env file: ${sourced.file ?? '(none)'}`);
      const width = Math.max(...rows.map((r) => r.name.length));
      for (const r of rows) writeLine(ctx.stdout, `  ${r.name.padEnd(width)}  ${r.value || '(unset)'}  [${r.source}]`);
      for (const u of unknown) writeLine(ctx.stdout, `warning: ${describeUnknown(u)}`);
      if (problems.length === 0) writeLine(ctx.stdout, 'configuration is valid');
      for (const p of problems) writeLine(ctx.stdout, `problem: ${p}`);
    }
    return problems.length === 0 ? 0 : 1;
  },
};
