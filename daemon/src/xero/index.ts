/** The Xero gateway: the only code in the daemon that touches xero-node. */
export { createXeroGateway, MAX_BATCH, whereString, XeroGateway } from './xero-gateway.ts';
export type { ContactQuery, InvoiceQuery, ItemQuery, Page, PaymentQuery, WriteOptions, XeroCallRecord, XeroGatewayDeps } from './xero-gateway.ts';
export type { RefreshTokenStore, StoredToken, StoredTokenSet } from './token-store-port.ts';
export { GATEWAY_DEFAULTS, resolveGatewayOptions, XERO_AUTH_MODES } from './gateway-options.ts';
export type { GatewayLogger, XeroAuthMode, XeroGatewayOptions } from './gateway-options.ts';
export { classify, classifyValidationMessages, toXeroError, XERO_ERROR_TYPES, XeroApiError } from './errors.ts';
export type { XeroElementError, XeroErrorType } from './errors.ts';
export type { BatchResult, ElementOutcome } from './batch-result.ts';
export { RateGovernor } from './governor.ts';
export { MemoryBudgetStore } from './memory-budget-store.ts';
export type { GovernorBudgetStore, GovernorSnapshot } from './governor.ts';
export { systemClock } from './clock.ts';
export type { Clock } from './clock.ts';
export { SecretRedactor } from '../util/redact.ts';
export { IdentityClient } from './identity-client.ts';
export type { TokenResponse, XeroConnection } from './identity-client.ts';
export * from './models.ts';
