import type { Kysely } from 'kysely';
import {
  addSmartInvoiceStage, buildCompany, buildContact, buildLegacyInvoice, buildProduct, buildSmartInvoice, withBitrixSession,
  type FixtureInfo,
} from '../fixture/index.ts';

/**
 * What the module's admin pages show, for their PHPUnit tests (bitrix-module/tests/integration/Ui*Test.php) and the
 * browser tests (test/ui/): invoices of two responsible users (user 2 may read only their own), their links, Xero
 * transactions in three currencies (some past due, one bank transaction tied to no invoice), 25 sync runs, 23 open
 * record errors, two conflicts, a resolved error, and the organisation data the daemon caches.
 * TODAY is fixed so that "overdue" does not depend on the day the tests run: pass it to the view models.
 */
export const UI_TODAY = '2026-12-04';
export const UI_TENANT = 'tenant-ui';

export const UI_ORG_CONTEXT = {
  v: 1,
  baseCurrency: 'NZD',
  currencies: ['NZD', 'AUD', 'USD'],
  taxRates: [
    { taxType: 'OUTPUT2', name: 'GST on Income', effectiveRate: 15, displayTaxRate: 15, status: 'ACTIVE', canApplyToRevenue: true },
    { taxType: 'ZERORATEDOUTPUT', name: 'Zero Rated', effectiveRate: 0, displayTaxRate: 0, status: 'ACTIVE', canApplyToRevenue: true },
    { taxType: 'NONE', name: 'No GST', effectiveRate: 0, displayTaxRate: 0, status: 'ACTIVE', canApplyToRevenue: true },
    { taxType: 'INPUT2', name: 'GST on Expenses', effectiveRate: 15, displayTaxRate: 15, status: 'ACTIVE', canApplyToRevenue: false },
  ],
  accounts: [
    { code: '200', name: 'Sales', type: 'REVENUE', status: 'ACTIVE', class: 'REVENUE' },
    { code: '260', name: 'Other Revenue', type: 'OTHERINCOME', status: 'ACTIVE', class: 'REVENUE' },
    { code: '270', name: 'Interest Income', type: 'REVENUE', status: 'ARCHIVED', class: 'REVENUE' },
    { code: '400', name: 'Advertising', type: 'EXPENSE', status: 'ACTIVE', class: 'EXPENSE' },
  ],
  items: [],
} as const;

const WHEN = '2026-11-20 10:00:00';
const xeroId = (n: number, kind: string) => `${kind.padEnd(8, '0').slice(0, 8)}-0000-4000-8000-${String(n).padStart(12, '0')}`;

export async function buildUiScenario(db: Kysely<any>, info: FixtureInfo): Promise<Record<string, number>> {
  return withBitrixSession(db, async (conn) => {
    const ids: Record<string, number> = {};
    const aroha = await buildContact(conn, { name: 'Aroha', lastName: 'Ngata', emails: ['aroha@example.co.nz'], dateModify: WHEN });
    const hemi = await buildContact(conn, { name: 'Hemi', lastName: 'Walker', emails: ['hemi@example.co.nz'], dateModify: WHEN });
    const kauri = await buildCompany(conn, { title: 'Kauri <Timber> & Sons', dateModify: WHEN });
    Object.assign(ids, { aroha: aroha.contactId, hemi: hemi.contactId, kauri: kauri.companyId });
    await addSmartInvoiceStage(conn, info.smartInvoiceCategoryId, { code: 'UC_APPROVAL', name: 'Awaiting approval', sort: 25 });

    const rows = [{ name: 'Consulting, hour', price: 115, quantity: 2, taxRate: 15, taxIncluded: true }];
    // Smart invoices 1..6: odd ones belong to user 1, even ones to user 2.
    for (let i = 1; i <= 6; i++) {
      const si = await buildSmartInvoice(conn, info, {
        title: `Smart ${i}`, stage: 'S', contactIds: [i % 3 === 0 ? hemi.contactId : aroha.contactId], sync: 1, rows,
        updatedTime: WHEN, assignedById: i % 2 === 1 ? 1 : 2, currency: i <= 4 ? 'NZD' : 'AUD',
        xeroUrl: `https://in.xero.com/online-${i}`,
      });
      ids[`smart${i}`] = si.id;
    }
    for (let i = 1; i <= 2; i++) {
      const li = await buildLegacyInvoice(conn, {
        topic: `Legacy ${i}`, statusId: 'S', contactId: aroha.contactId, sync: 1, dateUpdate: WHEN, currency: 'USD',
        lines: [{ name: 'Consulting, hour', price: 115, quantity: 2, vatRate: 15 }],
      });
      await conn.updateTable('b_crm_invoice').set({ RESPONSIBLE_ID: i }).where('ID', '=', li.id).execute();
      ids[`legacy${i}`] = li.id;
    }
    ids.product = (await buildProduct(conn, { name: 'Existing product', price: 50, currency: 'NZD' })).productId;

    const link = (entityType: string, entityId: number, n: number, status: string, state = 'synced') => ({
      ENTITY_TYPE: entityType, ENTITY_ID: entityId, XERO_TYPE: 'invoice', XERO_ID: xeroId(n, 'invoice'), STATE: state,
      IDEMPOTENCY_KEY: `ui-${entityType}-${entityId}`, CONTENT_HASH: 'a'.repeat(64), XERO_STATUS: status,
      XERO_NUMBER: `INV-${String(n).padStart(4, '0')}`, XERO_UPDATED_UTC: '2026-11-21 09:00:00.000', TENANT_ID: UI_TENANT,
      CREATED_AT: '2026-11-20 10:00:00.000', UPDATED_AT: '2026-11-21 09:00:00.000',
    });
    const invoices: Array<[string, number, string]> = [
      ...[1, 2, 3, 4, 5, 6].map((i): [string, number, string] => ['smart_invoice', ids[`smart${i}`]!, i === 5 ? 'PAID' : 'AUTHORISED']),
      ['legacy_invoice', ids.legacy1!, 'AUTHORISED'], ['legacy_invoice', ids.legacy2!, 'AUTHORISED'],
    ];
    await conn.insertInto('b_b24xero_link').values(invoices.map(([t, id, status], n) =>
      link(t, id, n + 1, status, t === 'smart_invoice' && id === ids.smart4 ? 'conflict' : 'synced'))).execute();

    // Invoice balances: n 1..8, amounts 230 each; due dates around UI_TODAY.
    const currencyOf = (n: number) => (n <= 4 ? 'NZD' : n <= 6 ? 'AUD' : 'USD');
    const contactOf = (n: number) => (n % 3 === 0 ? 'Hemi Walker' : 'Aroha Ngata');
    const txns: Array<Record<string, unknown>> = [];
    for (let n = 1; n <= 8; n++) {
      const paid = n === 5;
      txns.push({
        TENANT_ID: UI_TENANT, XERO_TYPE: 'invoice', XERO_ID: xeroId(n, 'invoice'), INVOICE_XERO_ID: xeroId(n, 'invoice'),
        CONTACT_XERO_ID: xeroId(n % 3 === 0 ? 2 : 1, 'contact'), CONTACT_NAME: contactOf(n), REFERENCE: `INV-${String(n).padStart(4, '0')}`,
        TXN_DATE: `2026-11-${String(n).padStart(2, '0')}`, DUE_DATE: n % 2 === 0 ? '2026-11-30' : '2026-12-20',
        AMOUNT: '230.0000', AMOUNT_DUE: paid ? '0.0000' : n === 1 ? '130.0000' : '230.0000', CURRENCY: currencyOf(n),
        STATUS: paid ? 'PAID' : 'AUTHORISED', XERO_UPDATED_UTC: '2026-11-21 09:00:00.000', RAW: null,
      });
    }
    // Payments: 20 of them, 5.00 each on invoice 1 (NZD) and one paying invoice 5 in full (AUD); a credit note on 2.
    for (let p = 1; p <= 20; p++) {
      txns.push({
        TENANT_ID: UI_TENANT, XERO_TYPE: 'payment', XERO_ID: xeroId(p, 'payment'), INVOICE_XERO_ID: xeroId(1, 'invoice'),
        CONTACT_XERO_ID: xeroId(1, 'contact'), CONTACT_NAME: 'Aroha Ngata', REFERENCE: `Payment ${p}`,
        TXN_DATE: `2026-11-${String(10 + (p % 15)).padStart(2, '0')}`, DUE_DATE: null, AMOUNT: '5.0000', AMOUNT_DUE: null,
        CURRENCY: 'NZD', STATUS: 'AUTHORISED', XERO_UPDATED_UTC: null, RAW: null,
      });
    }
    txns.push({
      TENANT_ID: UI_TENANT, XERO_TYPE: 'payment', XERO_ID: xeroId(21, 'payment'), INVOICE_XERO_ID: xeroId(5, 'invoice'),
      CONTACT_XERO_ID: xeroId(1, 'contact'), CONTACT_NAME: 'Aroha Ngata', REFERENCE: 'Paid in full', TXN_DATE: '2026-11-25',
      DUE_DATE: null, AMOUNT: '230.0000', AMOUNT_DUE: null, CURRENCY: 'AUD', STATUS: 'AUTHORISED', XERO_UPDATED_UTC: null, RAW: null,
    }, {
      TENANT_ID: UI_TENANT, XERO_TYPE: 'credit_note', XERO_ID: xeroId(1, 'credit'), INVOICE_XERO_ID: xeroId(2, 'invoice'),
      CONTACT_XERO_ID: xeroId(1, 'contact'), CONTACT_NAME: 'Aroha Ngata', REFERENCE: 'CN-0001', TXN_DATE: '2026-11-26',
      DUE_DATE: null, AMOUNT: '20.0000', AMOUNT_DUE: null, CURRENCY: 'NZD', STATUS: 'AUTHORISED', XERO_UPDATED_UTC: null, RAW: null,
    }, {
      TENANT_ID: UI_TENANT, XERO_TYPE: 'bank_transaction', XERO_ID: xeroId(1, 'bank'), INVOICE_XERO_ID: null,
      CONTACT_XERO_ID: xeroId(3, 'contact'), CONTACT_NAME: '<script>alert(1)</script> Ltd', REFERENCE: 'Deposit',
      TXN_DATE: '2026-11-27', DUE_DATE: null, AMOUNT: '99.5000', AMOUNT_DUE: null, CURRENCY: 'NZD', STATUS: 'AUTHORISED',
      XERO_UPDATED_UTC: null, RAW: null,
    });
    await conn.insertInto('b_b24xero_transaction').values(txns).execute();

    const runs = Array.from({ length: 25 }, (_, i) => ({
      INSTANCE: 'default', KIND: i % 5 === 0 ? 'scan' : 'push', STATUS: i === 3 ? 'failed' : 'ok', OWNER: 'host:1', DRY_RUN: 'N',
      STARTED_AT: `2026-12-03 10:${String(i).padStart(2, '0')}:00.000`, FINISHED_AT: `2026-12-03 10:${String(i).padStart(2, '0')}:04.000`,
      STATS: JSON.stringify({ created: i, updated: 1, unchanged: 10, skipped: 0, conflicts: 0, failed: i === 3 ? 1 : 0, apiCalls: 3 + i }),
      ERROR: i === 3 ? 'Xero unavailable (503)' : null,
    }));
    await conn.insertInto('b_b24xero_run').values(runs).execute();

    // Backing off for a day from now: a fixed date would make the Retry test's "not due yet" fail once it passed.
    const RETRY_LATER = new Date(Date.now() + 86_400_000).toISOString().replace('T', ' ').replace('Z', '');
    const err = (entityType: string, entityId: number, operation: string, cls: string, code: string, message: string, n: number, extra: Record<string, unknown> = {}) => ({
      ENTITY_TYPE: entityType, ENTITY_ID: entityId, OPERATION: operation, SEVERITY: 'error', CLASS: cls, CODE: code,
      MESSAGE: message, DETAILS: null, ATTEMPTS: 1 + (n % 4), FIRST_SEEN_AT: `2026-12-0${1 + (n % 3)} 08:${String(n).padStart(2, '0')}:00.000`,
      LAST_SEEN_AT: `2026-12-03 09:${String(n).padStart(2, '0')}:00.000`, NEXT_RETRY_AT: cls === 'retry' ? RETRY_LATER : null,
      RESOLVED_AT: null, RUN_ID: null, ...extra,
    });
    const errors = [
      err('smart_invoice', ids.smart1!, 'push', 'needs_person', 'validation', 'Account code \'999\' is not a valid code for this document.', 1),
      err('smart_invoice', ids.smart2!, 'push', 'retry', 'xero_unavailable', 'Xero unavailable (503)', 2),
      err('legacy_invoice', ids.legacy2!, 'push', 'needs_person', 'locked_period', 'The document date cannot be before the end of year lock date', 3),
      // 20 contact errors (no invoice: every reader of the module sees them), to page through.
      ...Array.from({ length: 20 }, (_, k) => err('contact', 1000 + k, 'push', k % 2 === 0 ? 'retry' : 'needs_person', 'contact_invalid',
        `Contact ${1000 + k}: <b>Email</b> address must be valid.`, 4 + k)),
      err('smart_invoice', ids.smart4!, 'conflict', 'never', 'approved_in_xero',
        'The invoice changed in Bitrix after Xero marked it AUTHORISED; Xero now owns it', 30,
        { DETAILS: JSON.stringify({ xeroId: xeroId(4, 'invoice'), xeroStatus: 'AUTHORISED', pushedHash: 'a'.repeat(64), bitrixHash: 'b'.repeat(64) }) }),
      err('smart_invoice', ids.smart6!, 'conflict', 'never', 'approved_in_xero',
        'The invoice changed in Bitrix after Xero marked it AUTHORISED; Xero now owns it', 31,
        { DETAILS: JSON.stringify({ xeroId: xeroId(6, 'invoice'), xeroStatus: 'AUTHORISED' }) }),
      err('smart_invoice', ids.smart3!, 'push', 'retry', 'timeout', 'Old timeout', 32, { RESOLVED_AT: '2026-12-02 00:00:00.000' }),
    ];
    await conn.insertInto('b_b24xero_record_error').values(errors).execute();

    await conn.insertInto('b_b24xero_org_cache').values({
      TENANT_ID: UI_TENANT, CONTEXT: JSON.stringify(UI_ORG_CONTEXT), FETCHED_AT: '2026-12-03 23:00:00.000',
    }).execute();
    await conn.insertInto('b_b24xero_governor').values({
      TENANT_ID: UI_TENANT, DAY_UTC: '2026-12-03', DAY_USED: 120, DAY_REMAINING: 4880, MIN_REMAINING: 58, BLOCKED_UNTIL: null,
      UPDATED_AT: '2026-12-03 23:00:00.000',
    }).execute();
    await conn.insertInto('b_b24xero_webhook_event').values({
      DEDUPE_KEY: 'f'.repeat(64), TENANT_ID: UI_TENANT, EVENT_CATEGORY: 'INVOICE', EVENT_TYPE: 'UPDATE',
      RESOURCE_ID: xeroId(1, 'invoice'), EVENT_DATE_UTC: '2026-12-03 22:00:00.000', RECEIVED_AT: '2026-12-03 22:00:01.000', PROCESSED_AT: null,
    }).execute();
    return ids;
  });
}
