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

interface Index {
  name: string;
  keyOf: (record: unknown) => string | undefined;
  ids: Map<string, Set<string>>;
}

function addToIndex(index: Index, id: string, record: unknown): void {
  const key = index.keyOf(record);
  if (key === undefined) return;
  let ids = index.ids.get(key);
  if (!ids) index.ids.set(key, (ids = new Set()));
  ids.add(id);
}

function removeFromIndex(index: Index, id: string, record: unknown): void {
  const key = index.keyOf(record);
  if (key === undefined) return;
  const ids = index.ids.get(key);
  ids?.delete(id);
  if (ids?.size === 0) index.ids.delete(key);
}

export class Store {
  private readonly maps = new Map<Collection, Map<string, unknown>>();
  private readonly indexes = new Map<Collection, Index[]>();
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
      this.journal.push(() => this.write(collection, id, had ? previous : undefined, had));
    }
    this.write(collection, id, deepFreeze(record), true);
    return record;
  }

  /**
   * Declares a secondary index (e.g. sales invoices by lower-cased number), kept in step with every put, remove and
   * rollback, so uniqueness checks stay O(1) on large books. `keyOf` returns undefined for records not indexed.
   */
  defineIndex(collection: Collection, name: string, keyOf: (record: never) => string | undefined): void {
    const index: Index = { name, keyOf: keyOf as (record: unknown) => string | undefined, ids: new Map() };
    for (const [id, record] of this.map(collection)) addToIndex(index, id, record);
    const list = this.indexes.get(collection) ?? [];
    list.push(index);
    this.indexes.set(collection, list);
  }

  /** Records whose index key equals `key`, in no particular order. */
  lookup<T>(collection: Collection, name: string, key: string): T[] {
    const index = this.indexes.get(collection)?.find((i) => i.name === name);
    if (!index) throw new Error(`no index ${name} on ${collection}`);
    const map = this.map(collection);
    return [...(index.ids.get(key) ?? [])].map((id) => map.get(id) as T);
  }

  private write(collection: Collection, id: string, record: unknown, present: boolean): void {
    const map = this.map(collection);
    const indexes = this.indexes.get(collection) ?? [];
    if (map.has(id)) for (const index of indexes) removeFromIndex(index, id, map.get(id));
    if (present) {
      map.set(id, record);
      for (const index of indexes) addToIndex(index, id, record);
    } else {
      map.delete(id);
    }
  }

  remove(collection: Collection, id: string): void {
    const map = this.map(collection);
    if (!map.has(id)) return;
    const previous = map.get(id);
    this.journal?.push(() => this.write(collection, id, previous, true));
    this.write(collection, id, undefined, false);
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
      for (const id of [...this.map(name).keys()]) this.write(name, id, undefined, false);
      for (const record of snapshot[name] ?? []) this.write(name, idOf(name, record), deepFreeze(record), true);
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
