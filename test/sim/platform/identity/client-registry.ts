import { timingSafeEqual } from 'node:crypto';
import type { SimClientOptions } from '../sim-options.ts';

/** The apps the simulator knows (Xero's "Custom Connection" or standard apps), and which organisations each may reach. */
export class ClientRegistry {
  readonly #clients: SimClientOptions[];
  readonly #allTenantIds: () => string[];

  constructor(clients: SimClientOptions[], allTenantIds: () => string[]) {
    if (clients.length === 0) throw new Error('the simulator needs at least one client');
    this.#clients = clients.map((c) => ({ ...c, ...(c.tenantIds ? { tenantIds: [...c.tenantIds] } : {}) }));
    this.#allTenantIds = allTenantIds;
  }

  get first(): SimClientOptions {
    return this.#clients[0]!;
  }

  list(): SimClientOptions[] {
    return this.#clients.map((c) => ({ ...c }));
  }

  get(clientId: string): SimClientOptions | undefined {
    return this.#clients.find((c) => c.clientId === clientId);
  }

  /** The client when the secret matches; compared in constant time as a real identity server would. */
  authenticate(clientId: string, clientSecret: string): SimClientOptions | undefined {
    const client = this.get(clientId);
    if (!client) return undefined;
    const a = Buffer.from(client.clientSecret);
    const b = Buffer.from(clientSecret);
    return a.length === b.length && timingSafeEqual(a, b) ? client : undefined;
  }

  /** Organisations the client is connected to right now (clients without a list follow every organisation). */
  tenantIdsFor(clientId: string): string[] {
    const client = this.get(clientId);
    if (!client) return [];
    const all = this.#allTenantIds();
    return client.tenantIds ? client.tenantIds.filter((id) => all.includes(id)) : all;
  }
}
