/**
 * Decimal-safe rounding for money as Xero does it: half away from zero, at a fixed number of places.
 * Plain `Math.round(x * 100) / 100` gets 1.005 wrong (1.005 * 100 = 100.49999…), so the number is first
 * cut to 10 places (dropping binary noise from earlier products) and then shifted by exponent notation.
 */
export function roundTo(value: number, places: number): number {
  if (!Number.isFinite(value)) throw new RangeError(`Cannot round a non-finite amount (${value})`);
  const sign = value < 0 ? -1 : 1;
  const cleaned = Math.abs(value).toFixed(10);
  const shifted = Math.round(Number(`${cleaned}e${places}`));
  const result = sign * Number(`${shifted}e-${places}`);
  // Avoid -0 in payloads and hashes.
  return result === 0 ? 0 : result;
}

export const round2 = (value: number): number => roundTo(value, 2);
export const round4 = (value: number): number => roundTo(value, 4);

/** How many decimal places `value` really carries (0…max), ignoring float noise. */
export function decimalsOf(value: number, max = 10): number {
  for (let places = 0; places < max; places++) {
    if (Math.abs(roundTo(value, places) - value) < 1e-9) return places;
  }
  return max;
}

/** True when two money figures differ by more than `tolerance` (Xero compares totals at cent level). */
export function differsBy(a: number, b: number, tolerance: number): boolean {
  return Math.abs(round2(a) - round2(b)) > tolerance + 1e-9;
}

/** Same rate within float noise (percentages such as 15, 12.5, 0). */
export function sameRate(a: number, b: number): boolean {
  return Math.abs(a - b) < 1e-6;
}
