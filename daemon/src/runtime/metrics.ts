import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { XeroCallRecord } from '../xero/index.ts';
import type { Health } from './health.ts';
import type { JobReport } from './jobs.ts';

/**
 * The daemon's Prometheus metrics (prom-client, a registry of its own rather than the library's global one). Calls
 * and passes are counted as they happen; the gauges are read from Health when /metrics is scraped, so a scrape
 * costs no query.
 */
export class DaemonMetrics {
  readonly registry = new Registry();
  readonly #calls: Counter<'operation' | 'status'>;
  readonly #rateLimited: Counter<'operation'>;
  readonly #passSeconds: Histogram<'job' | 'outcome'>;
  readonly #records: Counter<'direction'>;

  constructor(health: Health, labels: { instance: string }) {
    const registers = [this.registry];
    this.registry.setDefaultLabels(labels);
    collectDefaultMetrics({ register: this.registry, prefix: 'b24xero_process_' });
    this.#calls = new Counter({ name: 'b24xero_xero_calls_total', help: 'Xero Accounting API calls by gateway operation and HTTP status (0: no answer)', labelNames: ['operation', 'status'], registers });
    this.#rateLimited = new Counter({ name: 'b24xero_xero_rate_limited_total', help: 'Xero answers 429 (rate limited)', labelNames: ['operation'], registers });
    this.#passSeconds = new Histogram({
      name: 'b24xero_pass_duration_seconds', help: 'Duration of the daemon jobs (passes) that had work', labelNames: ['job', 'outcome'], registers,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900],
    });
    this.#records = new Counter({ name: 'b24xero_records_total', help: 'Records written to Xero (pushed) or from Xero (pulled)', labelNames: ['direction'], registers });
    const gauge = (name: string, help: string, read: () => number | null, labelNames: string[] = []) => new Gauge({
      name, help, labelNames, registers,
      collect() {
        const value = read();
        if (value !== null) this.set(value);
      },
    });
    gauge('b24xero_records_failing', 'Records with an open error', () => health.snapshot?.failing ?? null);
    gauge('b24xero_conflicts', 'Invoices edited in Bitrix after Xero approved them', () => health.snapshot?.conflicts ?? null);
    gauge('b24xero_inbox_pending', 'Inbox rows waiting for the Bitrix module to apply them', () => health.snapshot?.pendingInbox ?? null);
    gauge('b24xero_change_feed_lag_seconds', 'Age of the oldest change-feed row still waiting', () => health.snapshot?.lagSeconds ?? null);
    gauge('b24xero_webhook_events_pending', 'Xero webhook events stored and not yet processed (only while webhooks are on)', () => health.snapshot?.webhooks?.pending ?? null);
    gauge('b24xero_webhook_oldest_pending_seconds', 'Age of the oldest unprocessed webhook event (0 when none)', () => {
      const w = health.snapshot?.webhooks;
      return w ? w.oldestPendingSeconds ?? 0 : null;
    });
    gauge('b24xero_xero_budget_remaining', 'Calls left in today’s (UTC) daily budget', () => {
      const s = health.snapshot;
      return s ? s.budgetCap - (s.budgetUsed ?? 0) : null;
    });
    gauge('b24xero_last_success_timestamp_seconds', 'When a job last ended well (Unix time)', () => (health.lastSuccessAt ? health.lastSuccessAt.getTime() / 1000 : null));
    gauge('b24xero_last_pass_timestamp_seconds', 'When a pass with work last ended (Unix time)', () => (health.lastPassAt ? health.lastPassAt.getTime() / 1000 : null));
    new Gauge({
      name: 'b24xero_up', help: '1 while the daemon runs without trouble; per source, 1 while it is in trouble', labelNames: ['trouble'], registers,
      collect() {
        this.reset();
        this.set({ trouble: 'none' }, health.healthy ? 1 : 0);
        for (const t of health.troubles) this.set({ trouble: t.source }, 1);
      },
    });
  }

  xeroCall(call: XeroCallRecord): void {
    this.#calls.inc({ operation: call.operation, status: String(call.status) });
    if (call.rateLimited) this.#rateLimited.inc({ operation: call.operation });
  }

  jobEnded(job: string, ok: boolean, ms: number, report: JobReport | null | undefined): void {
    // Idle ticks (nothing to do) would drown the histogram in near-zero samples; only passes with work count.
    if (ok && !report) return;
    this.#passSeconds.observe({ job, outcome: ok ? 'ok' : 'failed' }, ms / 1000);
    if (report?.pushed) this.#records.inc({ direction: 'pushed' }, report.pushed);
    if (report?.pulled) this.#records.inc({ direction: 'pulled' }, report.pulled);
  }

  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
