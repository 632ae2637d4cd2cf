import type { DomainInvoice } from '../../domain/invoice.ts';
import type { Settings } from '../../domain/settings.ts';
import type { CreateStatus, InvoicePayload } from './xero-payload.ts';
import { orgHasCurrency } from './org-context.ts';
import { planLines, type LineContext } from './invoice-lines.ts';
import { expectedTotal, roundingAllowance, roundingWarning, totalMismatchError, type ExpectedTotals } from './expected-total.ts';
import { contentHash } from './content-hash.ts';
import { invoiceKey, invoiceReference } from './bitrix-keys.ts';
import { cleanText } from './text-fields.ts';
import { needsPerson, uniqueErrors, type PlanError, type PlanWarning } from './plan-result.ts';

export interface InvoicePlanContext extends LineContext {
  settings: Pick<Settings, 'taxMap' | 'productAccounts' | 'defaultSalesAccount' | 'invoiceNumberPolicy' | 'statusMap'>;
  /** Xero ContactID of the payer, resolved (matched or created) by the executor before planning the invoice. */
  contactID: string;
}

export type InvoicePlan =
  | {
      ok: true;
      /** Create payload (has `status`); for an update see planInvoiceUpdate. */
      payload: InvoicePayload;
      /** contentHash('invoice', payload): compare with b_b24xero_link.CONTENT_HASH. */
      hash: string;
      /** Query parameter for createInvoices/updateInvoice: 4 when a unit amount needs more than cents. */
      unitdp: 2 | 4;
      /** What Xero's SubTotal/TotalTax/Total will be, computed the way Xero rounds. */
      expected: ExpectedTotals;
      warnings: PlanWarning[];
    }
  | { ok: false; errors: PlanError[] };

const INVOICE_NUMBER_MAX = 255;

function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

/**
 * The Xero invoice (ACCREC) for a Bitrix invoice, or every reason it cannot be pushed. Decisions:
 * - CurrencyCode is always sent (Xero would otherwise silently use the base currency); a currency the organisation
 *   has not enabled is a per-invoice error for a person to fix in Xero.
 * - A missing issue date is omitted, so Xero uses today in the organisation's time zone (the accountant's calendar)
 *   and an update never moves the date Xero set. The planner reads no clock, which keeps it deterministic.
 * - A due date before the issue date is an error, not clamped: the planner never rewrites a document's terms.
 * - Numbering 'bitrix' sends ACCOUNT_NUMBER as InvoiceNumber (omitted with a warning when Bitrix has none);
 *   'xero' omits it and Xero numbers the invoice.
 * - Reference is 'B24-SI-<id> (<number>)' / 'B24-I-<id> (<number>)' (bitrix-keys.ts), unique per invoice and kind.
 * - Status is settings.statusMap.push.createAs (DRAFT by default).
 */
export function planInvoice(invoice: DomainInvoice, ctx: InvoicePlanContext): InvoicePlan {
  const errors: PlanError[] = [];
  const warnings: PlanWarning[] = [];
  const label = invoiceKey(invoice.kind, invoice.id);

  if (ctx.contactID.trim() === '') {
    errors.push({ code: 'contact_unresolved', message: `${label}: the payer's Xero contact is not known yet`, class: 'retry' });
  }

  const currency = invoice.currency.trim().toUpperCase();
  if (currency === '') {
    errors.push(needsPerson('currency_missing', `${label} has no currency in Bitrix`));
  } else if (!/^[A-Z]{3}$/.test(currency)) {
    errors.push(needsPerson('currency_invalid', `${label} has currency '${invoice.currency}', which is not an ISO 4217 code`));
  } else if (!orgHasCurrency(ctx.org, currency)) {
    errors.push(
      needsPerson(
        'currency_not_enabled',
        `The Xero organisation is not subscribed to currency ${currency} — add it in Xero (Settings › Currencies) or change the invoice's currency`,
      ),
    );
  }

  if (invoice.lines.length === 0) {
    errors.push(needsPerson('no_lines', `${label} has no product rows; Xero needs at least one line`));
  }

  for (const [field, value] of [['issue date', invoice.issueDate], ['due date', invoice.dueDate]] as const) {
    if (value !== null && !isCalendarDate(value)) errors.push(needsPerson('date_invalid', `${label} has an invalid ${field} '${value}'`));
  }
  if (invoice.issueDate && invoice.dueDate && isCalendarDate(invoice.issueDate) && isCalendarDate(invoice.dueDate) && invoice.dueDate < invoice.issueDate) {
    errors.push(needsPerson('due_before_date', `${label} is due ${invoice.dueDate}, before its date ${invoice.issueDate}`));
  }

  const lines = planLines(invoice.lines, ctx);
  errors.push(...lines.errors);
  warnings.push(...lines.warnings);
  if (errors.length > 0) return { ok: false, errors: uniqueErrors(errors) };

  const status: CreateStatus = ctx.settings.statusMap.push?.createAs ?? 'DRAFT';
  const payload: InvoicePayload = {
    type: 'ACCREC',
    contact: { contactID: ctx.contactID },
    lineItems: lines.lineItems,
    lineAmountTypes: lines.lineAmountTypes,
    currencyCode: currency,
    reference: invoiceReference(invoice.kind, invoice.id, invoice.number),
    status,
  };
  if (invoice.issueDate) payload.date = invoice.issueDate;
  if (invoice.dueDate) payload.dueDate = invoice.dueDate;
  else if (status !== 'DRAFT') {
    warnings.push({ code: 'due_date_missing', message: `${label} has no due date; Xero applies the contact's or organisation's payment terms` });
  }

  if (ctx.settings.invoiceNumberPolicy === 'bitrix') {
    const number = cleanText(invoice.number, INVOICE_NUMBER_MAX);
    if (number !== '') payload.invoiceNumber = number;
    else warnings.push({ code: 'invoice_number_missing', message: `${label} has no number in Bitrix; Xero will number it` });
  }

  const expected = expectedTotal(payload, ctx.org);
  const wrongTotal = totalMismatchError(expected.total, invoice.total, currency, roundingAllowance(payload.lineItems));
  if (wrongTotal) return { ok: false, errors: [wrongTotal] };
  const mismatch = roundingWarning(expected.total, invoice.total, currency);
  if (mismatch) warnings.push({ ...mismatch, code: 'expected_total_mismatch' });

  return { ok: true, payload, hash: contentHash('invoice', payload), unitdp: lines.unitdp, expected, warnings };
}
