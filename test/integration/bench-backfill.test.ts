import { describe, expect, it } from 'vitest';
import { printFigures, runBackfillBench } from '../../bench/backfill.ts';

/**
 * `npm run bench` at a reduced size (issue 12 item 4): the cold backfill runs end to end against the simulator's
 * real limits and Xero holds every invoice exactly once. Figures are printed; nothing about time is asserted.
 */
describe('cold backfill benchmark, reduced', () => {
  it('pushes 600 invoices over 120 parties and 20 products with no duplicate and nothing lost', async () => {
    const f = await runBackfillBench({ invoices: 600, parties: 120, products: 20, timeScale: 20 });
    printFigures(f);
    expect(f.duplicates).toBe(0);
    expect(f.lost).toBe(0);
    expect(f.due.invoices).toBeGreaterThan(0);
    expect(f.rateLimited429).toBe(0);
  });
});
