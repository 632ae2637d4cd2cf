import type { Product } from '../../domain/product.ts';
import type { Settings } from '../../domain/settings.ts';
import type { ItemPayload } from './xero-payload.ts';
import type { OrgContext } from './org-context.ts';
import { itemCodeForProduct } from './bitrix-keys.ts';
import { resolveAccountCode } from './account-code.ts';
import { resolveTaxType } from './tax-type.ts';
import { contentHash } from './content-hash.ts';
import { round4 } from './money.ts';
import { cleanMultiline, cleanText, htmlToText } from './text-fields.ts';
import type { PlanWarning } from './plan-result.ts';

/** Xero Items limits. */
export const ITEM_CODE_MAX = 30;
export const ITEM_NAME_MAX = 50;
export const ITEM_DESCRIPTION_MAX = 4000;

export interface ItemPlan {
  payload: ItemPayload;
  hash: string;
  warnings: PlanWarning[];
}

/**
 * Xero Item code for a product: its Bitrix CODE when that fits Xero (≤ 30 characters, no spaces), else B24-P-<id>.
 * A long CODE is never cut: two products sharing a 30-character prefix would collide.
 */
export function itemCodeFor(product: Pick<Product, 'id' | 'code'>): string {
  const code = product.code.trim();
  return code !== '' && Array.from(code).length <= ITEM_CODE_MAX && !/\s/.test(code) ? code : itemCodeForProduct(product.id);
}

/**
 * The Xero Item for a Bitrix product (sold, never purchased by this sync). Unit price: Bitrix's base price, converted
 * to tax-exclusive when Bitrix holds it VAT-included (Xero's new invoices default to tax-exclusive lines, and every
 * line we push carries its own unit amount anyway); omitted when the price is in a currency other than the
 * organisation's base currency, since Xero item prices are in base currency and we do not convert money.
 * An account or tax type that cannot be resolved is left out with a warning: Xero then falls back to its defaults,
 * and the item is still usable on invoices, which set both per line.
 */
export function planItem(
  product: Product,
  ctx: { org: OrgContext; settings: Pick<Settings, 'taxMap' | 'productAccounts' | 'defaultSalesAccount'> },
): ItemPlan {
  const warnings: PlanWarning[] = [];
  const code = itemCodeFor(product);
  if (product.code.trim() !== '' && code !== product.code.trim()) {
    warnings.push({ code: 'item_code_replaced', message: `Product ${product.id}: CODE "${product.code}" does not fit Xero's item code; using ${code}` });
  }
  const fullName = cleanText(product.name, 4000);
  let name = cleanText(fullName, ITEM_NAME_MAX);
  if (name === '') name = code;
  if (name !== fullName && fullName !== '') {
    warnings.push({ code: 'item_name_truncated', message: `Product ${product.id}: name cut to Xero's ${ITEM_NAME_MAX} characters` });
  }
  let description = cleanMultiline(htmlToText(product.description), ITEM_DESCRIPTION_MAX);
  // Lines that pick the item show its description; the full name is the best stand-in when there is none.
  if (description === '') description = fullName !== '' ? cleanMultiline(fullName, ITEM_DESCRIPTION_MAX) : name;
  if (!product.active) warnings.push({ code: 'product_inactive', message: `Product ${product.id} is inactive in Bitrix` });

  const salesDetails: ItemPayload['salesDetails'] = {};
  if (product.price !== null) {
    const currency = (product.currency ?? '').trim().toUpperCase();
    if (currency !== '' && currency !== ctx.org.baseCurrency) {
      warnings.push({
        code: 'item_price_currency',
        message: `Product ${product.id}: price is in ${currency}, not the organisation's ${ctx.org.baseCurrency}; sent without a price`,
      });
    } else {
      const included = product.vatIncluded && product.vatRate !== null && product.vatRate !== 0;
      salesDetails.unitPrice = round4(included ? product.price / (1 + (product.vatRate ?? 0) / 100) : product.price);
    }
  }
  const account = resolveAccountCode({ productId: product.id }, ctx.settings, ctx.org);
  if (account.ok) salesDetails.accountCode = account.value.accountCode;
  else warnings.push({ code: account.error.code, message: `Product ${product.id}: ${account.error.message}` });
  const tax = resolveTaxType(product.vatRate, ctx.settings.taxMap, ctx.org);
  if (tax.ok) {
    salesDetails.taxType = tax.value.taxType;
    warnings.push(...tax.warnings);
  } else warnings.push({ code: tax.error.code, message: `Product ${product.id}: ${tax.error.message}` });

  const payload: ItemPayload = { code, name, description, isSold: true, salesDetails };
  return { payload, hash: contentHash('item', payload), warnings };
}
