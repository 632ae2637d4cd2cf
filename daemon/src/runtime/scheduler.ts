import { createTask, type ScheduledTask } from 'node-cron';
import { PassInterruptedError } from '../sync/push/tenant-outage.ts';

/**
 * The daemon's scheduler. Each job has its own cron expression (node-cron; six fields allow seconds), but jobs never
 * overlap — not themselves and not each other: every tick only *enqueues* its job (once: a job already waiting is
 * not queued twice), and one runner works the queue in order. The passes share the instance lock's session, the
 * database pool and the tenant's rate budget, so running two at once would gain nothing and risk racing each other.
 */

export interface JobContext {
  /** Call between units of work: throws when the daemon is stopping, and counts as progress for the watchdog. */
  checkpoint(): void;
  readonly signal: AbortSignal;
}

export interface Job<R = unknown> {
  name: string;
  /** Cron expression, in the daemon's time zone. */
  schedule: string;
  /** Also run once as soon as the scheduler starts. */
  atStart?: boolean;
  run(ctx: JobContext): Promise<R>;
}

export interface JobEnd<R = unknown> {
  job: string;
  ok: boolean;
  result?: R;
  error?: unknown;
  ms: number;
}

export interface SchedulerOptions {
  /** Whether a queued job may run now (the daemon holds its lock, and the job's dependencies are not backing off). */
  mayRun?: (job: Job) => boolean;
  onStart?: (job: string) => void;
  /** A checkpoint passed: the running job is making progress (the watchdog's evidence). */
  onProgress?: (job: string) => void;
  onEnd?: (end: JobEnd) => void;
  /** IANA zone of the cron expressions; default the system's. */
  timezone?: string;
}

export class Scheduler {
  readonly #jobs: Map<string, Job>;
  readonly #o: SchedulerOptions;
  readonly #tasks: ScheduledTask[] = [];
  readonly #queue: string[] = [];
  readonly #abort = new AbortController();
  #running: Promise<void> | null = null;
  #current: string | null = null;
  #stopped: Promise<void> | null = null;

  constructor(jobs: readonly Job[], options: SchedulerOptions = {}) {
    this.#jobs = new Map(jobs.map((j) => [j.name, j]));
    this.#o = options;
  }

  /** The job running now, if any. */
  get current(): string | null {
    return this.#current;
  }

  get stopping(): boolean {
    return this.#abort.signal.aborted;
  }

  start(): void {
    for (const job of this.#jobs.values()) {
      const task = createTask(job.schedule, () => this.trigger(job.name), {
        name: job.name, ...(this.#o.timezone !== undefined && { timezone: this.#o.timezone }),
      });
      void task.start();
      this.#tasks.push(task);
    }
    for (const job of this.#jobs.values()) if (job.atStart) this.trigger(job.name);
  }

  /** Queues a job now (a webhook arrived, a dependency came back). Ignored while stopping or when already queued. */
  trigger(name: string): void {
    if (this.stopping || !this.#jobs.has(name) || this.#queue.includes(name)) return;
    this.#queue.push(name);
    this.#running ??= this.#drain().finally(() => { this.#running = null; });
  }

  /**
   * Stops the cron ticks, drops what is queued and lets the running job end at its next checkpoint (it sees the
   * abort). Resolves when it has ended. Idempotent: a second caller gets the same promise; never rejects.
   */
  stop(): Promise<void> {
    this.#stopped ??= (async () => {
      this.#abort.abort();
      this.#queue.length = 0;
      for (const task of this.#tasks) await Promise.resolve(task.destroy()).catch(() => undefined);
      await this.#running?.catch(() => undefined);
    })();
    return this.#stopped;
  }

  async #drain(): Promise<void> {
    for (let name = this.#queue.shift(); name !== undefined && !this.stopping; name = this.#queue.shift()) {
      const job = this.#jobs.get(name)!;
      // A job that may not run now is dropped, not kept: its next tick queues it again.
      if (this.#o.mayRun && !this.#o.mayRun(job)) continue;
      await this.#runOne(job);
    }
  }

  async #runOne(job: Job): Promise<void> {
    this.#current = job.name;
    this.#o.onStart?.(job.name);
    const started = Date.now();
    const signal = this.#abort.signal;
    const ctx: JobContext = {
      signal,
      checkpoint: () => {
        if (signal.aborted) throw new StopRequestedError();
        this.#o.onProgress?.(job.name);
      },
    };
    let end: JobEnd;
    try {
      end = { job: job.name, ok: true, result: await job.run(ctx), ms: Date.now() - started };
    } catch (error) {
      end = { job: job.name, ok: false, error, ms: Date.now() - started };
    } finally {
      this.#current = null;
    }
    try {
      this.#o.onEnd?.(end);
    } catch {
      // Reporting must not stop the scheduler.
    }
  }
}

/** Thrown at a checkpoint once the daemon is stopping: the job ends there, between two units of work. */
export class StopRequestedError extends PassInterruptedError {
  override name = 'StopRequestedError';
  constructor() {
    super('stopping: the job ended at a checkpoint and resumes at the next start');
  }
}
