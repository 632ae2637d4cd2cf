/** Shared set-up for the accounting conformance suites: a simulator with generous limits and error helpers. */
import { randomUUID } from 'node:crypto';
import { afterAll } from 'vitest';
import type { XeroClient } from 'xero-node';
import { Invoice, LineAmountTypes } from 'xero-node';
import type { OrgOptions } from '../sim/contract.ts';
import { parseXeroError, startSimForTest, type SimForTest } from './harness.ts';

/** Accounting suites make many calls; rate limits are the platform suite's subject, so they are lifted here. */
export function startAccountingSim(organisations?: OrgOptions[]): Promise<SimForTest> {
  return startSimForTest({
    limits: { perMinute: 1_000_000, perDay: 1_000_000, appPerMinute: 1_000_000, concurrent: 50 },
    ...(organisations ? { organisations } : {}),
  });
}

/**
 * One simulator for the calling test file, closed after its tests: each accounting suite opens with
 * `const h = await accountingSuite(); const { xero, tenantId } = h;` (top-level await, at collection time).
 */
export async function accountingSuite(organisations?: OrgOptions[]): Promise<SimForTest> {
  let started: SimForTest | undefined;
  afterAll(() => started?.close());
  started = await startAccountingSim(organisations);
  return started;
}

export interface Rejection {
  status: number;
  body: any;
  headers: Record<string, string>;
}

/** Awaits a xero-node call that must fail and returns the HTTP status and body it carried. */
export async function rejection(call: Promise<unknown>): Promise<Rejection> {
  let result: unknown;
  try {
    result = await call;
  } catch (error) {
    const parsed = parseXeroError(error);
    return { status: parsed.response.statusCode, body: parsed.response.body, headers: parsed.response.headers };
  }
  throw new Error(`expected the call to fail, it answered ${JSON.stringify((result as any)?.response?.status)}`);
}

/** Every ValidationErrors message of a 400 ValidationException. */
export function messages(body: any): string[] {
  return (body?.Elements ?? []).flatMap((e: any) => (e.ValidationErrors ?? []).map((v: any) => v.Message));
}

/** A unique contact name per call, so tests in one file do not collide on Xero's name uniqueness. */
export function uniqueName(prefix = 'Customer'): string {
  return `${prefix} ${randomUUID().slice(0, 8)}`;
}

export async function createContact(xero: XeroClient, tenantId: string, name = uniqueName(), extra: Record<string, unknown> = {}) {
  const res = await xero.accountingApi.createContacts(tenantId, { contacts: [{ name, ...extra }] });
  return res.body.contacts![0]!;
}

export interface LineSpec {
  description?: string;
  quantity?: number;
  unitAmount?: number;
  accountCode?: string;
  taxType?: string;
  discountRate?: number;
  discountAmount?: number;
  itemCode?: string;
  lineAmount?: number;
  taxAmount?: number;
}

export function salesInvoice(contactID: string, lines: LineSpec[], extra: Partial<Invoice> = {}): Invoice {
  return {
    type: Invoice.TypeEnum.ACCREC,
    contact: { contactID },
    date: '2026-03-01',
    dueDate: '2026-03-31',
    lineAmountTypes: LineAmountTypes.Exclusive,
    lineItems: lines,
    ...extra,
  };
}

/** One AUTHORISED sales invoice of 100.00 + 15% GST = 115.00 (NZ org). */
export async function approvedInvoice(xero: XeroClient, tenantId: string, extra: Partial<Invoice> = {}) {
  const contact = await createContact(xero, tenantId, uniqueName(), { emailAddress: 'accounts@example.test' });
  const res = await xero.accountingApi.createInvoices(tenantId, {
    invoices: [salesInvoice(contact.contactID!, [{ description: 'Consulting', quantity: 1, unitAmount: 100, accountCode: '200', taxType: 'OUTPUT2' }],
      { status: Invoice.StatusEnum.AUTHORISED, ...extra })],
  });
  return res.body.invoices![0]!;
}

/** The invoice as Xero has it now (GET /Invoices/{id}). */
export async function currentInvoice(xero: XeroClient, tenantId: string, id: string) {
  return (await xero.accountingApi.getInvoice(tenantId, id)).body.invoices![0]!;
}

/** Raw JSON of the last response (xero-node drops the envelope and re-types dates in `body`). */
export function raw(res: { response: { data?: unknown } }): any {
  return res.response.data;
}
