import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../sim/index.ts';
import { XeroGateway } from '../../daemon/src/xero/xero-gateway.ts';
import { gatewayOptionsFor, startSim } from './support/sim-gateway.ts';

/**
 * RFC 6749 §2.3.1: client id and secret are application/x-www-form-urlencoded before they are joined with ':' and
 * base64-encoded. Xero's generated secrets are URL-safe base64 most of the time, but may hold '+', '/', '=' and
 * users paste secrets from other tools: a secret with '+' or '%' must still authenticate.
 */
const SECRET = 'Ab+cd/ef=%2B gh:ij&kl';
const CLIENT_ID = 'client+id%41';
let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSim({ clients: [{ clientId: CLIENT_ID, clientSecret: SECRET }] });
});
afterAll(async () => {
  await sim.close();
});

describe('Basic client credentials', () => {
  it('authenticates a client id and secret holding +, %, /, =, :, & and a space', async () => {
    const gw = new XeroGateway(gatewayOptionsFor(sim, { clientId: CLIENT_ID, clientSecret: SECRET }));
    const org = await gw.getOrganisation();
    expect(org.organisationID).toBe(sim.defaultTenantId);
    const header = String(sim.requests({ path: '/connect/token' }).at(-1)?.headers?.authorization ?? '');
    if (header) {
      // When the request log keeps the header (it masks it), nothing of the raw secret is in it.
      expect(header).not.toContain(SECRET);
    }
  });

  it('is still refused for a wrong secret', async () => {
    const gw = new XeroGateway(gatewayOptionsFor(sim, { clientId: CLIENT_ID, clientSecret: `${SECRET}x` }));
    await expect(gw.getOrganisation()).rejects.toMatchObject({ type: 'auth' });
  });
});
