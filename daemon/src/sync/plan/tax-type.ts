import type { OrgContext, OrgTaxRate } from './org-context.ts';
import { sameRate } from './money.ts';
import { needsPerson, type PlanWarning, type Resolved } from './plan-result.ts';

/**
 * Key of the tax map for rows that carry no tax at all (TAX_RATE NULL), as opposed to '0' (zero-rated).
 * Example map: { "15": "OUTPUT2", "0": "ZERORATED", "none": "NONE" }.
 */
export const NO_TAX_KEY = 'none';

/**
 * Xero TaxTypes used, in this order, for rows without tax when the map has no 'none' entry:
 * NONE is "No GST" (NZ), "No VAT" (UK) and "Tax Exempt" (US); Australia has no NONE, and an untaxed sale there is
 * "GST Free Income" (EXEMPTOUTPUT), which still appears on the BAS as a sale (BASEXCLUDED would hide it).
 */
export const NO_TAX_DEFAULTS = ['NONE', 'EXEMPTOUTPUT'] as const;

export interface ResolvedTaxType {
  taxType: string;
  /** Percent Xero will apply (its EffectiveRate), used to predict Xero's totals. */
  effectiveRate: number;
  source: 'map' | 'rate' | 'no_tax_default' | 'zero_as_no_tax';
}

export function formatPercent(rate: number): string {
  return `${Number(rate.toFixed(4))}%`;
}

/** Finds the tax map entry for a percentage; keys are compared as numbers so "15", "15.0" and "15.00" all match. */
function mappedTaxType(ratePercent: number | null, taxMap: Readonly<Record<string, string>>): string | undefined {
  for (const [key, value] of Object.entries(taxMap)) {
    const trimmed = key.trim().toLowerCase();
    if (ratePercent === null) {
      if (trimmed === NO_TAX_KEY) return value.trim();
    } else if (trimmed !== '' && trimmed !== NO_TAX_KEY && sameRate(Number(trimmed), ratePercent)) {
      return value.trim();
    }
  }
  return undefined;
}

const isUsableForSales = (t: OrgTaxRate): boolean => t.status === 'ACTIVE' && t.canApplyToRevenue;

/**
 * Picks the Xero TaxType for a Bitrix row's tax rate (`null` = the row carries no tax; 0 % is taken as no tax unless
 * the map has a "0" key, see below). Order: the module's tax map (validated: the TaxType must exist, be ACTIVE and usable on sales) → the organisation's
 * only active sales tax rate with the same percentage → for untaxed rows, NONE / EXEMPTOUTPUT. Several candidates
 * are an error naming them; the planner never guesses between tax treatments.
 */
export function resolveTaxType(
  ratePercent: number | null,
  taxMap: Readonly<Record<string, string>>,
  org: OrgContext,
): Resolved<ResolvedTaxType> {
  // crm 23.400 stores a row without tax as TAX_RATE 0.00 (the column has no NULL), so 0 % means "no tax" unless the
  // tax map says otherwise with a "0" key: its rate is the organisation's no-tax one, never a guess among 0 % rates.
  if (ratePercent !== null && sameRate(ratePercent, 0) && mappedTaxType(0, taxMap) === undefined) {
    const asNoTax = resolveTaxType(null, taxMap, org);
    if (asNoTax.ok) {
      return asNoTax.value.source === 'no_tax_default' ? { ...asNoTax, value: { ...asNoTax.value, source: 'zero_as_no_tax' } } : asNoTax;
    }
    if (asNoTax.error.code !== 'tax_type_no_tax_missing') return asNoTax;
    // No no-tax rate in this organisation: choose among its 0 % rates as for any other percentage.
  }
  const label = ratePercent === null ? 'no tax' : `tax rate ${formatPercent(ratePercent)}`;
  const mapped = mappedTaxType(ratePercent, taxMap);
  if (mapped !== undefined) {
    const rate = org.taxRates.find((t) => t.taxType === mapped);
    if (!rate) {
      return {
        ok: false,
        error: needsPerson(
          'tax_type_unknown',
          `The module's tax map sends ${label} to Xero TaxType ${mapped}, which this Xero organisation does not have`,
        ),
      };
    }
    if (!isUsableForSales(rate)) {
      const why = rate.status !== 'ACTIVE' ? `is ${rate.status.toLowerCase() || 'not active'}` : 'cannot be used on sales';
      return {
        ok: false,
        error: needsPerson('tax_type_inactive', `The module's tax map sends ${label} to Xero TaxType ${mapped}, which ${why}`),
      };
    }
    const warnings: PlanWarning[] = [];
    const expected = ratePercent ?? 0;
    if (!sameRate(rate.effectiveRate, expected)) {
      warnings.push({
        code: 'tax_rate_differs',
        message: `The tax map sends ${label} to ${mapped}, whose rate in Xero is ${formatPercent(rate.effectiveRate)}`,
        details: { bitrixRate: ratePercent, xeroRate: rate.effectiveRate, taxType: mapped },
      });
    }
    return { ok: true, value: { taxType: mapped, effectiveRate: rate.effectiveRate, source: 'map' }, warnings };
  }

  if (ratePercent === null) {
    for (const code of NO_TAX_DEFAULTS) {
      const rate = org.taxRates.find((t) => t.taxType === code);
      if (rate && isUsableForSales(rate) && sameRate(rate.effectiveRate, 0)) {
        return { ok: true, value: { taxType: code, effectiveRate: 0, source: 'no_tax_default' }, warnings: [] };
      }
    }
    return {
      ok: false,
      error: needsPerson(
        'tax_type_no_tax_missing',
        `Rows without tax need a Xero tax rate: the organisation has no active ${NO_TAX_DEFAULTS.join(' or ')} — ` +
          `add "${NO_TAX_KEY}" to the module's tax map`,
      ),
    };
  }

  const candidates = org.taxRates.filter((t) => isUsableForSales(t) && sameRate(t.effectiveRate, ratePercent));
  const [only] = candidates;
  if (candidates.length === 1 && only) {
    return { ok: true, value: { taxType: only.taxType, effectiveRate: only.effectiveRate, source: 'rate' }, warnings: [] };
  }
  if (candidates.length === 0) {
    return {
      ok: false,
      error: needsPerson(
        'tax_rate_unmatched',
        `Tax rate ${formatPercent(ratePercent)} matches no active Xero sales tax rate — add it in Xero or map it in the module's tax map`,
      ),
    };
  }
  return {
    ok: false,
    error: needsPerson(
      'tax_rate_ambiguous',
      `Tax rate ${formatPercent(ratePercent)} matches several Xero tax rates: ` +
        `${candidates.map((t) => t.taxType).join(', ')} — choose one in the module's tax map`,
    ),
  };
}
