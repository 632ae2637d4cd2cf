import type { PushGateway } from './push-context.ts';

/**
 * Wraps a gateway so every Accounting API method call is counted (run stats "apiCalls"). A Proxy rather than asking
 * the governor: reading the governor's snapshot would itself start a token exchange in a pass that has no work.
 */
export function countingGateway<G extends PushGateway>(gateway: G, onCall: (method: string) => void): G {
  return new Proxy(gateway, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string' || !/^(get|create|update)/.test(property)) {
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return (...args: unknown[]) => {
        onCall(property);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
