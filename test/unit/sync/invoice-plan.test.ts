import { describe, expect, it } from 'vitest';
import { expectedTotal, planInvoice, roundingWarning, type InvoicePlan } from '../../../daemon/src/sync/plan/index.ts';
import type { DomainInvoice } from '../../../daemon/src/domain/invoice.ts';
import { invoice, line, nzOrg, settings, ukOrg } from './plan-fixtures.ts';

const CONTACT = '7f3a0c9e-1111-4d2b-9a55-000000000001';

function plan(inv: DomainInvoice, over: Partial<Parameters<typeof planInvoice>[1]> = {}): InvoicePlan {
  return planInvoice(inv, { org: nzOrg(), settings: settings(), contactID: CONTACT, ...over });
}

function ok(result: InvoicePlan): Extract<InvoicePlan, { ok: true }> {
  if (!result.ok) throw new Error(`expected a plan, got ${JSON.stringify(result.errors)}`);
  return result;
}

describe('planInvoice: a NZ GST 15 % invoice', () => {
  it('sends tax-exclusive prices as an Exclusive DRAFT with OUTPUT2 on the Sales account', () => {
    const result = ok(plan(invoice([line({ quantity: 2, unitPrice: 100, taxRate: 15, taxIncluded: false })])));
    expect(result.payload).toEqual({
      type: 'ACCREC',
      contact: { contactID: CONTACT },
      lineItems: [{ description: 'Consulting', quantity: 2, unitAmount: 100, taxType: 'OUTPUT2', accountCode: '200' }],
      lineAmountTypes: 'Exclusive',
      currencyCode: 'NZD',
      date: '2026-11-02',
      dueDate: '2026-11-30',
      invoiceNumber: 'INV-0042',
      reference: 'B24-SI-123 (INV-0042)',
      status: 'DRAFT',
    });
    expect(result.expected).toEqual({ subTotal: 200, totalTax: 30, total: 230 });
    expect(result.unitdp).toBe(2);
    expect(result.warnings).toEqual([]);
  });

  it('sends tax-inclusive prices as Inclusive and expects Xero to extract 15.00 GST from 115.00', () => {
    const result = ok(plan(invoice([line({ unitPrice: 115, taxIncluded: true })])));
    expect(result.payload.lineAmountTypes).toBe('Inclusive');
    expect(result.payload.lineItems[0]?.unitAmount).toBe(115);
    expect(result.expected).toEqual({ subTotal: 100, totalTax: 15, total: 115 });
  });

  it('keeps a percentage discount visible as DiscountRate when Xero lands on the same cent', () => {
    // 3 × 49.99 less 10 % = 134.973 → 134.97; GST 20.25; Bitrix total 155.22.
    const inv = invoice([line({ quantity: 3, unitPrice: 49.99, discountType: 'percent', discountRate: 10 })]);
    const result = ok(plan(inv));
    expect(result.payload.lineItems[0]).toMatchObject({ unitAmount: 49.99, discountRate: 10, quantity: 3 });
    expect(result.payload.lineItems[0]?.discountAmount).toBeUndefined();
    expect(result.expected.total).toBe(155.22);
    expect(inv.total).toBe(155.22);
  });

  it('sends a money discount as DiscountAmount for the whole line (per-unit discount × quantity)', () => {
    const result = ok(plan(invoice([line({ quantity: 4, unitPrice: 80, discountType: 'amount', discountPerUnit: 5 })])));
    expect(result.payload.lineItems[0]).toMatchObject({ unitAmount: 80, discountAmount: 20 });
    expect(result.expected).toEqual({ subTotal: 300, totalTax: 45, total: 345 });
  });

  it("folds a discount into a 4-dp unit amount when Bitrix's rounded unit price gives a different cent", () => {
    // Bitrix (2-dp prices) stores 10 less 33.33 % as 6.67 a unit, so 3 units are 20.01; Xero would compute 20.00.
    const inv = invoice([
      line({ quantity: 3, unitPrice: 10, taxIncluded: true, discountType: 'percent', discountRate: 33.33, totalInclTax: 20.01 }),
    ]);
    const result = ok(plan(inv));
    expect(result.payload.lineItems[0]).toEqual({
      description: 'Consulting',
      quantity: 3,
      unitAmount: 6.67,
      taxType: 'OUTPUT2',
      accountCode: '200',
    });
    expect(result.expected.total).toBe(20.01);
    expect(result.warnings).toEqual([]);
  });

  it('folds a negative Bitrix discount (a surcharge) into the unit amount, since Xero only takes discounts', () => {
    const result = ok(plan(invoice([line({ quantity: 2, unitPrice: 100, discountType: 'amount', discountPerUnit: -10 })])));
    expect(result.payload.lineItems[0]).toMatchObject({ quantity: 2, unitAmount: 110 });
    expect(result.payload.lineItems[0]?.discountAmount).toBeUndefined();
  });

  it('keeps a 4-dp unit price such as 3.3333 and asks for unitdp=4', () => {
    const inv = invoice([line({ quantity: 3, unitPrice: 3.3333 })]);
    const result = ok(plan(inv));
    expect(result.payload.lineItems[0]?.unitAmount).toBe(3.3333);
    expect(result.unitdp).toBe(4);
    // 9.9999 → 10.00, GST 1.50.
    expect(result.expected).toEqual({ subTotal: 10, totalTax: 1.5, total: 11.5 });
    expect(inv.total).toBe(11.5);
  });

  it('converts mixed rows to Inclusive using the tax-inclusive figures Bitrix already holds', () => {
    const inv = invoice([
      line({ rowId: 1, unitPrice: 115, taxIncluded: true }),
      line({ rowId: 2, sort: 20, quantity: 2, unitPrice: 43.48, taxIncluded: false }),
    ]);
    const result = ok(plan(inv));
    expect(result.payload.lineAmountTypes).toBe('Inclusive');
    // 43.48 × 1.15 = 50.002 a unit; 2 units are 100.00 in Bitrix. 4-dp 50.002 reproduces it.
    expect(result.payload.lineItems[1]).toMatchObject({ quantity: 2, unitAmount: 50.002 });
    expect(result.expected.total).toBe(215);
    expect(inv.total).toBe(215);
  });

  it('sends an invoice whose rows carry no tax at all as NoTax with the NONE tax type', () => {
    const result = ok(plan(invoice([line({ taxRate: null, unitPrice: 250 })])));
    expect(result.payload.lineAmountTypes).toBe('NoTax');
    expect(result.payload.lineItems[0]?.taxType).toBe('NONE');
    expect(result.expected).toEqual({ subTotal: 250, totalTax: 0, total: 250 });
  });

  it('orders lines by Bitrix SORT and shows meaningful units in the description', () => {
    const result = ok(
      plan(
        invoice([
          line({ rowId: 5, sort: 20, description: 'Travel', unit: 'km', quantity: 12, unitPrice: 0.95 }),
          line({ rowId: 9, sort: 10, description: 'Widget', unit: 'pcs' }),
        ]),
      ),
    );
    expect(result.payload.lineItems.map((l) => l.description)).toEqual(['Widget', 'Travel (km)']);
  });

  it('names the product or row when a line has no description, since Xero requires one', () => {
    const result = ok(plan(invoice([line({ description: '  ', productId: 77 }), line({ rowId: 4, description: '' })])));
    expect(result.payload.lineItems.map((l) => l.description)).toEqual(['Product #77', 'Line #4']);
  });

  it('adds the Item code for products linked to an existing Xero item, and warns about a vanished one', () => {
    const itemCodes = new Map([
      [1, 'WIDGET'],
      [2, 'GONE'],
    ]);
    const result = ok(plan(invoice([line({ productId: 1 }), line({ rowId: 2, productId: 2 })]), { itemCodes }));
    expect(result.payload.lineItems[0]?.itemCode).toBe('WIDGET');
    expect(result.payload.lineItems[1]?.itemCode).toBeUndefined();
    expect(result.warnings.map((w) => w.code)).toEqual(['item_missing']);
  });
});

describe('planInvoice: a realistic mixed invoice', () => {
  it('reproduces the Bitrix total of a four-line NZ invoice with hours, both discount kinds and a 4-dp price', () => {
    const inv = invoice(
      [
        line({ rowId: 1, description: 'Consulting', unit: 'hours', quantity: 10, unitPrice: 150 }),
        line({ rowId: 2, description: 'Widget', quantity: 3, unitPrice: 49.99, discountType: 'percent', discountRate: 10 }),
        line({ rowId: 3, description: 'Bracket', quantity: 4, unitPrice: 80, discountType: 'amount', discountPerUnit: 5 }),
        line({ rowId: 4, description: 'Cable', quantity: 3, unitPrice: 3.3333 }),
      ],
      { id: 501, number: '501' },
    );
    expect(inv.total).toBe(2236.72);
    const result = ok(plan(inv));
    expect(result.payload.reference).toBe('B24-SI-501');
    expect(result.payload.lineItems.map((l) => [l.description, l.quantity, l.unitAmount, l.discountRate, l.discountAmount])).toEqual([
      ['Consulting (hours)', 10, 150, undefined, undefined],
      ['Widget', 3, 49.99, 10, undefined],
      ['Bracket', 4, 80, undefined, 20],
      ['Cable', 3, 3.3333, undefined, undefined],
    ]);
    expect(result.expected).toEqual({ subTotal: 1944.97, totalTax: 291.75, total: 2236.72 });
    expect(result.unitdp).toBe(4);
    expect(result.warnings).toEqual([]);
  });

  it('plans a USD invoice in a NZD organisation with the same rules', () => {
    const result = ok(plan(invoice([line({ unitPrice: 115, taxIncluded: true })], { currency: 'USD' })));
    expect(result.payload).toMatchObject({ currencyCode: 'USD', lineAmountTypes: 'Inclusive' });
    expect(result.expected.total).toBe(115);
  });
});

describe('planInvoice: lines Xero cannot reproduce', () => {
  it('warns with both figures when no unit amount at 4 dp gives Bitrix\'s line total', () => {
    // 30,000 units at 0.0000333 each: Xero keeps 4 dp, so the unit amount becomes 0.0000 and the line 0.00.
    const result = ok(plan(invoice([line({ quantity: 30000, unitPrice: 0.0000333, taxIncluded: true, totalInclTax: 1 })])));
    expect(result.warnings[0]).toEqual({
      code: 'line_rounding',
      message: 'Line 1: Xero will compute 0.00 where Bitrix has 1.00',
      details: { rowId: 1, xeroLineAmount: 0, bitrixLineAmount: 1 },
    });
  });

  it('reports an unresolved payer contact as a retryable error', () => {
    const result = plan(invoice([line()]), { contactID: '' });
    expect(!result.ok && result.errors).toEqual([
      { code: 'contact_unresolved', message: "B24-SI-123: the payer's Xero contact is not known yet", class: 'retry' },
    ]);
  });
});

describe('planInvoice: currencies, dates, numbers and status', () => {
  it('always sends the currency, including an enabled foreign one', () => {
    const result = ok(plan(invoice([line()], { currency: 'usd' })));
    expect(result.payload.currencyCode).toBe('USD');
  });

  it("refuses a currency the organisation has not enabled, as a per-invoice error for a person", () => {
    const result = plan(invoice([line()], { currency: 'GBP' }));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors).toEqual([
      {
        code: 'currency_not_enabled',
        message:
          "The Xero organisation is not subscribed to currency GBP — add it in Xero (Settings › Currencies) or change the invoice's currency",
        class: 'needs_person',
      },
    ]);
  });

  it('refuses an invoice without currency or without rows', () => {
    const result = plan(invoice([], { currency: '' }));
    expect(!result.ok && result.errors.map((e) => e.code)).toEqual(['currency_missing', 'no_lines']);
  });

  it('leaves out a missing issue date so Xero uses today in the organisation time zone', () => {
    const result = ok(plan(invoice([line()], { issueDate: null, dueDate: null })));
    expect('date' in result.payload).toBe(false);
    expect('dueDate' in result.payload).toBe(false);
  });

  it('refuses a due date before the invoice date rather than moving it', () => {
    const result = plan(invoice([line()], { issueDate: '2026-11-10', dueDate: '2026-11-01' }));
    expect(!result.ok && result.errors[0]).toEqual({
      code: 'due_before_date',
      message: 'B24-SI-123 is due 2026-11-01, before its date 2026-11-10',
      class: 'needs_person',
    });
  });

  it('refuses an impossible date', () => {
    const result = plan(invoice([line()], { dueDate: '2026-02-30' }));
    expect(!result.ok && result.errors.map((e) => e.code)).toEqual(['date_invalid']);
  });

  it("lets Xero number the invoice under the 'xero' policy, keeping the Bitrix number in Reference", () => {
    const result = ok(plan(invoice([line()]), { settings: settings({ invoiceNumberPolicy: 'xero' }) }));
    expect(result.payload.invoiceNumber).toBeUndefined();
    expect(result.payload.reference).toBe('B24-SI-123 (INV-0042)');
  });

  it('uses the legacy prefix and the bare key when a legacy invoice has no number', () => {
    const result = ok(plan(invoice([line()], { kind: 'legacy', id: 9, number: '' })));
    expect(result.payload.reference).toBe('B24-I-9');
    expect(result.payload.invoiceNumber).toBeUndefined();
    expect(result.warnings.map((w) => w.code)).toContain('invoice_number_missing');
  });

  it('creates in the status the status map asks for', () => {
    const result = ok(plan(invoice([line()]), { settings: settings({ statusMap: { push: { createAs: 'AUTHORISED' } } }) }));
    expect(result.payload.status).toBe('AUTHORISED');
  });

  it('collects every problem of an invoice at once, each reported once', () => {
    const inv = invoice([line({ taxRate: 7 }), line({ rowId: 2, taxRate: 7 }), line({ rowId: 3, productId: 5 })], { currency: 'GBP' });
    const result = plan(inv, { settings: settings({ productAccounts: { '5': '999' } }) });
    expect(!result.ok && result.errors.map((e) => e.code)).toEqual(['currency_not_enabled', 'tax_rate_unmatched', 'account_unknown']);
    expect(!result.ok && result.errors[1]?.message).toBe(
      "Tax rate 7% matches no active Xero sales tax rate — add it in Xero or map it in the module's tax map",
    );
  });

  it('plans a UK invoice\'s 0 % row (what crm 23.400 stores for "no tax") as No VAT, NONE, with no setting', () => {
    const result = plan(invoice([line({ taxRate: 0 })], { currency: 'GBP' }), { org: ukOrg() });
    expect(result.ok && result.payload.lineItems?.[0]?.taxType).toBe('NONE');
  });
});

describe('totals and the rounding warning', () => {
  // Bitrix with 2-dp prices (crm 23.x) rounds each tax-inclusive unit price: 0.99 + 15 % = 1.1385 → 1.14.
  const roundedRow = (rowId: number) => line({ rowId, quantity: 7, unitPrice: 0.99, totalInclTax: 7 * 1.14 });

  it('computes Xero totals per line: 7 × 0.99 = 6.93 plus GST 1.04 is 7.97', () => {
    const result = ok(plan(invoice([roundedRow(1)])));
    expect(result.expected).toEqual({ subTotal: 6.93, totalTax: 1.04, total: 7.97 });
  });

  it('does not warn when Xero and Bitrix differ by one cent (7.97 vs 7.98)', () => {
    const inv = invoice([roundedRow(1)]);
    expect(inv.total).toBe(7.98);
    expect(roundingWarning(7.97, inv.total, 'NZD')).toBeNull();
    expect(ok(plan(inv)).warnings).toEqual([]);
  });

  it('warns with both figures when the per-line differences add up beyond a cent (23.91 vs 23.94)', () => {
    const inv = invoice([roundedRow(1), roundedRow(2), roundedRow(3)]);
    const result = ok(plan(inv));
    expect(result.expected.total).toBe(23.91);
    const warning = roundingWarning(result.expected.total, inv.total, 'NZD');
    expect(warning).toEqual({
      code: 'total_mismatch',
      message: 'Xero total 23.91 NZD differs from the Bitrix total 23.94 NZD by -0.03',
      details: { xeroTotal: 23.91, bitrixTotal: 23.94, difference: -0.03, currency: 'NZD' },
    });
    expect(result.warnings.map((w) => w.code)).toEqual(['expected_total_mismatch']);
  });

  it('refuses (needs a person) an invoice whose lines total 0.00 while Bitrix says 115.00 (a row with no price)', () => {
    const result = plan(invoice([line({ unitPrice: 0, quantity: 1, totalInclTax: 0 })], { total: 115 }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([expect.objectContaining({ code: 'total_mismatch', class: 'needs_person' })]);
    expect(result.errors[0]!.message).toMatch(/0\.00 NZD.*115\.00 NZD/);
  });

  it('refuses a difference beyond what rounding can explain, but keeps small per-line rounding a warning', () => {
    expect(plan(invoice([line({ quantity: 2, unitPrice: 100 })], { total: 231 })).ok).toBe(false);
    // 3 lines × 7 units: half a cent per unit of the rounded unit price, a cent per line — 0.03 is rounding.
    expect(plan(invoice([line({ quantity: 7, unitPrice: 0.99, totalInclTax: 7.98, rowId: 1 }), line({ quantity: 7, unitPrice: 0.99, totalInclTax: 7.98, rowId: 2 }),
      line({ quantity: 7, unitPrice: 0.99, totalInclTax: 7.98, rowId: 3 })])).ok).toBe(true);
  });

  it('does not warn when the totals agree exactly', () => {
    expect(roundingWarning(230, 230, 'NZD')).toBeNull();
    expect(roundingWarning(100.02, 100, 'NZD')).not.toBeNull();
  });

  it('computes Inclusive tax per line as amount × rate / (100 + rate), rounded to cents', () => {
    const totals = expectedTotal(
      {
        lineAmountTypes: 'Inclusive',
        lineItems: [
          { description: 'a', quantity: 1, unitAmount: 10, taxType: 'OUTPUT2', accountCode: '200' },
          { description: 'b', quantity: 1, unitAmount: 10, taxType: 'OUTPUT2', accountCode: '200' },
        ],
      },
      nzOrg(),
    );
    // 10 × 15/115 = 1.3043 → 1.30 per line; a document-level calculation would give 2.61.
    expect(totals).toEqual({ subTotal: 17.4, totalTax: 2.6, total: 20 });
  });
});
