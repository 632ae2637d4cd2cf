import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../sim/index.ts';
import { XeroApiError } from '../../daemon/src/xero/errors.ts';
import { XeroGateway } from '../../daemon/src/xero/xero-gateway.ts';
import { gatewayOptionsFor, rejection, startSim } from './support/sim-gateway.ts';

/** Transport failures and HTTP errors, injected in the simulator, as the sync sees them from the gateway. */
let sim: RunningSimulator;
let gw: XeroGateway;

beforeAll(async () => {
  sim = await startSim();
  gw = new XeroGateway(gatewayOptionsFor(sim, { timeoutMs: 300 }));
  await gw.connect();
});
afterEach(() => sim.clearFaults());
afterAll(async () => {
  await sim.close();
});

describe('transport failures', () => {
  it('gives up on a hung route with a typed, retryable timeout at the configured deadline', async () => {
    sim.addFault({ kind: 'hang', path: '/api.xro/2.0/Invoices*', times: 1 });
    const err = await rejection(gw.getInvoices());
    expect(err).toBeInstanceOf(XeroApiError);
    expect(err).toMatchObject({ type: 'timeout', status: 0, classification: 'retry', operation: 'getInvoices' });
    expect((err as XeroApiError).detail).toMatch(/timeout of 300ms exceeded|canceled/);
    // The deadline is per call: the next one goes through.
    await expect(gw.getInvoices()).resolves.toMatchObject({ items: expect.any(Array) });
  });

  it('types a dropped connection as a retryable network error', async () => {
    sim.addFault({ kind: 'reset', path: '/api.xro/2.0/Contacts*', times: 1 });
    const err = await rejection(gw.getContacts());
    expect(err).toMatchObject({ type: 'network', status: 0, classification: 'retry' });
  });

  it('types 503 and 500 as retryable server errors', async () => {
    sim.addFault({ kind: '503', path: '/api.xro/2.0/Items*', times: 1 });
    expect(await rejection(gw.getItems())).toMatchObject({ type: 'server', status: 503, classification: 'retry' });
    sim.addFault({ kind: '500', path: '/api.xro/2.0/Items*', times: 1 });
    expect(await rejection(gw.getItems())).toMatchObject({ type: 'server', status: 500, classification: 'retry' });
  });

  it('types an unknown object as not_found, never retried', async () => {
    const err = await rejection(gw.getOnlineInvoice('0b0b0b0b-1111-4222-8333-444455556666'));
    expect(err).toMatchObject({ type: 'not_found', status: 404, classification: 'never' });
  });
});
