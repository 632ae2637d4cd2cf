import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../sim/index.ts';
import type { XeroApiError } from '../../daemon/src/xero/errors.ts';
import { XeroGateway, type XeroCallRecord } from '../../daemon/src/xero/xero-gateway.ts';
import { gatewayOptionsFor, rejection, startSim } from './support/sim-gateway.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('Xero-Correlation-Id and the per-call hook', () => {
  let sim: RunningSimulator;
  beforeAll(async () => { sim = await startSim(); });
  afterAll(async () => { await sim?.close(); });

  it('puts Xero’s correlation id on the error and on the one log line of a failed call', async () => {
    const lines: Array<{ message: string; meta: Record<string, unknown> | undefined }> = [];
    const logger = {
      debug() {}, info() {},
      warn(message: string, meta?: Record<string, unknown>) { lines.push({ message, meta }); },
      error(message: string, meta?: Record<string, unknown>) { lines.push({ message, meta }); },
    };
    const gw = new XeroGateway(gatewayOptionsFor(sim, { logger }));
    await gw.connect();
    sim.addFault({ kind: '500', path: '/api.xro/2.0/TaxRates', times: 1 });
    const err = (await rejection(gw.getTaxRates())) as XeroApiError;
    expect(err.correlationId).toMatch(UUID);
    expect(err.toJSON()).toMatchObject({ correlationId: err.correlationId });
    const failed = lines.filter((l) => l.message === 'xero call failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.meta).toMatchObject({ operation: 'getTaxRates', status: 500, correlationId: err.correlationId });
  });

  it('reports every attempt to onCall with operation, status and correlation id, 429s included', async () => {
    const calls: XeroCallRecord[] = [];
    const gw = new XeroGateway(gatewayOptionsFor(sim), { onCall: (c) => calls.push(c) });
    await gw.connect();
    sim.addFault({ kind: '429', path: '/api.xro/2.0/Currencies', times: 1 });
    await gw.getCurrencies();
    expect(calls.map((c) => [c.operation, c.status, c.rateLimited])).toEqual([['getCurrencies', 429, true], ['getCurrencies', 200, false]]);
    expect(calls[1]!.correlationId).toMatch(UUID);
  });

  it('survives an onCall hook that throws', async () => {
    const gw = new XeroGateway(gatewayOptionsFor(sim), { onCall: () => { throw new Error('metrics broke'); } });
    await expect(gw.getCurrencies()).resolves.toBeInstanceOf(Array);
  });
});
