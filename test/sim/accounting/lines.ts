/**
 * Line items and document totals, as Xero computes them (reference §4.5, "Rounding in Xero"): quantities at 4 dp,
 * unit amounts at 2 dp (4 with unitdp=4), line amounts and tax per line at 2 dp, totals are sums of rounded lines.
 */
import type { Problems } from './batch.ts';
import type { Books } from './books.ts';
import { INDEX, norm } from './indexes.ts';
import { array, compact, field, text, type Json } from './input.ts';
import { round2, roundTo, sum2, toNumber } from './money.ts';
import type { AccountRec, ItemRec, LineAmountTypes, LineRec, LineTrackingRec, TaxRateRec, TrackingCategoryRec } from './types.ts';

export type LineSide = 'SALES' | 'PURCHASES';

export interface LineContext {
  books: Books;
  side: LineSide;
  lineAmountTypes: LineAmountTypes;
  unitdp: 2 | 4;
  /** Draft documents may have lines without an account; approved ones may not. */
  requireAccount: boolean;
  problems: Problems;
}

export function findAccountByCode(books: Books, code: string): AccountRec | undefined {
  return books.store.lookup<AccountRec>('accounts', INDEX.code, norm(code))[0];
}

export function findTaxRate(books: Books, taxType: string): TaxRateRec | undefined {
  return books.store.get<TaxRateRec>('taxRates', taxType.toUpperCase());
}

function findItem(books: Books, code: string): ItemRec | undefined {
  return books.store.lookup<ItemRec>('items', INDEX.code, norm(code))[0];
}

const CAN_APPLY: Record<AccountRec['Class'], keyof TaxRateRec> = {
  ASSET: 'CanApplyToAssets', EQUITY: 'CanApplyToEquity', EXPENSE: 'CanApplyToExpenses',
  LIABILITY: 'CanApplyToLiabilities', REVENUE: 'CanApplyToRevenue',
};

/** Builds one stored line from request JSON (keeping its LineItemID when it names an existing line). */
export function buildLine(ctx: LineContext, input: Json, existingIds: Set<string>): LineRec {
  const { books, problems } = ctx;
  const itemCode = text(input, 'ItemCode') || undefined;
  const item = itemCode ? findItem(books, itemCode) : undefined;
  if (itemCode && !item) problems.add(`Item code '${itemCode}' is not valid.`); // L: wording not verified
  const details = item ? (ctx.side === 'SALES' ? item.SalesDetails : item.PurchaseDetails) : undefined;

  let description = text(input, 'Description');
  if (!description && item) description = (ctx.side === 'SALES' ? item.Description : item.PurchaseDescription) ?? item.Name;
  let quantity = toNumber(field(input, 'Quantity'));
  let unitAmount = toNumber(field(input, 'UnitAmount')) ?? details?.UnitPrice;
  const sentLineAmount = toNumber(field(input, 'LineAmount'));
  const discountRate = toNumber(field(input, 'DiscountRate'));
  const discountAmount = toNumber(field(input, 'DiscountAmount'));

  let accountCode = text(input, 'AccountCode') || undefined;
  const accountId = text(input, 'AccountID') || undefined;
  if (!accountCode && accountId) {
    const byId = books.store.get<AccountRec>('accounts', accountId.toLowerCase());
    if (byId) accountCode = byId.Code;
    else problems.add(`Account ID '${accountId}' is not a valid account for this document.`);
  }
  accountCode ??= details?.AccountCode;

  const amountless = quantity === undefined && unitAmount === undefined && sentLineAmount === undefined;
  if (!description && !item) problems.add('The description field is mandatory for each line item.');

  // Quantity/UnitAmount: derive the missing one from LineAmount (reference §4.1); quantity defaults to 1.
  if (!amountless) {
    if (quantity === undefined) quantity = unitAmount !== undefined && sentLineAmount !== undefined && unitAmount !== 0
      ? sentLineAmount / unitAmount : 1;
    if (unitAmount === undefined) unitAmount = sentLineAmount !== undefined && quantity !== 0 ? sentLineAmount / quantity : 0;
    quantity = roundTo(quantity, 4);
    unitAmount = roundTo(unitAmount, ctx.unitdp);
  }

  let account: AccountRec | undefined;
  if (accountCode) {
    account = findAccountByCode(books, accountCode);
    if (!account || account.Type === 'BANK' || account.SystemAccount) {
      problems.add(`Account code '${accountCode}' is not a valid code for this document.`);
    } else if (account.Status !== 'ACTIVE') {
      problems.add(`Account code '${accountCode}' has been archived, or has been deleted. Each line item must reference a valid account.`);
    }
  } else if (!amountless && ctx.requireAccount) {
    problems.add('Account code or ID must be specified');
  }

  let taxType = (text(input, 'TaxType') || undefined)?.toUpperCase() ?? details?.TaxType ?? account?.TaxType;
  if (ctx.lineAmountTypes === 'NoTax' && findTaxRate(books, 'NONE')) taxType = 'NONE';
  let rate: TaxRateRec | undefined;
  if (taxType && !amountless) {
    rate = findTaxRate(books, taxType);
    if (!rate || rate.Status !== 'ACTIVE') {
      problems.add(`The TaxType code '${taxType}' does not exist or cannot be used with this type of document.`);
      rate = undefined;
    } else if (account && account.Status === 'ACTIVE' && !rate[CAN_APPLY[account.Class]]) {
      problems.add(`The TaxType code '${taxType}' cannot be used with account code '${account.Code}'.`);
    }
  }

  const gross = amountless ? 0 : (quantity as number) * (unitAmount as number);
  let lineAmount = round2(gross);
  if (discountRate !== undefined) lineAmount = round2(gross * (1 - discountRate / 100));
  else if (discountAmount !== undefined) lineAmount = round2(gross - discountAmount);

  let taxAmount = 0;
  const sentTax = toNumber(field(input, 'TaxAmount'));
  if (ctx.lineAmountTypes !== 'NoTax' && rate) {
    const r = rate.EffectiveRate / 100;
    // A client-supplied TaxAmount overrides the calculation (Xero: "can be overridden if not correct").
    taxAmount = sentTax !== undefined ? round2(sentTax)
      : ctx.lineAmountTypes === 'Inclusive' ? round2(lineAmount * r / (1 + r)) : round2(lineAmount * r);
  }

  const sentId = text(input, 'LineItemID')?.toLowerCase();
  return compact({
    LineItemID: sentId && existingIds.has(sentId) ? sentId : books.newId(),
    Description: description,
    Quantity: quantity,
    UnitAmount: unitAmount,
    ItemCode: item?.Code ?? itemCode,
    AccountCode: account?.Code ?? accountCode,
    AccountID: account?.AccountID,
    TaxType: amountless ? undefined : taxType,
    TaxAmount: taxAmount,
    LineAmount: lineAmount,
    DiscountRate: discountRate,
    DiscountAmount: discountRate === undefined ? discountAmount : undefined,
    Tracking: tracking(ctx, array(input, 'Tracking') ?? []),
  });
}

function tracking(ctx: LineContext, input: Json[]): LineTrackingRec[] {
  if (input.length > 2) ctx.problems.add('A line item can have a maximum of 2 tracking categories.');
  const categories = ctx.books.store.all<TrackingCategoryRec>('trackingCategories');
  const out: LineTrackingRec[] = [];
  for (const t of input.slice(0, 2)) {
    const catId = text(t, 'TrackingCategoryID')?.toLowerCase();
    const catName = text(t, 'Name');
    const category = categories.find((c) => c.TrackingCategoryID === catId || (!!catName && c.Name.toLowerCase() === catName.toLowerCase()));
    if (!category) {
      ctx.problems.add(`The tracking category '${catName ?? catId ?? ''}' does not exist.`);
      continue;
    }
    const optId = text(t, 'TrackingOptionID')?.toLowerCase();
    const optName = text(t, 'Option');
    const option = category.Options.find((o) => o.TrackingOptionID === optId || (!!optName && o.Name.toLowerCase() === optName.toLowerCase()));
    if (!option || option.Status !== 'ACTIVE') {
      ctx.problems.add(`The tracking option '${optName ?? optId ?? ''}' is not valid for tracking category '${category.Name}'.`);
      continue;
    }
    out.push({ TrackingCategoryID: category.TrackingCategoryID, TrackingOptionID: option.TrackingOptionID, Name: category.Name, Option: option.Name });
  }
  return out;
}

export interface Totals { SubTotal: number; TotalTax: number; Total: number; TotalDiscount: number }

export function totalsOf(lines: LineRec[], lineAmountTypes: LineAmountTypes): Totals {
  const totalTax = sum2(lines.map((l) => l.TaxAmount));
  const lineSum = sum2(lines.map((l) => l.LineAmount));
  const subTotal = lineAmountTypes === 'Inclusive' ? round2(lineSum - totalTax) : lineSum;
  const discount = sum2(lines.map((l) => {
    if (l.Quantity === undefined || l.UnitAmount === undefined) return 0;
    return round2(l.Quantity * l.UnitAmount) - l.LineAmount;
  }));
  return { SubTotal: subTotal, TotalTax: totalTax, Total: round2(subTotal + totalTax), TotalDiscount: discount };
}

/** The line as the API shows it; UnitAmount at the precision the caller asked for. */
export function lineView(line: LineRec, unitdp: 2 | 4): Json {
  return compact({
    ...line,
    UnitAmount: line.UnitAmount === undefined ? undefined : roundTo(line.UnitAmount, unitdp),
  });
}

/** Line content that matters for "did this edit change anything" comparisons. */
export function lineSignature(lines: LineRec[]): string {
  return JSON.stringify(lines.map((l) => [l.Description, l.Quantity, l.UnitAmount, l.ItemCode, l.AccountCode, l.TaxType,
    l.TaxAmount, l.LineAmount, l.DiscountRate, l.DiscountAmount, l.Tracking.map((t) => t.TrackingOptionID)]));
}
