/**
 * Money arithmetic as Xero does it: values are decimals, rounded half away from zero (Xero's "rounding in Xero"
 * guide: line amounts and tax per line at 2 dp, unit amounts at 2 dp or 4 dp with unitdp=4, quantities at 4 dp).
 */

/** Rounds half away from zero at `dp` places, using exponent shifting so 1.005 → 1.01 (binary floats would give 1.00). */
export function roundTo(value: number, dp: number): number {
  if (!Number.isFinite(value)) return value;
  const sign = value < 0 ? -1 : 1;
  const shifted = Math.round(Number(`${Math.abs(value)}e${dp}`));
  const result = sign * Number(`${shifted}e-${dp}`);
  return result === 0 ? 0 : result;
}

export const round2 = (value: number): number => roundTo(value, 2);

/** Sums money values without accumulating float noise. */
export function sum2(values: readonly number[]): number {
  return round2(values.reduce((total, v) => total + Math.round(v * 100), 0) / 100);
}

/** Parses a numeric input the way Xero's JSON binder does: numbers or numeric strings; anything else is undefined. */
export function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}
