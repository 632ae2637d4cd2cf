import type { ChangeEvent } from '../../contract.ts';
import { signWebhookBody } from './webhook-signature.ts';

export interface WebhookTarget {
  url: string;
  key: string;
}

export interface WebhookEvent {
  resourceUrl: string;
  resourceId: string;
  eventDateUtc: string;
  eventType: 'CREATE' | 'UPDATE';
  eventCategory: 'INVOICE' | 'CONTACT' | 'CREDITNOTE';
  tenantId: string;
  tenantType: 'ORGANISATION';
  /** CREDITNOTE events only. */
  data?: { Type: string; Status: string };
}

export interface WebhookPayload {
  events: WebhookEvent[];
  firstEventSequence: number;
  lastEventSequence: number;
  entropy: string;
}

export interface WebhookDelivery {
  url: string;
  firstEventSequence: number;
  lastEventSequence: number;
  events: number;
  attempt: number;
  status?: number;
  error?: string;
  ok: boolean;
}

export interface IntentToReceiveResult {
  url: string;
  passed: boolean;
  checks: { signature: 'valid' | 'invalid'; expected: number; status?: number; error?: string; ok: boolean }[];
}

const RESOURCE_BASE = 'https://api.xero.com/api.xro/2.0';
const RESOURCE_PATH: Record<ChangeEvent['category'], string> = {
  INVOICE: 'Invoices',
  CONTACT: 'Contacts',
  CREDITNOTE: 'CreditNotes',
};
const RETRY_DELAYS_MS = [250, 1000];
/** The tenant key of the app-wide webhook. */
export const APP_WIDE = '*';

/**
 * Turns engine change events into Xero webhook deliveries: events arriving within the batch window for the same
 * target go out as one payload, with increasing sequence numbers, signed over the exact bytes sent.
 */
export class WebhookEmitter {
  readonly #targets = new Map<string, WebhookTarget>();
  readonly #pending = new Map<string, { target: WebhookTarget; events: WebhookEvent[] }>();
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #deliveries: WebhookDelivery[] = [];
  readonly #abort = new AbortController();
  readonly #batchMs: number;
  readonly #random: () => number;
  #timer: NodeJS.Timeout | undefined;
  #sequence = 0;
  #closed = false;

  constructor(batchMs: number, random: () => number) {
    this.#batchMs = batchMs;
    this.#random = random;
  }

  /**
   * Sets (or with undefined, removes) the webhook for one tenant, or with tenantId '*' the app-wide one that covers
   * every tenant without its own, including tenants created later (a Xero webhook belongs to the app).
   */
  configure(tenantId: string, target: WebhookTarget | undefined): void {
    if (target) this.#targets.set(tenantId, { ...target });
    else this.#targets.delete(tenantId);
  }

  /** Configured webhooks by tenant id ('*' = app-wide); keys are never exposed. */
  targets(): Record<string, { url: string }> {
    return Object.fromEntries([...this.#targets].map(([tenantId, t]) => [tenantId, { url: t.url }]));
  }

  deliveries(): WebhookDelivery[] {
    return this.#deliveries.map((d) => ({ ...d }));
  }

  /** Queues an engine change for its tenant's webhook, if one is configured. */
  enqueue(change: ChangeEvent): void {
    const target = this.#targets.get(change.tenantId) ?? this.#targets.get(APP_WIDE);
    if (!target || this.#closed) return;
    const id = `${target.url}\u0000${target.key}`;
    const batch = this.#pending.get(id) ?? { target, events: [] };
    batch.events.push({
      resourceUrl: `${RESOURCE_BASE}/${RESOURCE_PATH[change.category]}/${change.resourceId}`,
      resourceId: change.resourceId,
      // Xero writes this UTC time without a zone designator ("2025-12-02T00:44:09.923"), as its OpenAPI example shows.
      eventDateUtc: change.eventDateUtc.replace(/Z$/, ''),
      eventType: change.type,
      eventCategory: change.category,
      tenantId: change.tenantId,
      tenantType: 'ORGANISATION',
      ...(change.data ? { data: change.data } : {}),
    });
    this.#pending.set(id, batch);
    this.#timer ??= setTimeout(() => void this.flush(), this.#batchMs);
  }

  /** Sends every pending batch now and waits for all deliveries (including retries) to settle. */
  async flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const batches = [...this.#pending.values()];
    this.#pending.clear();
    for (const { target, events } of batches) {
      const first = this.#sequence + 1;
      this.#sequence += events.length;
      const payload: WebhookPayload = { events, firstEventSequence: first, lastEventSequence: this.#sequence, entropy: this.#entropy() };
      this.#track(this.#deliver(target, payload));
    }
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  /**
   * Xero's intent-to-receive check: a correctly signed empty payload must get 200, a wrongly signed one 401.
   * Sends two of each, interleaved, as Xero sends "a series".
   */
  async intentToReceive(target: WebhookTarget): Promise<IntentToReceiveResult> {
    const checks: IntentToReceiveResult['checks'] = [];
    for (const signature of ['valid', 'invalid', 'invalid', 'valid'] as const) {
      const body = Buffer.from(JSON.stringify({ events: [], lastEventSequence: 0, firstEventSequence: 0, entropy: this.#entropy() }));
      const key = signature === 'valid' ? target.key : `${target.key}-wrong`;
      const expected = signature === 'valid' ? 200 : 401;
      const outcome = await this.#post(target.url, body, signWebhookBody(body, key));
      checks.push({ signature, expected, ...outcome, ok: outcome.status === expected });
    }
    return { url: target.url, passed: checks.every((c) => c.ok), checks };
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#pending.clear();
    this.#abort.abort();
    await Promise.allSettled([...this.#inFlight]);
  }

  async #deliver(target: WebhookTarget, payload: WebhookPayload): Promise<void> {
    const body = Buffer.from(JSON.stringify(payload));
    const signature = signWebhookBody(body, target.key);
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.#post(target.url, body, signature);
      const ok = outcome.status !== undefined && outcome.status >= 200 && outcome.status < 300;
      this.#deliveries.push({
        url: target.url,
        firstEventSequence: payload.firstEventSequence,
        lastEventSequence: payload.lastEventSequence,
        events: payload.events.length,
        attempt,
        ...outcome,
        ok,
      });
      const delay = RETRY_DELAYS_MS[attempt - 1];
      if (ok || delay === undefined || this.#closed) return;
      await new Promise((resolve) => setTimeout(resolve, delay).unref());
    }
  }

  async #post(url: string, body: Buffer, signature: string): Promise<{ status?: number; error?: string }> {
    try {
      // Xero gives a receiver 5 s to answer.
      const signal = AbortSignal.any([this.#abort.signal, AbortSignal.timeout(5000)]);
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-xero-signature': signature, 'user-agent': 'Xero-Webhooks' },
        body,
        signal,
      });
      await res.arrayBuffer();
      return { status: res.status };
    } catch (error) {
      return { error: (error as Error).message };
    }
  }

  #track(promise: Promise<unknown>): void {
    this.#inFlight.add(promise);
    void promise.finally(() => this.#inFlight.delete(promise));
  }

  #entropy(): string {
    const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    let out = '';
    for (let i = 0; i < 20; i++) out += letters[Math.floor(this.#random() * letters.length)];
    return out;
  }
}
