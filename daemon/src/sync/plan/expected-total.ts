import type { InvoicePayload } from './xero-payload.ts';
import type { OrgContext } from './org-context.ts';
import { differsBy, round2 } from './money.ts';
import { xeroLineAmount, xeroLineTax } from './xero-rounding.ts';
import type { PlanError, PlanWarning } from './plan-result.ts';

export interface ExpectedTotals {
  subTotal: number;
  totalTax: number;
  total: number;
}

/**
 * The SubTotal, TotalTax and Total Xero will compute for `payload`, rounding the way Xero does (per line, to cents).
 * Tax percentages come from the organisation's tax rates (EffectiveRate); an unknown TaxType counts as 0 %.
 */
export function expectedTotal(payload: Pick<InvoicePayload, 'lineItems' | 'lineAmountTypes'>, org: Pick<OrgContext, 'taxRates'>): ExpectedTotals {
  let lines = 0;
  let tax = 0;
  for (const line of payload.lineItems) {
    const amount = xeroLineAmount(line);
    const rate = org.taxRates.find((t) => t.taxType === line.taxType)?.effectiveRate ?? 0;
    lines += amount;
    tax += xeroLineTax(amount, rate, payload.lineAmountTypes);
  }
  lines = round2(lines);
  tax = round2(tax);
  if (payload.lineAmountTypes === 'Inclusive') return { subTotal: round2(lines - tax), totalTax: tax, total: lines };
  return { subTotal: lines, totalTax: tax, total: round2(lines + tax) };
}

/** Totals closer than this are the same invoice; the issue asks for a warning only above one cent. */
export const ROUNDING_TOLERANCE = 0.01;

/**
 * The largest difference rounding can explain between Bitrix's total and Xero's for these lines: per line a cent (the
 * line amount and its tax each rounded to cents) plus half a cent per unit (Bitrix with 2-dp prices rounds each
 * tax-inclusive unit price before multiplying by the quantity). Beyond it the lines do not say what Bitrix's total
 * says — a row with no price or quantity, say — and the invoice is not sent (totalMismatchError).
 */
export function roundingAllowance(lines: ReadonlyArray<{ quantity: number }>): number {
  return round2(lines.reduce((sum, l) => sum + 0.01 + 0.005 * Math.abs(l.quantity), 0));
}

/** A total Xero would compute that differs from Bitrix's beyond rounding: a needs-a-person error, never a wrong invoice. */
export function totalMismatchError(expectedXeroTotal: number, bitrixTotal: number, currency: string, allowance: number): PlanError | null {
  if (!differsBy(expectedXeroTotal, bitrixTotal, Math.max(ROUNDING_TOLERANCE, allowance))) return null;
  return {
    code: 'total_mismatch',
    class: 'needs_person',
    message: `The lines total ${expectedXeroTotal.toFixed(2)} ${currency} in Xero's arithmetic but Bitrix says ${bitrixTotal.toFixed(2)} ${currency} ` +
      `(more than rounding explains) — check the product rows' prices and quantities in Bitrix; not sent to Xero`,
  };
}

/**
 * Compares Xero's Total with Bitrix's total after a push (or the expected total before one). Returns the warning to
 * store (OPERATION 'rounding') with both figures, or null when they agree within a cent.
 */
export function roundingWarning(xeroTotal: number, bitrixTotal: number, currency: string): PlanWarning | null {
  if (!differsBy(xeroTotal, bitrixTotal, ROUNDING_TOLERANCE)) return null;
  const difference = round2(xeroTotal - bitrixTotal);
  return {
    code: 'total_mismatch',
    message: `Xero total ${xeroTotal.toFixed(2)} ${currency} differs from the Bitrix total ${bitrixTotal.toFixed(2)} ${currency} by ${difference.toFixed(2)}`,
    details: { xeroTotal: round2(xeroTotal), bitrixTotal: round2(bitrixTotal), difference, currency },
  };
}
