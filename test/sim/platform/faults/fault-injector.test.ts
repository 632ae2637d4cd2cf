import { describe, expect, it } from 'vitest';
import { FaultInjector } from './fault-injector.ts';
import { parseFaultSpec } from './fault-spec.ts';
import { seededRandom } from './seeded-random.ts';

const req = (method: string, path: string, tenantId?: string) => ({ method, path, tenantId });

describe('FaultInjector', () => {
  it('matches method, a case-insensitive * pattern and tenant, and retires a fault after `times`', () => {
    const f = new FaultInjector(seededRandom(1));
    f.add({ kind: '503', method: 'POST', path: '/api.xro/2.0/Invoices*', times: 2 });
    expect(f.pick(req('GET', '/api.xro/2.0/Invoices'))).toBeUndefined();
    expect(f.pick(req('POST', '/api.xro/2.0/invoices/abc'))?.kind).toBe('503');
    expect(f.pick(req('POST', '/api.xro/2.0/Invoices'))?.kind).toBe('503');
    expect(f.pick(req('POST', '/api.xro/2.0/Invoices'))).toBeUndefined();
    f.add({ kind: '500', tenantId: 't1' });
    expect(f.pick(req('GET', '/api.xro/2.0/Items', 't2'))).toBeUndefined();
    expect(f.pick(req('GET', '/api.xro/2.0/Items', 't1'))?.kind).toBe('500');
  });

  it('draws the same random faults for the same seed, only on the random-fault paths', () => {
    const draw = (seed: number) => {
      const f = new FaultInjector(seededRandom(seed), { '500': 0.5 });
      return Array.from({ length: 20 }, () => f.pick(req('GET', '/api.xro/2.0/Contacts'))?.kind ?? 'ok');
    };
    expect(draw(3)).toEqual(draw(3));
    expect(draw(3)).not.toEqual(draw(4));
    const f = new FaultInjector(seededRandom(3), { '500': 1 });
    expect(f.pick(req('POST', '/connect/token'))).toBeUndefined();
  });

  it('refuses a malformed fault with a message naming the field', () => {
    expect(() => parseFaultSpec({ kind: 'boom' })).toThrow(/fault kind must be one of/);
    expect(() => parseFaultSpec({ kind: 'latency', ms: -5 })).toThrow(/fault ms/);
    expect(parseFaultSpec({ kind: 'latency', method: 'get', ms: 5 })).toEqual({ kind: 'latency', method: 'GET', ms: 5 });
  });
});
