import { ConfigError } from '../../config/config.ts';
import { compose, type Composition } from '../../runtime/compose.ts';
import { Daemon, DaemonSetupError, EXIT } from '../../runtime/daemon.ts';
import { InstanceTakenError } from '../../runtime/instance-lease.ts';
import { NotifySocketError } from '../../runtime/sd-notify.ts';
import { onStopSignals } from '../../runtime/signals.ts';
import { parseOptions, writeLine, type CliCommand } from '../command.ts';

export const command: CliCommand = {
  name: 'run',
  summary: 'the long-running daemon for systemd: schedules, webhooks, /healthz and /metrics, sd_notify',
  usage: 'b24xero run',
  help: [
    'Runs until SIGTERM/SIGINT (the first stops gracefully within 30 s, a second at once). Schedules: the change',
    'feed every 5 s, the push pass on SYNC_SCHEDULE (or the module option sync_schedule), the safety scan on the',
    'module option scan_schedule (default every 15 minutes), the metadata refresh and full reconcile at 03:17,',
    'the pull from Xero every minute — every 5 minutes with XERO_WEBHOOK_KEY, whose events are processed within',
    'seconds (POST /webhooks/xero on HTTP_LISTEN).',
    'JSON log lines go to stdout (journald). Exit codes: 0 stopped, 1 failed, 3 another process runs this',
    'instance, 78 configuration error (the unit does not restart on it).',
  ],

  async run(ctx) {
    parseOptions(ctx.args, {});
    let daemon: Daemon | null = null;
    let app: Composition;
    try {
      app = compose(ctx, { requireXero: true, logStream: ctx.stdout, onXeroCall: (call) => daemon?.observeXeroCall(call) });
      daemon = new Daemon({ app, env: ctx.env });
    } catch (error) {
      if (error instanceof ConfigError || error instanceof NotifySocketError) {
        writeLine(ctx.stderr, `b24xero run: ${error.message}`);
        return EXIT.config;
      }
      throw error;
    }
    const running = daemon;
    const signals = onStopSignals(
      (signal) => { running.log.info('stop requested; finishing the call in flight', { signal }); void running.stop(); },
      (signal) => {
        // A second signal: no more waiting. process.exit here only — the entry point of the process.
        writeLine(ctx.stderr, `b24xero run: second ${signal}: exiting now`);
        process.exit(EXIT.failed);
      },
    );
    try {
      try {
        await running.start();
      } catch (error) {
        await running.stop();
        return startFailure(error, (text) => writeLine(ctx.stderr, `b24xero run: ${text}`), running);
      }
      return await running.exited;
    } finally {
      signals.remove();
      await app.close();
    }
  },
};

function startFailure(error: unknown, say: (text: string) => void, daemon: Daemon): number {
  if (error instanceof InstanceTakenError) {
    say(error.message);
    return EXIT.locked;
  }
  if (error instanceof DaemonSetupError || error instanceof ConfigError) {
    say(error.message);
    return EXIT.config;
  }
  daemon.log.error('daemon could not start', { error });
  say(`could not start: ${(error as Error)?.message ?? String(error)}`);
  return EXIT.failed;
}
