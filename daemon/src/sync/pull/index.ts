/** The way back (Xero → Bitrix): entry points the passes and the webhook handler call. */
export { pullTransactions, recordInvoiceBalances, TXN_CURSORS } from './transaction-pull.ts';
export type { TransactionPullContext, TransactionPullOptions, TransactionPullSummary } from './transaction-pull.ts';
export { pullInvoices, INVOICE_CURSOR, INVOICE_PAGE } from './invoice-pull.ts';
export type { InvoicePullSummary } from './invoice-pull.ts';
export { emptyPullSummary } from './pull-context.ts';
export type { PullContext, PullGateway, PullOptions, PullSummary } from './pull-context.ts';
export { pullForPass, TXN_SWEEP_CURSOR, TXN_SWEEP_MS } from './pull-pass.ts';
export type { PullPassSummary } from './pull-pass.ts';
export { pullContacts, contactPullDue, CONTACT_CURSOR, CONTACT_PULL_AT, CONTACT_PULL_MS } from './contact-pull.ts';
export type { ContactPullSummary } from './contact-pull.ts';
export { linkImportResults, importResultsPending, IMPORT_RESULT_CURSOR } from './import-results.ts';
