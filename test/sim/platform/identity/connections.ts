import { createHash } from 'node:crypto';
import type { TenantDirectory } from '../tenant-directory.ts';
import type { ClientRegistry } from './client-registry.ts';
import type { Grant } from './token-store.ts';

export interface ConnectionView {
  id: string;
  authEventId: string;
  tenantId: string;
  tenantType: 'ORGANISATION';
  tenantName: string;
  createdDateUtc: string;
  updatedDateUtc: string;
}

/** The organisations a token may act on: the consented ones for auth-code grants, the client's for Custom Connections. */
export function allowedTenantIds(grant: Grant, clients: ClientRegistry, tenants: TenantDirectory): string[] {
  const existing = tenants.ids();
  if (grant.connections) return grant.connections.map((c) => c.tenantId).filter((id) => existing.includes(id));
  return clients.tenantIdsFor(grant.clientId);
}

/** GET /connections: one object per connected organisation, as Xero's identity API lists them. */
export function listConnections(grant: Grant, clients: ClientRegistry, tenants: TenantDirectory): ConnectionView[] {
  const summaries = new Map(tenants.list().map((t) => [t.tenantId, t]));
  return allowedTenantIds(grant, clients, tenants).map((tenantId) => {
    const summary = summaries.get(tenantId)!;
    const stored = grant.connections?.find((c) => c.tenantId === tenantId);
    const created = stored?.createdDateUtc ?? summary.createdDateUtc;
    return {
      // Custom Connections have one stable connection per organisation, so derive its id instead of storing it.
      id: stored?.id ?? stableUuid(`${grant.clientId}:${tenantId}`),
      authEventId: grant.authEventId,
      tenantId,
      tenantType: 'ORGANISATION',
      tenantName: summary.name,
      createdDateUtc: created,
      updatedDateUtc: created,
    };
  });
}

/** DELETE /connections/{id}: only auth-code grants can be disconnected; true when something was removed. */
export function disconnect(grant: Grant, connectionId: string): boolean {
  if (!grant.connections) return false;
  const before = grant.connections.length;
  grant.connections = grant.connections.filter((c) => c.id !== connectionId);
  return grant.connections.length !== before;
}

function stableUuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
