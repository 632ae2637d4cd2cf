import { DemoArgsError, parseDemoArgs } from '../../demo/demo-args.ts';
import { runDemo } from '../../demo/run-demo.ts';
import { UsageError, type CliCommand } from '../command.ts';

export const command: CliCommand = {
  name: 'demo',
  summary: 'the product end to end on a local demo database and the Xero simulator (no Xero account needed)',
  usage: 'b24xero demo [--db mysql://root@127.0.0.1:3306/b24xero_demo] [--keep] [--port N]',
  help: [
    'options:',
    '  --db URL    the throw-away database to build the demo portal in (dropped and created again)',
    '  --keep      leave the simulator running after the story, until Ctrl-C',
    '  --port N    the simulator\'s port (default: any free one)',
  ],

  async run(ctx) {
    let args;
    try {
      args = parseDemoArgs(ctx.args);
    } catch (error) {
      if (error instanceof DemoArgsError) throw new UsageError(error.message);
      throw error;
    }
    return runDemo(args, { stdout: ctx.stdout, stderr: ctx.stderr, env: ctx.env, untilStopped });
  },
};

/** The one place the demo listens for signals: the first Ctrl-C or SIGTERM ends a --keep demo gracefully. */
function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
