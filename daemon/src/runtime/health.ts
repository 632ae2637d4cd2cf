import type { WebhookHealth } from '../state/status-report.ts';

/**
 * What the daemon knows about itself: the last passes and their counts, and what is wrong right now (the database,
 * Xero or the instance lock), each trouble with its own back-off. It makes the one STATUS= line `systemctl status`
 * shows and the JSON of /healthz; it never queries anything itself (the daemon feeds it).
 */

export type TroubleSource = 'database' | 'xero' | 'lock';

export interface Trouble {
  source: TroubleSource;
  message: string;
  since: Date;
  attempts: number;
  /** No work depending on the source is tried before this. */
  retryAt: Date;
}

export interface Snapshot {
  failing: number;
  conflicts: number;
  pendingInbox: number;
  lagSeconds: number;
  budgetUsed: number | null;
  budgetCap: number;
  /** Present while webhooks are on (XERO_WEBHOOK_KEY). */
  webhooks?: WebhookHealth;
}

export interface HealthOptions {
  now?: () => Date;
  /** First back-off step (ms), doubled per failed attempt up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
}

const LABEL: Readonly<Record<TroubleSource, string>> = {
  database: 'database unreachable', xero: 'Xero unavailable', lock: 'instance lock lost, re-acquiring',
};

export class Health {
  readonly startedAt: Date;
  phase: 'starting' | 'running' | 'stopping' = 'starting';
  lastPassAt: Date | null = null;
  lastSuccessAt: Date | null = null;
  lastError: string | null = null;
  pushed = 0;
  pulled = 0;
  snapshot: Snapshot | null = null;
  readonly #troubles = new Map<TroubleSource, Trouble>();
  readonly #now: () => Date;
  readonly #backoffMs: number;
  readonly #maxBackoffMs: number;

  constructor(options: HealthOptions = {}) {
    this.#now = options.now ?? (() => new Date());
    this.#backoffMs = options.backoffMs ?? 1_000;
    this.#maxBackoffMs = options.maxBackoffMs ?? 5 * 60_000;
    this.startedAt = this.#now();
  }

  trouble(source: TroubleSource): Trouble | undefined {
    return this.#troubles.get(source);
  }

  get troubles(): Trouble[] {
    return [...this.#troubles.values()];
  }

  /** Records a failure of `source`; returns the trouble (new, or with one more attempt and a longer back-off). */
  fail(source: TroubleSource, message: string): Trouble {
    const now = this.#now();
    const previous = this.#troubles.get(source);
    const attempts = (previous?.attempts ?? 0) + 1;
    const delay = Math.min(this.#backoffMs * 2 ** (attempts - 1), this.#maxBackoffMs);
    const trouble: Trouble = { source, message, since: previous?.since ?? now, attempts, retryAt: new Date(now.getTime() + delay) };
    this.#troubles.set(source, trouble);
    return trouble;
  }

  /** `source` works again; returns the trouble that ended (to log how long it lasted), if there was one. */
  recover(source: TroubleSource): Trouble | undefined {
    const previous = this.#troubles.get(source);
    this.#troubles.delete(source);
    return previous;
  }

  /** Whether work depending on `source` may be tried now (no trouble, or its back-off has passed). */
  mayTry(source: TroubleSource): boolean {
    const trouble = this.#troubles.get(source);
    return !trouble || trouble.retryAt.getTime() <= this.#now().getTime();
  }

  get healthy(): boolean {
    return this.phase === 'running' && this.#troubles.size === 0;
  }

  /** e.g. "last pass 12:03:01 · 14 pushed · 3 pulled · 0 failing · budget 4702/5000 · lag 4 s". */
  statusLine(): string {
    if (this.phase === 'stopping') return 'stopping: finishing the call in flight';
    const parts: string[] = [];
    for (const t of this.#troubles.values()) {
      const wait = Math.max(0, Math.ceil((t.retryAt.getTime() - this.#now().getTime()) / 1000));
      parts.push(`${LABEL[t.source]} since ${clock(t.since)} (${firstLine(t.message)}), next try in ${wait} s`);
    }
    parts.push(this.lastPassAt ? `last pass ${clock(this.lastPassAt)}` : this.phase === 'starting' ? 'starting' : 'no pass yet');
    parts.push(`${this.pushed} pushed`, `${this.pulled} pulled`);
    const s = this.snapshot;
    if (s) {
      parts.push(`${s.failing} failing`);
      if (s.conflicts > 0) parts.push(`${s.conflicts} conflicts`);
      parts.push(`budget ${s.budgetUsed === null ? s.budgetCap : s.budgetCap - s.budgetUsed}/${s.budgetCap}`, `lag ${s.lagSeconds} s`);
    }
    if (s?.webhooks?.warning) parts.push(`webhooks: ${s.webhooks.pending} waiting since ${Math.round((s.webhooks.oldestPendingSeconds ?? 0) / 60)} min`);
    if (this.lastError && this.#troubles.size === 0) parts.push(`last error: ${firstLine(this.lastError)}`);
    return parts.join(' · ');
  }

  /** /healthz body. */
  summary(): Record<string, unknown> {
    return {
      status: this.healthy ? 'ok' : this.phase === 'running' ? 'degraded' : this.phase,
      phase: this.phase,
      startedAt: this.startedAt.toISOString(),
      lastPassAt: this.lastPassAt?.toISOString() ?? null,
      lastSuccessAt: this.lastSuccessAt?.toISOString() ?? null,
      pushed: this.pushed,
      pulled: this.pulled,
      ...(this.snapshot ?? {}),
      troubles: this.troubles.map((t) => ({ source: t.source, message: t.message, since: t.since.toISOString(), retryAt: t.retryAt.toISOString() })),
      lastError: this.lastError,
      // Warnings leave /healthz at 200: the daemon works, but a person should look.
      warnings: this.snapshot?.webhooks?.warning ? [this.snapshot.webhooks.warning] : [],
      statusLine: this.statusLine(),
    };
  }
}

function clock(date: Date): string {
  return date.toTimeString().slice(0, 8);
}

function firstLine(text: string): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > 160 ? `${line.slice(0, 157)}…` : line;
}
