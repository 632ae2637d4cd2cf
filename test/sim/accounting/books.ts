/**
 * The mutable core of one organisation: its records, settings, clock and pending change events. Resource handlers
 * receive it; the Organisation facade (organisation.ts) routes requests to them.
 */
import { randomUUID } from 'node:crypto';
import type { ChangeEvent, SimClock } from '../contract.ts';
import { dayOf } from './dates.ts';
import { defineIndexes } from './indexes.ts';
import { Store } from './store.ts';
import type { OrgSettings } from './types.ts';

export class Books {
  readonly store = new Store();
  private readonly pendingEvents: ChangeEvent[] = [];
  private readonly listeners = new Set<(event: ChangeEvent) => void>();

  constructor(public settings: OrgSettings, private readonly clock: SimClock) {
    defineIndexes(this.store);
  }

  now(): Date {
    return this.clock.now();
  }

  nowIso(): string {
    return this.clock.now().toISOString();
  }

  /** "Today" for defaults such as an invoice date. Xero uses the org's timezone; the simulator uses UTC. */
  today(): string {
    return dayOf(this.clock.now());
  }

  newId(): string {
    return randomUUID();
  }

  /** Changes settings undoably (lock dates, number sequences). */
  updateSettings(patch: Partial<OrgSettings>): void {
    const previous = this.settings;
    this.store.remember(() => { this.settings = previous; });
    this.settings = { ...previous, ...patch };
  }

  /** Queues a change event; delivered only once the surrounding transaction commits. */
  changed(category: ChangeEvent['category'], type: ChangeEvent['type'], resourceId: string, data?: ChangeEvent['data']): void {
    const event: ChangeEvent = {
      tenantId: this.settings.tenantId, category, type, resourceId, eventDateUtc: this.nowIso(), ...(data ? { data } : {}),
    };
    // An element created then updated in one batch is reported once, as a CREATE, with its latest data.
    const pending = this.pendingEvents.find((e) => e.resourceId === resourceId && e.category === category);
    if (pending) {
      if (data) {
        const before = pending.data;
        pending.data = data;
        this.store.remember(() => { pending.data = before; });
      }
      return;
    }
    this.pendingEvents.push(event);
    this.store.remember(() => {
      const index = this.pendingEvents.indexOf(event);
      if (index >= 0) this.pendingEvents.splice(index, 1);
    });
  }

  /** Runs a unit of work atomically; events are delivered after commit. */
  transaction<R>(work: () => { commit: boolean; result: R }): R {
    if (this.store.inTransaction) return this.store.transaction(work);
    try {
      return this.store.transaction(work);
    } finally {
      this.flushEvents();
    }
  }

  /** Like transaction() but commits unless `work` throws. */
  atomically<R>(work: () => R): R {
    return this.transaction(() => ({ commit: true, result: work() }));
  }

  subscribe(listener: (event: ChangeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }

  private flushEvents(): void {
    const events = this.pendingEvents.splice(0);
    for (const event of events) {
      for (const listener of this.listeners) {
        // A failing webhook listener must not undo or fail the API call that caused the change.
        try { listener(event); } catch { /* the platform logs delivery problems itself */ }
      }
    }
  }
}
