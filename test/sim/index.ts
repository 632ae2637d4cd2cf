/** The Xero simulator: start it in process (tests, demo) or through bin/b24xero-sim.js. */
export { startSimulator, type RunningSimulator, type TokenResponse } from './platform/simulator.ts';
export type { SimOptions, SimClientOptions, SimLimits } from './platform/sim-options.ts';
export type { FaultSpec, FaultKind, RandomFaultRates } from './platform/faults/fault-spec.ts';
export type { SimSnapshot } from './platform/admin-routes.ts';
export type { RequestLogEntry, RequestLogFilter } from './platform/observability/request-log.ts';
export type { CountersSnapshot } from './platform/observability/call-counters.ts';
export type { WebhookPayload, WebhookEvent, IntentToReceiveResult } from './platform/webhooks/webhook-emitter.ts';
export { signWebhookBody } from './platform/webhooks/webhook-signature.ts';
export type { OrgOptions, OrgCountry, Organisation, AccountingEngine } from './contract.ts';
