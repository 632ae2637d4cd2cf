import { describe, expect, it } from 'vitest';
import { clip, formatMoney, textTable } from '../../daemon/src/demo/text-table.ts';

describe('demo text table', () => {
  it('sizes columns to their widest cell, right-aligns numbers and draws a rule under the header', () => {
    const lines = textTable([{ n: 'INV-1', t: '1,725.00' }, { n: 'INV-1003', t: '3.50' }], [
      { header: 'Number', value: (r) => r.n },
      { header: 'Total', value: (r) => r.t, align: 'right' },
    ], '  ');
    expect(lines).toEqual([
      '  Number       Total',
      '  --------  --------',
      '  INV-1     1,725.00',
      '  INV-1003      3.50',
    ]);
  });

  it('counts characters, not UTF-16 units, so accented and macron names stay aligned', () => {
    const lines = textTable([{ c: 'Café Aotearoa' }, { c: 'Pōhutukawa 🌺' }, { c: 'Kauri' }], [{ header: 'Contact', value: (r) => r.c }, { header: 'X', value: () => 'x' }]);
    const column = lines.slice(2).map((l) => [...l].indexOf('x'));
    expect(new Set(column).size).toBe(1);
  });

  it('formats money with two decimals and grouped thousands, and shows a dash for none', () => {
    expect(formatMoney(1725)).toBe('1,725.00');
    expect(formatMoney('626.155')).toBe('626.16');
    expect(formatMoney(-12.5)).toBe('-12.50');
    expect(formatMoney(undefined)).toBe('-');
    expect(formatMoney(null)).toBe('-');
  });

  it('clips long text with an ellipsis and leaves short text alone', () => {
    expect(clip('abcdef', 4)).toBe('abc…');
    expect(clip('abc', 4)).toBe('abc');
  });
});
