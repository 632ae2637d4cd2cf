import type { LineAmountType } from './xero-payload.ts';
import { round2 } from './money.ts';

/**
 * Xero's arithmetic for one line (developer.xero.com "Rounding in Xero"): the line amount is rounded to cents,
 * then tax is computed per line from that rounded amount and rounded to cents; totals are sums of rounded figures.
 */
export function xeroLineAmount(line: {
  quantity: number;
  unitAmount: number;
  discountRate?: number | undefined;
  discountAmount?: number | undefined;
}): number {
  const gross = line.quantity * line.unitAmount;
  if (line.discountRate !== undefined) return round2(gross * (1 - line.discountRate / 100));
  if (line.discountAmount !== undefined) return round2(gross - line.discountAmount);
  return round2(gross);
}

/** Tax Xero computes on a rounded line amount at `ratePercent`, in the invoice's basis. */
export function xeroLineTax(lineAmount: number, ratePercent: number, basis: LineAmountType): number {
  if (basis === 'NoTax' || ratePercent === 0) return 0;
  if (basis === 'Inclusive') return round2((lineAmount * ratePercent) / (100 + ratePercent));
  return round2((lineAmount * ratePercent) / 100);
}
