import { describe, expect, expectTypeOf, it } from 'vitest';
import winston from 'winston';
import { GATEWAY_DEFAULTS, resolveGatewayOptions, type GatewayLogger } from '../../daemon/src/xero/gateway-options.ts';
import { MemoryBudgetStore } from '../../daemon/src/xero/memory-budget-store.ts';
import { whereString, XeroGateway } from '../../daemon/src/xero/xero-gateway.ts';

describe('gateway options', () => {
  it('default to a Custom Connection against real Xero with Xero’s published limits', () => {
    const o = resolveGatewayOptions({ clientId: 'id', clientSecret: 'secret' });
    expect(o).toMatchObject({
      auth: 'client_credentials', tenantId: null, apiUrl: 'https://api.xero.com/api.xro/2.0', identityUrl: 'https://identity.xero.com',
      connectionsUrl: 'https://api.xero.com/connections', minuteLimit: 60, dailyBudget: 5000, instance: 'default',
    });
    expect(o.timeoutMs).toBe(GATEWAY_DEFAULTS.timeoutMs);
  });

  it('name the setting that is wrong', () => {
    expect(() => resolveGatewayOptions({ clientId: '', clientSecret: 's' })).toThrow(/XERO_CLIENT_ID/);
    expect(() => resolveGatewayOptions({ clientId: 'i', clientSecret: '' })).toThrow(/XERO_CLIENT_SECRET/);
    expect(() => resolveGatewayOptions({ clientId: 'i', clientSecret: 's', apiUrl: 'api.xero.com' })).toThrow(/apiUrl/);
    expect(() => resolveGatewayOptions({ clientId: 'i', clientSecret: 's', minuteLimit: 0 })).toThrow(/minuteLimit/);
    expect(() => resolveGatewayOptions({ clientId: 'i', clientSecret: 's', timeoutMs: 2.5 })).toThrow(/timeoutMs/);
    expect(() => resolveGatewayOptions({ clientId: 'i', clientSecret: 's', auth: 'password' as never })).toThrow(/auth must be one of/);
  });

  it('strip trailing slashes from base URLs and treat an empty tenant as none', () => {
    expect(resolveGatewayOptions({ clientId: 'i', clientSecret: 's', apiUrl: 'http://127.0.0.1:9/api.xro/2.0/', tenantId: '' }))
      .toMatchObject({ apiUrl: 'http://127.0.0.1:9/api.xro/2.0', tenantId: null });
  });

  it('refuse the authorization-code flow without a database to keep the token in', () => {
    expect(() => new XeroGateway({ clientId: 'i', clientSecret: 's', auth: 'authorization_code' }, { budgetStore: new MemoryBudgetStore() }))
      .toThrow(/b_b24xero_token/);
  });

  it('accept a winston logger', () => {
    expectTypeOf(winston.createLogger()).toExtend<GatewayLogger>();
  });
});

describe('whereString', () => {
  it('quotes and escapes a value for Xero’s where language', () => {
    expect(whereString('B24-CO-42')).toBe('"B24-CO-42"');
    expect(whereString('Say "hi" \\ bye')).toBe('"Say \\"hi\\" \\\\ bye"');
  });
});
