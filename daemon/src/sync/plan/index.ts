/**
 * Sync planners: pure functions from Bitrix domain objects (daemon/src/domain/) to xero-node-shaped payloads and
 * decisions. No I/O, no clock, no xero-node import; the executor fetches, calls the gateway and stores results.
 *
 * Typical invoice pass, per tenant:
 *   const org = orgContextFromXero({ organisation, currencies, taxRates, accounts, items });   // once per pass
 *   shouldPush(invoice, settings)                        → skip with a reason, or push
 *   const party = payerOf(invoice); const contact = planPartyContact(party)
 *   matchContact(candidates, identity, links)            → use | create | blocked (needs_person error)
 *   const plan = planInvoice(invoice, { org, settings, contactID, itemCodes })
 *   new invoice: createInvoices({ invoices: [plan.payload] }, summarizeErrors=false, unitdp=plan.unitdp)
 *   existing:    planInvoiceUpdate(link, xeroInvoice, plan.payload) → unchanged | update | conflict
 *   after a push: roundingWarning(xero.total, invoice.total, currency) → store or clear the 'rounding' warning
 *   element errors: classifyXeroValidation(element.validationErrors.map(e => e.message))
 *   --dry-run: formatDiff(diffPayload(invoicePayloadFromXero(xeroInvoice), plan.payload))
 */
export * from './plan-result.ts';
export * from './org-context.ts';
export * from './xero-payload.ts';
export * from './money.ts';
export * from './tax-type.ts';
export * from './account-code.ts';
export * from './xero-rounding.ts';
export * from './invoice-lines.ts';
export * from './expected-total.ts';
export * from './content-hash.ts';
export * from './bitrix-keys.ts';
export * from './invoice-plan.ts';
export * from './push-decision.ts';
export * from './invoice-update.ts';
export * from './record-update.ts';
export * from './contact-fields.ts';
export * from './contact-plan.ts';
export * from './contact-match.ts';
export * from './history-match.ts';
export * from './contact-import.ts';
export * from './invoice-content.ts';
export * from './item-plan.ts';
export * from './payload-diff.ts';
export * from './xero-projection.ts';
export * from './validation-class.ts';
export * from './text-fields.ts';
