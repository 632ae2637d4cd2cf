import type { Kysely } from 'kysely';
import type { PassResult } from '../sync/pass.ts';
import type { PlanEntry } from '../sync/push/push-context.ts';
import type { StateDb, LinkRow } from '../state/tables.ts';
import type { Contact, Invoice } from '../xero/index.ts';
import { clip, formatMoney, textTable } from './text-table.ts';
import { chunk } from '../util/chunk.ts';

/** What the demo needs to read Xero: the gateway's getInvoices (the smallest shape, so any reader will do). */
export interface InvoiceReader {
  getInvoices(q: { ids?: string[] }): Promise<{ items: Invoice[] }>;
}

export interface ContactReader {
  getContacts(q: { ids?: string[] }): Promise<{ items: Contact[] }>;
}

const ENTITY_LABEL: Readonly<Record<string, string>> = {
  smart_invoice: 'smart invoice', legacy_invoice: 'legacy invoice', contact: 'contact', company: 'company', product: 'product',
};

export function entityLabel(entityType: string, id: number): string {
  return `${ENTITY_LABEL[entityType] ?? entityType} ${id}`;
}

/** One line of the run's counters, in the words of `b24xero sync --once`. */
export function statsLine(result: PassResult): string {
  const s = result.stats;
  return `${s.created} created, ${s.updated} updated, ${s.unchanged} unchanged, ${s.skipped} skipped, ${s.conflicts} conflicts, ` +
    `${s.failed} failed; contacts ${s.contactsCreated} created, items ${s.itemsPushed} pushed; ${s.apiCalls} Xero API calls`;
}

const PLAN_GROUPS: ReadonlyArray<[string, readonly string[]]> = [
  ['invoices', ['smart_invoice', 'legacy_invoice']], ['contacts', ['company', 'contact']], ['items', ['product']],
];
const PLAN_ACTIONS = ['create', 'update', 'unchanged', 'recover', 'skip', 'conflict', 'error'] as const;

/**
 * A dry run's plan in a few words, per kind of record: 'invoices create 9, skip 2, error 1; contacts create 5'.
 * A record planned twice (a contact both payer and scanned) is counted once, by its last entry.
 */
export function planSummary(plan: readonly PlanEntry[]): string {
  const last = new Map<string, PlanEntry>();
  for (const entry of plan) last.set(`${entry.entity}:${entry.id}`, entry);
  const parts: string[] = [];
  for (const [group, entities] of PLAN_GROUPS) {
    const entries = [...last.values()].filter((e) => entities.includes(e.entity));
    const counts = PLAN_ACTIONS.map((a) => [a, entries.filter((e) => e.action === a).length] as const).filter(([, n]) => n > 0);
    if (counts.length > 0) parts.push(`${group} ${counts.map(([a, n]) => `${a} ${n}`).join(', ')}`);
  }
  return parts.length > 0 ? parts.join('; ') : 'nothing to do';
}

export interface LandedInvoice {
  entity: string;
  number: string;
  contact: string;
  status: string;
  total: string;
  currency: string;
}

/** Invoices the module's links point at, as Xero has them now (read back through the gateway, not from our state). */
export async function landedInvoices(state: StateDb, xero: InvoiceReader): Promise<LandedInvoice[]> {
  const links = await state.selectFrom('b_b24xero_link').selectAll()
    .where('XERO_TYPE', '=', 'invoice').where('XERO_ID', 'is not', null)
    .orderBy('ENTITY_TYPE', 'desc').orderBy('ENTITY_ID').execute();
  if (links.length === 0) return [];
  const byId = await invoicesById(xero, links.map((l) => l.XERO_ID!));
  return links.map((link: LinkRow) => {
    const inv = byId.get(link.XERO_ID!.toLowerCase());
    return {
      entity: entityLabel(link.ENTITY_TYPE, link.ENTITY_ID),
      number: inv?.invoiceNumber ?? link.XERO_NUMBER ?? '-',
      contact: inv?.contact?.name ?? '-',
      status: inv ? String(inv.status ?? '') : 'not found in Xero',
      total: formatMoney(inv?.total),
      currency: inv ? String(inv.currencyCode ?? '') : '',
    };
  });
}

/** GET /Invoices?IDs=… in pages of 50 ids, keyed by lower-case InvoiceID. */
export async function invoicesById(xero: InvoiceReader, ids: readonly string[]): Promise<Map<string, Invoice>> {
  const out = new Map<string, Invoice>();
  for (const batch of chunk(ids, 50)) {
    const page = await xero.getInvoices({ ids: batch });
    for (const inv of page.items) out.set(String(inv.invoiceID).toLowerCase(), inv);
  }
  return out;
}

export function landedTable(rows: readonly LandedInvoice[], indent: string): string[] {
  if (rows.length === 0) return [`${indent}(nothing in Xero yet)`];
  return textTable(rows, [
    { header: 'Bitrix', value: (r) => r.entity },
    { header: 'Xero invoice', value: (r) => r.number },
    { header: 'Contact', value: (r) => r.contact },
    { header: 'Status', value: (r) => r.status },
    { header: 'Total', value: (r) => r.total, align: 'right' },
    { header: 'Currency', value: (r) => r.currency },
  ], indent);
}

export interface LandedContact {
  entity: string;
  name: string;
  primary: string;
  others: string;
}

/**
 * Contacts the module's links point at, as Xero has them: a Bitrix company becomes a Xero contact named after it
 * with its primary contact as the Primary Person and the others as ContactPersons; a person paying for themselves
 * becomes a contact named "First Last".
 */
export async function landedContacts(state: StateDb, xero: ContactReader): Promise<LandedContact[]> {
  const links = await state.selectFrom('b_b24xero_link').selectAll()
    .where('XERO_TYPE', '=', 'contact').where('XERO_ID', 'is not', null)
    .orderBy('ENTITY_TYPE').orderBy('ENTITY_ID').execute();
  if (links.length === 0) return [];
  const byId = new Map<string, Contact>();
  for (const batch of chunk(links, 50)) {
    const page = await xero.getContacts({ ids: batch.map((l) => l.XERO_ID!) });
    for (const c of page.items) byId.set(String(c.contactID).toLowerCase(), c);
  }
  return links.map((link) => {
    const c = byId.get(link.XERO_ID!.toLowerCase());
    const person = (first?: string, last?: string, email?: string) =>
      [[first, last].filter(Boolean).join(' '), email ? `<${email}>` : ''].filter(Boolean).join(' ');
    return {
      entity: entityLabel(link.ENTITY_TYPE, link.ENTITY_ID),
      name: c?.name ?? 'not found in Xero',
      primary: c ? person(c.firstName, c.lastName, c.emailAddress) : '',
      others: (c?.contactPersons ?? []).map((p) => person(p.firstName, p.lastName)).join(', ') || '-',
    };
  });
}

export function contactsTable(rows: readonly LandedContact[], indent: string): string[] {
  if (rows.length === 0) return [`${indent}(no contacts in Xero yet)`];
  return textTable(rows, [
    { header: 'Bitrix', value: (r) => r.entity },
    { header: 'Xero contact', value: (r) => r.name },
    { header: 'Primary person', value: (r) => r.primary },
    { header: 'Other people', value: (r) => r.others },
  ], indent);
}

export interface NotSynced {
  entityType: string;
  id: number;
  entity: string;
  outcome: string;
  why: string;
}

/**
 * Records not in Xero: the open per-record errors (b_b24xero_record_error, what the dashboard lists) and the
 * invoices skipped on purpose (a real pass only counts skips, so they come from a dry run's plan), errors first,
 * each with its Bitrix number.
 */
export async function notSynced(state: StateDb, plan: readonly PlanEntry[]): Promise<NotSynced[]> {
  const errors = await state.selectFrom('b_b24xero_record_error').selectAll()
    .where('RESOLVED_AT', 'is', null).where('SEVERITY', '=', 'error')
    .orderBy('ENTITY_TYPE', 'desc').orderBy('ENTITY_ID').execute();
  const skips = plan.filter((e) => e.action === 'skip');
  const numbers = await invoiceNumbers(state, [
    ...errors.map((e) => ({ entityType: e.ENTITY_TYPE as string, id: e.ENTITY_ID })),
    ...skips.map((e) => ({ entityType: e.entity, id: e.id })),
  ]);
  const name = (entityType: string, id: number) => {
    const number = numbers.get(`${entityType}:${id}`);
    return number ? `${entityLabel(entityType, id)} (${number})` : entityLabel(entityType, id);
  };
  const rows: NotSynced[] = errors.map((e) => ({
    entityType: e.ENTITY_TYPE, id: e.ENTITY_ID, entity: name(e.ENTITY_TYPE, e.ENTITY_ID),
    outcome: `${e.OPERATION === 'conflict' ? 'conflict' : 'error'}, ${e.CLASS === 'needs_person' ? 'needs a person' : e.CLASS === 'retry' ? 'retried later' : 'not retried'}`,
    why: `${e.CODE}: ${e.MESSAGE}`,
  }));
  for (const entry of skips) rows.push({ entityType: entry.entity, id: entry.id, entity: name(entry.entity, entry.id), outcome: 'skipped', why: entry.reason ?? '' });
  return rows;
}

/** ACCOUNT_NUMBER of smart and legacy invoices (what a Bitrix user calls them), keyed 'entity_type:id'. */
async function invoiceNumbers(state: StateDb, refs: ReadonlyArray<{ entityType: string; id: number }>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const db = state as unknown as Kysely<any>;
  for (const [entityType, table] of [['smart_invoice', 'b_crm_dynamic_items_31'], ['legacy_invoice', 'b_crm_invoice']] as const) {
    const ids = refs.filter((r) => r.entityType === entityType).map((r) => r.id);
    if (ids.length === 0) continue;
    const rows = await db.selectFrom(table).select(['ID', 'ACCOUNT_NUMBER']).where('ID', 'in', ids).execute();
    for (const row of rows) if (row.ACCOUNT_NUMBER) out.set(`${entityType}:${row.ID}`, String(row.ACCOUNT_NUMBER));
  }
  return out;
}

/** The reason is the last column and never clipped: it says what to fix, and a terminal wraps long lines anyway. */
export function notSyncedTable(rows: readonly NotSynced[], indent: string): string[] {
  if (rows.length === 0) return [`${indent}(none)`];
  return textTable(rows, [
    { header: 'Bitrix', value: (r) => r.entity },
    { header: 'Outcome', value: (r) => r.outcome },
    { header: 'Why', value: (r) => r.why },
  ], indent);
}

export interface PendingInbox {
  id: number;
  entity: string;
  action: string;
  payload: string;
}

/** Inbox rows waiting for the Bitrix module's applier agent (the daemon never writes b_crm_* itself). */
export async function pendingInbox(state: StateDb): Promise<PendingInbox[]> {
  const rows = await state.selectFrom('b_b24xero_inbox').selectAll().where('STATE', '=', 'pending').orderBy('ID').execute();
  return rows.map((r) => ({
    id: r.ID,
    entity: r.ENTITY_ID === null ? ENTITY_LABEL[r.ENTITY_TYPE] ?? r.ENTITY_TYPE : entityLabel(r.ENTITY_TYPE, r.ENTITY_ID),
    action: r.ACTION,
    payload: summarisePayload(r.PAYLOAD),
  }));
}

/** set_fields payloads as 'FIELD=value, …' (long values such as URLs clipped); anything else as compact JSON. */
export function summarisePayload(json: string): string {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return clip(json, 80);
  }
  const fields = (value as { fields?: unknown } | null)?.fields;
  if (fields && typeof fields === 'object' && !Array.isArray(fields)) {
    // 40 keeps a Xero GUID whole and cuts URLs after the host and first path segment.
    return Object.entries(fields as Record<string, unknown>).map(([k, v]) => `${k}=${clip(String(v), 40)}`).join(', ');
  }
  return clip(JSON.stringify(value), 80);
}

export function inboxTable(rows: readonly PendingInbox[], indent: string): string[] {
  if (rows.length === 0) return [`${indent}(empty)`];
  return textTable(rows, [
    { header: 'Inbox', value: (r) => `#${r.id}`, align: 'right' },
    { header: 'Bitrix', value: (r) => r.entity },
    { header: 'Action', value: (r) => r.action },
    { header: 'Payload', value: (r) => r.payload },
  ], indent);
}
