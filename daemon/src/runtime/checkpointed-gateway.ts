/**
 * Wraps the gateway so each Accounting API call first passes the running job's checkpoint: once the daemon is
 * stopping, the call in flight finishes and the next one is never sent (the pass ends there and resumes at the next
 * start). A Proxy, like sync/push/counting-gateway.ts, so every method of the gateway is covered.
 */
export function checkpointedGateway<G extends object>(gateway: G, checkpoint: () => void): G {
  return new Proxy(gateway, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      if (typeof property !== 'string' || !/^(get|create|update)/.test(property)) return value.bind(target);
      return (...args: unknown[]) => {
        checkpoint();
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
