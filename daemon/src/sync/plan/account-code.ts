import type { Settings } from '../../domain/settings.ts';
import type { OrgAccount, OrgContext } from './org-context.ts';
import { needsPerson, type Resolved } from './plan-result.ts';

/** Name of the revenue account Xero creates in every new organisation (code 200 in the demo charts). */
export const DEFAULT_SALES_ACCOUNT_NAME = 'Sales';

export interface ResolvedAccount {
  accountCode: string;
  source: 'product' | 'default_setting' | 'org_sales';
}

function validate(code: string, why: string, org: OrgContext, source: ResolvedAccount['source']): Resolved<ResolvedAccount> {
  const account = org.accounts.find((a) => a.code === code);
  if (!account) {
    return { ok: false, error: needsPerson('account_unknown', `${why} is ${code}, which is not in the Xero chart of accounts`) };
  }
  if (account.status !== 'ACTIVE') {
    return {
      ok: false,
      error: needsPerson('account_inactive', `${why} is ${code} (${account.name}), which is ${account.status.toLowerCase() || 'not active'} in Xero`),
    };
  }
  return { ok: true, value: { accountCode: code, source }, warnings: [] };
}

const isActiveSales = (a: OrgAccount): boolean =>
  a.class === 'REVENUE' && a.status === 'ACTIVE' && a.name.trim().toLowerCase() === DEFAULT_SALES_ACCOUNT_NAME.toLowerCase();

/**
 * The Xero account code for a line: the product's own code (settings.productAccounts) → settings.defaultSalesAccount →
 * the organisation's active revenue account named "Sales" → error. An explicitly configured code that Xero does not
 * know (or has archived) is an error, never silently replaced by the next fallback: the admin asked for that account.
 */
export function resolveAccountCode(
  line: { productId: number | null },
  settings: Pick<Settings, 'productAccounts' | 'defaultSalesAccount'>,
  org: OrgContext,
): Resolved<ResolvedAccount> {
  if (line.productId !== null) {
    const perProduct = settings.productAccounts[String(line.productId)]?.trim();
    if (perProduct) return validate(perProduct, `The account code set for product ${line.productId}`, org, 'product');
  }
  const configured = settings.defaultSalesAccount?.trim();
  if (configured) return validate(configured, "The module's default sales account", org, 'default_setting');

  const sales = org.accounts.filter(isActiveSales);
  const [only] = sales;
  if (sales.length === 1 && only) return { ok: true, value: { accountCode: only.code, source: 'org_sales' }, warnings: [] };
  if (sales.length > 1) {
    return {
      ok: false,
      error: needsPerson(
        'account_ambiguous',
        `Xero has several active revenue accounts named "${DEFAULT_SALES_ACCOUNT_NAME}" (${sales.map((a) => a.code).join(', ')}) — set the default sales account in the module's options`,
      ),
    };
  }
  return {
    ok: false,
    error: needsPerson(
      'account_missing',
      `No sales account: set the default sales account in the module's options (Xero has no active revenue account named "${DEFAULT_SALES_ACCOUNT_NAME}")`,
    ),
  };
}
