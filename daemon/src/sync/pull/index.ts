/** The way back (Xero → Bitrix): entry points the passes and the webhook handler call. */
export { pullTransactions, recordInvoiceBalances, TXN_CURSORS } from './transaction-pull.ts';
export type { TransactionPullContext, TransactionPullOptions, TransactionPullSummary } from './transaction-pull.ts';
