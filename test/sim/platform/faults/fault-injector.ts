import { FAULT_KINDS, type FaultKind, type FaultSpec, type RandomFaultRates } from './fault-spec.ts';

export interface ActiveFault extends FaultSpec {
  id: string;
  /** How many times it has fired. */
  fired: number;
}

export interface FaultRequest {
  method: string;
  path: string;
  tenantId: string | undefined;
}

/** Holds injected faults and decides which one, if any, a request suffers. */
export class FaultInjector {
  #faults: ActiveFault[] = [];
  #nextId = 1;
  #random: () => number;
  #rates: RandomFaultRates;

  constructor(random: () => number, rates: RandomFaultRates = {}) {
    this.#random = random;
    this.#rates = { ...rates };
  }

  add(spec: FaultSpec): ActiveFault {
    const fault: ActiveFault = { ...spec, id: `fault-${this.#nextId++}`, fired: 0 };
    this.#faults.push(fault);
    return fault;
  }

  remove(id: string): boolean {
    const before = this.#faults.length;
    this.#faults = this.#faults.filter((f) => f.id !== id);
    return this.#faults.length !== before;
  }

  clear(): void {
    this.#faults = [];
    this.#rates = {};
  }

  setRandomRates(rates: RandomFaultRates): void {
    this.#rates = { ...rates };
  }

  list(): { faults: ActiveFault[]; random: RandomFaultRates } {
    return { faults: this.#faults.map((f) => ({ ...f })), random: { ...this.#rates } };
  }

  /** The fault to apply to this request (configured ones first, then a random draw), or undefined. */
  pick(req: FaultRequest): FaultSpec | undefined {
    const fault = this.#faults.find((f) => matches(f, req));
    if (fault) {
      fault.fired++;
      if (fault.times !== undefined && fault.fired >= fault.times) this.remove(fault.id);
      return fault;
    }
    return globToRegExp(this.#rates.path ?? '/api.xro/2.0/*').test(req.path) ? this.#drawRandom() : undefined;
  }

  #drawRandom(): FaultSpec | undefined {
    for (const kind of FAULT_KINDS) {
      const rate = this.#rates[kind];
      if (!rate) continue;
      // Draw per kind even when an earlier kind fired would change later draws; stopping at the first hit keeps
      // the sequence reproducible for a given seed and request order.
      if (this.#random() < rate) return randomFault(kind, this.#rates.latencyMs ?? 200);
    }
    return undefined;
  }
}

function randomFault(kind: FaultKind, latencyMs: number): FaultSpec {
  // A random hang still ends (after 30 s) so a long random run cannot pile up sockets forever.
  if (kind === 'latency') return { kind, ms: latencyMs };
  if (kind === 'hang') return { kind, ms: 30_000 };
  return { kind };
}

function matches(fault: FaultSpec, req: FaultRequest): boolean {
  if (fault.method && fault.method !== req.method.toUpperCase()) return false;
  if (fault.tenantId && fault.tenantId !== req.tenantId) return false;
  if (fault.path && !globToRegExp(fault.path).test(req.path)) return false;
  return true;
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`, 'i');
}
