import type { InvoiceLine } from '../../domain/invoice.ts';
import type { Settings } from '../../domain/settings.ts';
import type { OrgContext } from './org-context.ts';
import type { LineAmountType, LineItemPayload } from './xero-payload.ts';
import { decimalsOf, round2, round4 } from './money.ts';
import { xeroLineAmount } from './xero-rounding.ts';
import { resolveTaxType, type ResolvedTaxType } from './tax-type.ts';
import { resolveAccountCode } from './account-code.ts';
import { cleanMultiline, cleanText } from './text-fields.ts';
import type { PlanError, PlanWarning, Resolved } from './plan-result.ts';

/** Xero's LineItem Description limit. */
const DESCRIPTION_MAX = 4000;

/** Units that add nothing to a description ("3 × Widget (pcs)"); others ("hours", "kg") are shown. */
const SILENT_UNITS = new Set(['', 'pc', 'pcs', 'pcs.', 'piece', 'pieces', 'unit', 'units', 'ea', 'each', 'item', 'items', 'шт', 'шт.', 'штука']);

/**
 * LineAmountTypes from how prices were entered in Bitrix. Rows without tax (taxRate null) do not vote.
 * All taxed rows tax-included → Inclusive; none → Exclusive; no taxed row at all → NoTax.
 * Mixed → Inclusive: Bitrix already holds every row's tax-inclusive total (PRICE × QUANTITY), so in the Inclusive
 * basis each Xero line can be made to equal a figure Bitrix computed, and Xero's Total (the sum of inclusive line
 * amounts) equals Bitrix's total exactly. Converting to Exclusive instead would divide inclusive prices by (1 + rate),
 * which rarely comes out exact.
 */
export function chooseLineAmountType(lines: readonly Pick<InvoiceLine, 'taxRate' | 'taxIncluded'>[]): LineAmountType {
  const taxed = lines.filter((l) => l.taxRate !== null);
  if (taxed.length === 0) return 'NoTax';
  if (taxed.every((l) => !l.taxIncluded)) return 'Exclusive';
  return 'Inclusive';
}

export interface LineContext {
  org: OrgContext;
  settings: Pick<Settings, 'taxMap' | 'productAccounts' | 'defaultSalesAccount'>;
  /** Bitrix product id → Xero Item code, for products already pushed as Items (from the link table). */
  itemCodes?: ReadonlyMap<number, string>;
}

export interface PlannedLines {
  lineAmountTypes: LineAmountType;
  lineItems: LineItemPayload[];
  /** Pass `unitdp=4` to Xero when 4: some unit amount needs more than cents. */
  unitdp: 2 | 4;
  errors: PlanError[];
  warnings: PlanWarning[];
}

function describe(line: InvoiceLine): string {
  const name = cleanMultiline(line.description, DESCRIPTION_MAX);
  const base = name !== '' ? name : line.productId !== null ? `Product #${line.productId}` : `Line #${line.rowId}`;
  const unit = cleanText(line.unit, 50);
  if (SILENT_UNITS.has(unit.toLowerCase())) return base;
  const withUnit = `${base} (${unit})`;
  return Array.from(withUnit).length <= DESCRIPTION_MAX ? withUnit : base;
}

/** Discount per unit in money, in the row's entered basis. */
function discountPerUnit(line: InvoiceLine): number {
  if (line.discountType === 'amount') return line.discountPerUnit;
  if (line.discountType === 'percent') {
    return line.discountPerUnit !== 0 ? line.discountPerUnit : (line.unitPrice * line.discountRate) / 100;
  }
  return 0;
}

interface Amounts {
  unitAmount: number;
  discountRate?: number;
  discountAmount?: number;
}

/**
 * Unit amount and discount for one row, chosen to reproduce Bitrix's own line figure to the cent:
 * 1. the discount as Bitrix shows it (DiscountRate for a percentage, DiscountAmount = per-unit discount × quantity
 *    for money), so the invoice in Xero reads like the one in Bitrix;
 * 2. if Xero's rounding of that would land on a different cent (Bitrix rounds the discounted unit price, Xero the
 *    line), the discount folded into a 4-dp unit amount (the discounted unit price, which is what Bitrix multiplies);
 * 3. if neither is exact, the first form plus a 'line_rounding' warning carrying both figures.
 */
function chooseAmounts(line: InvoiceLine, basis: LineAmountType, quantity: number): { amounts: Amounts; warning?: PlanWarning } {
  const converts = basis === 'Inclusive' && line.taxRate !== null && !line.taxIncluded;
  const factor = converts ? 1 + (line.taxRate ?? 0) / 100 : 1;
  const unit = line.unitPrice * factor;
  const discount = discountPerUnit(line) * factor;
  // Bitrix's line figure in the chosen basis: its tax-inclusive row total when lines are inclusive (or untaxed),
  // else quantity × discounted exclusive unit price.
  const exact =
    basis === 'Exclusive' || !Number.isFinite(line.totalInclTax) ? quantity * (unit - discount) : line.totalInclTax;
  const target = round2(exact);

  // Xero takes discounts, not surcharges: a negative Bitrix discount can only be folded into the unit amount.
  const visible: Amounts = { unitAmount: round4(unit) };
  if (line.discountType === 'percent' && line.discountRate > 0) visible.discountRate = round4(line.discountRate);
  else if (discount > 0) visible.discountAmount = round2(quantity * discount);
  if (xeroLineAmount({ quantity, ...visible }) === target) return { amounts: visible };

  if (quantity !== 0) {
    for (const total of [exact, target]) {
      const folded: Amounts = { unitAmount: round4(total / quantity) };
      if (xeroLineAmount({ quantity, ...folded }) === target) return { amounts: folded };
    }
  }
  const xero = xeroLineAmount({ quantity, ...visible });
  return {
    amounts: visible,
    warning: {
      code: 'line_rounding',
      message: `Line ${line.rowId}: Xero will compute ${xero.toFixed(2)} where Bitrix has ${target.toFixed(2)}`,
      details: { rowId: line.rowId, xeroLineAmount: xero, bitrixLineAmount: target },
    },
  };
}

/** Turns Bitrix product rows into Xero line items, resolving tax types and account codes per row. */
export function planLines(lines: readonly InvoiceLine[], ctx: LineContext): PlannedLines {
  const basis = chooseLineAmountType(lines);
  const errors: PlanError[] = [];
  const warnings: PlanWarning[] = [];
  const taxCache = new Map<string, Resolved<ResolvedTaxType>>();
  const lineItems: LineItemPayload[] = [];
  let unitdp: 2 | 4 = 2;

  const ordered = [...lines].sort((a, b) => a.sort - b.sort || a.rowId - b.rowId);
  for (const line of ordered) {
    const taxKey = line.taxRate === null ? 'none' : String(line.taxRate);
    let tax = taxCache.get(taxKey);
    if (!tax) {
      tax = resolveTaxType(line.taxRate, ctx.settings.taxMap, ctx.org);
      taxCache.set(taxKey, tax);
      if (tax.ok) warnings.push(...tax.warnings);
    }
    const account = resolveAccountCode(line, ctx.settings, ctx.org);
    if (!tax.ok) errors.push(tax.error);
    if (!account.ok) errors.push(account.error);
    if (!tax.ok || !account.ok) continue;

    const quantity = round4(line.quantity);
    const { amounts, warning } = chooseAmounts(line, basis, quantity);
    if (warning) warnings.push(warning);
    if (decimalsOf(amounts.unitAmount) > 2) unitdp = 4;

    const item: LineItemPayload = {
      description: describe(line),
      quantity,
      unitAmount: amounts.unitAmount,
      taxType: tax.value.taxType,
      accountCode: account.value.accountCode,
    };
    if (amounts.discountRate !== undefined) item.discountRate = amounts.discountRate;
    if (amounts.discountAmount !== undefined) item.discountAmount = amounts.discountAmount;

    const itemCode = line.productId !== null ? ctx.itemCodes?.get(line.productId) : undefined;
    if (itemCode !== undefined) {
      if (ctx.org.itemsByCode.has(itemCode)) item.itemCode = itemCode;
      else {
        warnings.push({
          code: 'item_missing',
          message: `Product ${line.productId} is linked to Xero item ${itemCode}, which Xero no longer has; the line is sent without it`,
          details: { productId: line.productId, itemCode },
        });
      }
    }
    lineItems.push(item);
  }
  return { lineAmountTypes: basis, lineItems, unitdp, errors, warnings };
}
