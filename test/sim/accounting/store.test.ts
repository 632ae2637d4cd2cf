import { describe, expect, it } from 'vitest';
import { Store } from './store.ts';

interface Rec { id: string; code: string }

function store(): Store {
  const s = new Store();
  s.defineIndex('items', 'code', (r: Rec) => r.code.toLowerCase());
  return s;
}

describe('the record store', () => {
  it('undoes every change of a transaction that does not commit, indexes included', () => {
    const s = store();
    s.put<Rec>('items', 'a', { id: 'a', code: 'ONE' });
    s.transaction(() => {
      s.put<Rec>('items', 'a', { id: 'a', code: 'RENAMED' });
      s.put<Rec>('items', 'b', { id: 'b', code: 'TWO' });
      s.remove('items', 'a');
      return { commit: false, result: undefined };
    });
    expect(s.all<Rec>('items')).toEqual([{ id: 'a', code: 'ONE' }]);
    expect(s.lookup<Rec>('items', 'code', 'one').map((r) => r.id)).toEqual(['a']);
    expect(s.lookup('items', 'code', 'renamed')).toEqual([]);
    expect(s.lookup('items', 'code', 'two')).toEqual([]);
  });

  it('undoes a transaction that throws, and rethrows', () => {
    const s = store();
    expect(() => s.transaction(() => {
      s.put<Rec>('items', 'x', { id: 'x', code: 'X' });
      throw new Error('boom');
    })).toThrow('boom');
    expect(s.get('items', 'x')).toBeUndefined();
  });

  it('rolls back to a savepoint without losing earlier work', () => {
    const s = store();
    s.transaction(() => {
      s.put<Rec>('items', 'keep', { id: 'keep', code: 'K' });
      const mark = s.mark();
      s.put<Rec>('items', 'drop', { id: 'drop', code: 'D' });
      s.undoTo(mark);
      return { commit: true, result: undefined };
    });
    expect(s.all<Rec>('items').map((r) => r.id)).toEqual(['keep']);
  });

  it('freezes stored records so a change must replace them', () => {
    const s = store();
    const rec = s.put<Rec>('items', 'f', { id: 'f', code: 'F' });
    expect(() => { (rec as { code: string }).code = 'G'; }).toThrow(TypeError);
  });

  it('reloads from its own JSON with indexes rebuilt', () => {
    const s = store();
    s.put<Rec>('items', 'a', { id: 'a', code: 'ONE' });
    const copy = store();
    copy.load(JSON.parse(JSON.stringify(s.toJSON())), (_c, r) => (r as Rec).id);
    expect(copy.lookup<Rec>('items', 'code', 'one')).toEqual([{ id: 'a', code: 'ONE' }]);
  });
});
