import { describe, expect, it } from 'vitest';
import { roundTo, round2, sum2, toNumber } from './money.ts';

describe('money rounding', () => {
  it.each([
    [1.005, 1.01], // binary floats would give 1.00
    [2.675, 2.68],
    [0.125, 0.13],
    [-0.125, -0.13], // half away from zero
    [4.5035, 4.5],
    [30.015, 30.02],
    [-0.004, 0],
  ])('round2(%s) = %s', (value, expected) => {
    expect(round2(value)).toBe(expected);
  });

  it('keeps 4 dp when asked', () => {
    expect(roundTo(1.23456, 4)).toBe(1.2346);
    expect(roundTo(1.23455, 4)).toBe(1.2346);
  });

  it('sums money without float noise', () => {
    expect(sum2([0.1, 0.2])).toBe(0.3);
    expect(sum2([0.15, 0.15, 0.15])).toBe(0.45);
    expect(sum2([])).toBe(0);
  });

  it('reads numbers and numeric strings only', () => {
    expect(toNumber('12.50')).toBe(12.5);
    expect(toNumber(3)).toBe(3);
    expect(toNumber('')).toBeUndefined();
    expect(toNumber('abc')).toBeUndefined();
    expect(toNumber(null)).toBeUndefined();
    expect(toNumber(Number.NaN)).toBeUndefined();
  });
});
