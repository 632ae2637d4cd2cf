import type { AccountingEngine, ChangeEvent, OrgOptions, Organisation } from '../contract.ts';
import type { ScaledClock } from './sim-clock.ts';

export interface TenantSummary {
  tenantId: string;
  name: string;
  country: string;
  baseCurrency: string;
  createdDateUtc: string;
}

/** The organisations this simulator holds, in creation order, with change events fanned out to one listener. */
export class TenantDirectory {
  readonly #engine: AccountingEngine;
  readonly #clock: ScaledClock;
  readonly #onChange: (event: ChangeEvent) => void;
  readonly #orgs = new Map<string, { org: Organisation; created: string; unsubscribe: () => void }>();

  constructor(engine: AccountingEngine, clock: ScaledClock, onChange: (event: ChangeEvent) => void) {
    this.#engine = engine;
    this.#clock = clock;
    this.#onChange = onChange;
  }

  create(options: OrgOptions): Organisation {
    if (options.tenantId && this.#orgs.has(options.tenantId)) throw new Error(`tenant ${options.tenantId} already exists`);
    return this.#add(this.#engine.createOrganisation(options, this.#clock));
  }

  /** Replaces every organisation with the ones in the snapshot. */
  restore(snapshots: unknown[]): void {
    const restored = snapshots.map((s) => this.#engine.restoreOrganisation(s, this.#clock));
    this.clear();
    for (const org of restored) this.#add(org);
  }

  get(tenantId: string): Organisation | undefined {
    return this.#orgs.get(tenantId)?.org;
  }

  ids(): string[] {
    return [...this.#orgs.keys()];
  }

  list(): TenantSummary[] {
    return [...this.#orgs.values()].map(({ org, created }) => ({
      tenantId: org.tenantId,
      name: org.name,
      country: org.country,
      baseCurrency: org.baseCurrency,
      createdDateUtc: created,
    }));
  }

  snapshot(): unknown[] {
    return [...this.#orgs.values()].map(({ org }) => org.toJSON());
  }

  clear(): void {
    for (const { unsubscribe } of this.#orgs.values()) unsubscribe();
    this.#orgs.clear();
  }

  #add(org: Organisation): Organisation {
    const unsubscribe = org.onChange((event) => this.#onChange(event));
    this.#orgs.set(org.tenantId, { org, created: this.#clock.now().toISOString(), unsubscribe });
    return org;
  }
}
