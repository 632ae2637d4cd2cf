import type { Env } from '../config/config.ts';
import { readSettings } from '../config/settings.ts';
import { migrationStatus } from '../state/migrator.ts';
import { retryTransientErrorsSince } from '../state/record-errors.ts';
import type { XeroCallRecord } from '../xero/index.ts';
import { checkpointedGateway } from './checkpointed-gateway.ts';
import type { Composition } from './compose.ts';
import { failureSource, xeroLooksDown } from './failure-source.ts';
import { Health, type TroubleSource } from './health.ts';
import { HttpListener, ListenAddressError, type WebhookHandler } from './http-listener.ts';
import { DaemonMetrics } from './metrics.ts';
import { InstanceLease } from './instance-lease.ts';
import { daemonJobs, jobSchedules, webhooksEnabled, type DaemonJob, type JobReport } from './jobs.ts';
import { Scheduler, type JobContext, type JobEnd } from './scheduler.ts';
import { createNotifier, type Notifier } from './sd-notify.ts';
import { readSnapshot } from './snapshot.ts';

/** Exit codes of `b24xero run` (README "Exit codes"). */
export const EXIT = Object.freeze({ ok: 0, failed: 1, locked: 3, config: 78 });

export class DaemonSetupError extends Error {
  override name = 'DaemonSetupError';
}

export interface DaemonOptions {
  app: Composition;
  /** The process environment: NOTIFY_SOCKET, WATCHDOG_USEC. */
  env: Env;
  /** The longest a graceful stop waits for the job in flight (default 25 s, inside systemd's 30 s). */
  stopTimeoutMs?: number;
  /** How often STATUS= and the counts are refreshed while nothing else happens (default 15 s). */
  statusIntervalMs?: number;
  /** A job without a checkpoint for this long counts as stuck: the watchdog pings stop (default 5 min). */
  stallMs?: number;
  /** Lock check interval (default 5 s). */
  lockCheckMs?: number;
  /** First back-off step after an outage (default 1 s, doubling to 5 min). */
  backoffMs?: number;
  /** Overrides the job list (tests); default daemonJobs() from the configuration and the module's options. */
  jobs?: (defaults: DaemonJob[]) => DaemonJob[];
  /** Xero webhooks on /webhooks/xero; default the composition's (receiveWebhook while XERO_WEBHOOK_KEY is set, else 503). */
  webhook?: WebhookHandler;
}

/**
 * `b24xero run`: one long-lived process per portal. start() checks the migrations, takes the instance lock for the
 * process's life, opens the first connection, says READY=1, then runs the schedules; stop() ends the job in flight
 * at its next checkpoint (the Xero call in flight finishes), persists, releases the lock and says STOPPING=1.
 * `exited` resolves with the process exit code once the daemon has stopped, whoever stopped it.
 */
export class Daemon {
  readonly health: Health;
  readonly metrics: DaemonMetrics;
  readonly exited: Promise<number>;
  readonly #o: DaemonOptions;
  readonly #app: Composition;
  readonly #notifier: Notifier;
  readonly #lease: InstanceLease;
  #scheduler: Scheduler | null = null;
  #http: HttpListener | null = null;
  #job: JobContext | null = null;
  #lastProgress = Date.now();
  #jobCalls = 0;
  #timers: NodeJS.Timeout[] = [];
  #stopping: Promise<void> | null = null;
  #exit: (code: number) => void = () => undefined;
  #exitCode: number = EXIT.ok;

  constructor(options: DaemonOptions) {
    this.#o = options;
    this.#app = options.app;
    this.health = new Health({ ...(options.backoffMs !== undefined && { backoffMs: options.backoffMs }) });
    this.metrics = new DaemonMetrics(this.health, { instance: options.app.config.instance });
    this.exited = new Promise((resolve) => { this.#exit = resolve; });
    this.#notifier = createNotifier(options.env);
    const { config } = this.#app;
    this.#lease = new InstanceLease({ url: config.bitrixDbUrl, instance: config.instance, ...(options.lockCheckMs !== undefined && { checkMs: options.lockCheckMs }) }, {
      onLapse: (reason) => this.#trouble('lock', reason),
      onHeld: () => this.#recovered('lock'),
      onLost: (reason) => {
        this.#app.log.error('instance lock lost to another process; stopping', { reason });
        this.#exitCode = EXIT.locked;
        void this.stop();
      },
    });
  }

  get log() {
    return this.#app.log;
  }

  /** Called for every Xero call attempt (compose's onXeroCall): progress for the watchdog, and outage detection. */
  observeXeroCall(call: XeroCallRecord): void {
    this.#lastProgress = Date.now();
    this.#jobCalls++;
    this.metrics.xeroCall(call);
    if (xeroLooksDown(call)) this.#trouble('xero', `${call.operation} answered ${call.status === 0 ? 'nothing' : `HTTP ${call.status}`}`);
    else if (this.health.trouble('xero')) void this.#recovered('xero');
  }

  /** Resolves once READY=1 was sent; rejects with DaemonSetupError / InstanceTakenError / a connection error. */
  async start(): Promise<void> {
    const { app } = this.#o;
    await this.#notify({ STATUS: 'starting: checking the database schema' });
    const schema = await migrationStatus(app.db);
    if (schema.applied.length === 0 || schema.pending.length > 0 || schema.changed.length > 0) {
      throw new DaemonSetupError("the module tables are missing or not current: run 'b24xero migrate' (as a user allowed to create tables), then start the daemon again");
    }
    await this.#notify({ STATUS: 'starting: taking the instance lock' });
    await this.#lease.acquire();
    const { settings, problems } = await readSettings(app.db);
    for (const p of problems) app.log.warn('module option ignored', { key: p.key, message: p.message });
    if (app.config.xero.webhookKey !== null && !app.config.httpListen) {
      app.log.warn('XERO_WEBHOOK_KEY is set but HTTP_LISTEN is not: no webhook can arrive, so Xero is polled every minute');
    }
    const schedules = jobSchedules(app.config.syncSchedule, settings, app.config);
    const defaults = daemonJobs(schedules, {
      passDeps: (job, ctx) => this.#passDeps(job, ctx),
      passOptions: { instance: app.config.instance, timeZone: app.config.bitrixTimezone, releaseClaimsAfterSeconds: 5 },
    });
    const jobs = this.#o.jobs ? this.#o.jobs(defaults) : defaults;
    this.#scheduler = new Scheduler(jobs, {
      mayRun: (job) => this.#mayRun(job as DaemonJob),
      onStart: () => { this.#lastProgress = Date.now(); this.#jobCalls = 0; },
      onProgress: () => { this.#lastProgress = Date.now(); },
      onEnd: (end) => void this.#jobEnded(end as JobEnd<JobReport | null>),
    });
    await this.#listen();
    this.health.phase = 'running';
    await this.#refresh();
    app.log.info('daemon ready', { schedules, jobs: jobs.map((j) => j.name), lock: this.#lease.lockName });
    await this.#notify({ READY: 1, STATUS: this.health.statusLine() });
    this.#scheduler.start();
    this.#every(this.#o.statusIntervalMs ?? 15_000, () => void this.#refresh());
    if (this.#notifier.watchdogIntervalMs !== null) this.#every(this.#notifier.watchdogIntervalMs, () => this.#watchdog());
  }

  /** Graceful stop. Idempotent (a second caller awaits the same promise) and never rejects. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      this.health.phase = 'stopping';
      await this.#notify({ STOPPING: 1, STATUS: this.health.statusLine() });
      for (const t of this.#timers) clearInterval(t);
      if (this.#scheduler) {
        const timeout = this.#o.stopTimeoutMs ?? 25_000;
        const timedOut = await Promise.race([
          this.#scheduler.stop().then(() => false),
          new Promise<boolean>((r) => setTimeout(() => r(true), timeout).unref()),
        ]);
        if (timedOut) {
          // The in-flight call hangs: its intent is recorded, so ending now is safe (the next start looks it up).
          this.#app.log.warn('the job in flight did not end in time; exiting anyway', { job: this.#scheduler.current, timeoutMs: timeout });
          if (this.#exitCode === EXIT.ok) this.#exitCode = EXIT.failed;
        }
      }
      await this.#http?.close();
      await this.#lease.release();
      this.#app.log.info('daemon stopped', { exitCode: this.#exitCode });
      this.#notifier.close();
      this.#exit(this.#exitCode);
    })().catch(() => this.#exit(EXIT.failed));
    return this.#stopping;
  }

  /** The HTTP port actually bound (HTTP_LISTEN may say port 0), or null without a listener. */
  get httpPort(): number | null {
    return this.#http?.port ?? null;
  }

  async #listen(): Promise<void> {
    const { config, log } = this.#app;
    if (!config.httpListen) return;
    try {
      this.#http = new HttpListener({
        listen: config.httpListen, allowRemote: config.httpAllowRemote, health: this.health, metrics: this.metrics,
        webhook: this.#webhook(), log,
      });
    } catch (error) {
      if (error instanceof ListenAddressError) throw new DaemonSetupError(error.message);
      throw error;
    }
    await this.#http.start();
    log.info('http listening', { address: `${config.httpListen.host}:${this.#http.port}`, routes: ['/healthz', '/metrics', '/webhooks/xero'] });
  }

  /** The webhook handler; events it stored are processed at once rather than at the job's next tick. */
  #webhook(): WebhookHandler | null {
    const handler = this.#o.webhook ?? this.#app.webhook();
    if (!handler) return null;
    return async (input) => {
      const answer = await handler(input);
      if (answer.status === 200) this.#scheduler?.trigger('webhooks');
      return answer;
    };
  }

  #passDeps(job: string, ctx: JobContext) {
    this.#job = ctx;
    const deps = this.#app.passDeps();
    const gateway = checkpointedGateway(deps.gateway, () => this.#job?.checkpoint());
    return { ...deps, gateway, log: this.#app.log.child({ job }) };
  }

  #mayRun(job: DaemonJob): boolean {
    if (this.#lease.state !== 'held') return false;
    for (const need of job.needs) if (!this.health.mayTry(need)) return false;
    return true;
  }

  async #jobEnded(end: JobEnd<JobReport | null>): Promise<void> {
    this.#job = null;
    this.metrics.jobEnded(end.job, end.ok, end.ms, end.result);
    const now = new Date();
    if (end.ok) {
      if (end.result) {
        this.health.lastPassAt = now;
        this.health.pushed += end.result.pushed;
        this.health.pulled += end.result.pulled;
        this.#app.log.info('pass finished', { job: end.job, ms: end.ms, ...end.result });
      }
      this.health.lastSuccessAt = now;
      this.health.lastError = null;
      await this.#recovered('database');
      // Xero's trouble ends with a call that succeeds; a pass without work made none, so one cheap read asks.
      if (this.health.trouble('xero') && !end.result?.apiCalls) await this.#probeXero();
    } else {
      const source = failureSource(end.error);
      const message = (end.error as Error)?.message ?? String(end.error);
      if (source === 'interrupted') this.#app.log.info('job ended for shutdown; it resumes at the next start', { job: end.job });
      else if (source === 'database' || source === 'xero') this.#trouble(source, message);
      else {
        this.health.lastError = message;
        this.#app.log.error('job failed', { job: end.job, ms: end.ms, error: end.error });
      }
    }
    await this.#refresh();
  }

  async #probeXero(): Promise<void> {
    try {
      await this.#app.gateway().getOrganisation();
    } catch (error) {
      if (failureSource(error) === 'xero') this.#trouble('xero', (error as Error).message);
    }
  }

  #trouble(source: TroubleSource, message: string): void {
    const first = !this.health.trouble(source);
    const t = this.health.fail(source, message);
    // One line when the trouble starts, then one per back-off step: the journal says when and why, not 1,000 times.
    this.#app.log[first ? 'error' : 'warn'](first ? `${source} trouble: pausing the work that needs it` : `${source} still failing`, {
      source, reason: message, attempts: t.attempts, retryAt: t.retryAt.toISOString(), since: t.since.toISOString(),
    });
    void this.#notify({ STATUS: this.health.statusLine() });
    // A retry is queued for when the back-off ends, so recovery does not wait for the next cron tick.
    const wait = Math.max(0, t.retryAt.getTime() - Date.now());
    setTimeout(() => { if (!this.#scheduler?.stopping) this.#scheduler?.trigger('push'); }, wait + 10).unref();
  }

  async #recovered(source: TroubleSource): Promise<void> {
    const ended = this.health.recover(source);
    if (!ended) return;
    this.#app.log.info(`${source} is back`, { source, since: ended.since.toISOString(), downSeconds: Math.round((Date.now() - ended.since.getTime()) / 1000) });
    if (source !== 'lock') {
      // Records that failed because of the outage are due now rather than after their back-off.
      const made = await retryTransientErrorsSince(this.#app.db, new Date(ended.since.getTime() - 60_000)).catch(() => 0);
      if (made > 0) this.#app.log.info('records that failed during the outage are retried now', { records: made });
      this.#scheduler?.trigger('push');
    }
    await this.#notify({ STATUS: this.health.statusLine() });
  }

  async #refresh(): Promise<void> {
    try {
      this.health.snapshot = await readSnapshot(this.#app.db, this.#app.config.xero.dailyBudget, { webhooks: webhooksEnabled(this.#app.config) });
      if (this.health.trouble('database') && this.health.mayTry('database')) await this.#recovered('database');
    } catch (error) {
      if (failureSource(error) === 'database' && this.health.mayTry('database')) this.#trouble('database', (error as Error).message);
    }
    if (this.health.phase === 'running') await this.#notify({ STATUS: this.health.statusLine() });
  }

  /** WATCHDOG=1 from the event loop while no job is stuck: a hung pass stops the pings and systemd restarts us. */
  #watchdog(): void {
    const stuck = this.#scheduler?.current !== null && Date.now() - this.#lastProgress > (this.#o.stallMs ?? 5 * 60_000);
    if (!stuck) void this.#notify({ WATCHDOG: 1 });
  }

  #every(ms: number, fn: () => void): void {
    const t = setInterval(fn, ms);
    t.unref();
    this.#timers.push(t);
  }

  async #notify(fields: Parameters<Notifier['notify']>[0]): Promise<void> {
    await this.#notifier.notify(fields).catch((error: unknown) => this.#app.log.warn('sd_notify failed', { error: (error as Error).message }));
  }
}
