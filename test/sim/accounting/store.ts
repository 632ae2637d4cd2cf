/**
 * The records of one organisation, keyed by id per collection, with an undo journal so a batch that fails as a whole
 * (summarizeErrors=true) leaves nothing behind. Records are deep-frozen when stored: every change replaces the record,
 * which is what makes the journal (old reference restored on rollback) sufficient.
 */

export type Collection =
  | 'accounts' | 'taxRates' | 'currencies' | 'trackingCategories' | 'contacts' | 'items' | 'invoices' | 'creditNotes'
  | 'payments' | 'bankTransactions' | 'allocations';

export const COLLECTIONS: readonly Collection[] = [
  'accounts', 'taxRates', 'currencies', 'trackingCategories', 'contacts', 'items', 'invoices', 'creditNotes', 'payments',
  'bankTransactions', 'allocations',
];

type Undo = () => void;

export class Store {
  private readonly maps = new Map<Collection, Map<string, unknown>>();
  private journal: Undo[] | null = null;

  constructor() {
    for (const name of COLLECTIONS) this.maps.set(name, new Map());
  }

  get<T>(collection: Collection, id: string): T | undefined {
    return this.map(collection).get(id) as T | undefined;
  }

  all<T>(collection: Collection): T[] {
    return [...this.map(collection).values()] as T[];
  }

  put<T>(collection: Collection, id: string, record: T): T {
    const map = this.map(collection);
    if (this.journal) {
      const had = map.has(id);
      const previous = map.get(id);
      this.journal.push(() => (had ? map.set(id, previous) : map.delete(id)));
    }
    map.set(id, deepFreeze(record));
    return record;
  }

  remove(collection: Collection, id: string): void {
    const map = this.map(collection);
    if (!map.has(id)) return;
    const previous = map.get(id);
    this.journal?.push(() => map.set(id, previous));
    map.delete(id);
  }

  /** Records undoable changes to arbitrary state (counters, org settings) made inside a transaction. */
  remember(undo: Undo): void {
    this.journal?.push(undo);
  }

  get inTransaction(): boolean {
    return this.journal !== null;
  }

  /** A savepoint inside the current transaction (per-element atomicity with summarizeErrors=false). */
  mark(): number {
    return this.journal?.length ?? 0;
  }

  undoTo(mark: number): void {
    const journal = this.journal;
    if (!journal) return;
    while (journal.length > mark) journal.pop()?.();
  }

  /** Runs `work`; if it returns false or throws, every change made through this store is undone. */
  transaction<R>(work: () => { commit: boolean; result: R }): R {
    if (this.journal) return work().result; // nested: the outer transaction decides
    const journal: Undo[] = [];
    this.journal = journal;
    try {
      const { commit, result } = work();
      if (!commit) rollback(journal);
      return result;
    } catch (error) {
      rollback(journal);
      throw error;
    } finally {
      this.journal = null;
    }
  }

  toJSON(): Record<Collection, unknown[]> {
    const out = {} as Record<Collection, unknown[]>;
    for (const name of COLLECTIONS) out[name] = this.all(name);
    return out;
  }

  load(snapshot: Partial<Record<Collection, unknown[]>>, idOf: (collection: Collection, record: unknown) => string): void {
    for (const name of COLLECTIONS) {
      const map = this.map(name);
      map.clear();
      for (const record of snapshot[name] ?? []) map.set(idOf(name, record), deepFreeze(record));
    }
  }

  private map(collection: Collection): Map<string, unknown> {
    const map = this.maps.get(collection);
    if (!map) throw new Error(`unknown collection ${collection}`);
    return map;
  }
}

function rollback(journal: Undo[]): void {
  for (let i = journal.length - 1; i >= 0; i--) journal[i]?.();
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
