import type { ErrorClass, PlanError } from './plan-result.ts';

interface Rule {
  pattern: RegExp;
  code: string;
  class: ErrorClass;
}

/**
 * Xero validation texts seen in the wild (reference/xero-api.md §4, peers.md §3 and CiviXero's no-retry list),
 * first match wins. 'never' = retrying cannot help (the document is no longer ours to edit); 'needs_person' = a
 * person must change something in Xero or Bitrix, after which a retry succeeds; 'retry' = transient.
 */
const RULES: readonly Rule[] = [
  { pattern: /not of valid status for modification/i, code: 'not_editable', class: 'never' },
  { pattern: /has a payment or credit note allocated|cannot be applied to the invoice because it has payments/i, code: 'has_payments', class: 'never' },
  { pattern: /not of valid type for creation/i, code: 'invalid_document_type', class: 'never' },
  { pattern: /not of valid status for creation/i, code: 'invalid_create_status', class: 'needs_person' },
  { pattern: /lock date|locked period|period lock/i, code: 'locked_period', class: 'needs_person' },
  { pattern: /not subscribed to currency|currency .*(?:not (?:enabled|subscribed|valid))|invalid currency/i, code: 'currency_not_enabled', class: 'needs_person' },
  { pattern: /archived contact|contact .*is archived|archived contacts cannot/i, code: 'contact_archived', class: 'needs_person' },
  { pattern: /contact name .* already assigned|name must be unique across all active contacts/i, code: 'contact_name_taken', class: 'needs_person' },
  { pattern: /contact number .* already assigned/i, code: 'contact_number_taken', class: 'needs_person' },
  { pattern: /invoice #.* must be unique|invoice ?number .*(?:unique|already)/i, code: 'duplicate_invoice_number', class: 'needs_person' },
  { pattern: /item with code .* already exists/i, code: 'duplicate_item_code', class: 'needs_person' },
  { pattern: /account code .*(?:not (?:a )?valid|invalid|archived|does not exist)|account code or id must be specified|not valid as a default account|account .*is archived/i, code: 'invalid_account', class: 'needs_person' },
  { pattern: /tax ?type|tax rate .*(?:invalid|not valid|cannot be used)/i, code: 'invalid_tax_type', class: 'needs_person' },
  { pattern: /item code .*(?:not valid|invalid|does not exist)|item .*(?:could not be found|not found)/i, code: 'invalid_item', class: 'needs_person' },
  { pattern: /due ?date/i, code: 'due_date', class: 'needs_person' },
  { pattern: /limit of invoices you can approve|plan limit|upgrade your plan/i, code: 'plan_limit', class: 'needs_person' },
  { pattern: /must contain at least 1 of the following elements to identify the contact|contact .*(?:could not be found|not found|does not exist)|a contact must be specified/i, code: 'contact_missing', class: 'needs_person' },
  { pattern: /email address must be valid/i, code: 'invalid_email', class: 'needs_person' },
  { pattern: /is not a valid date/i, code: 'invalid_date', class: 'needs_person' },
  { pattern: /organisation is offline|temporarily unavailable|please try again|timed? ?out|internal error|service unavailable/i, code: 'xero_unavailable', class: 'retry' },
];

const PRECEDENCE: Readonly<Record<ErrorClass, number>> = { never: 2, needs_person: 1, retry: 0 };

/**
 * Classifies the ValidationErrors of one element (summarizeErrors=false) or of a 400 ValidationException. Unknown
 * texts are 'validation' / needs_person (ARCHITECTURE rule 7: validation needs a person). When several messages
 * match, the most final class wins (never > needs_person > retry) and the code is that message's; the stored message
 * keeps every text, in order.
 */
export function classifyXeroValidation(messages: readonly string[]): PlanError {
  const texts = messages.map((m) => m.trim()).filter((m) => m !== '');
  if (texts.length === 0) return { code: 'validation', message: 'Xero rejected the record without a message', class: 'needs_person' };
  let best: { code: string; class: ErrorClass } | null = null;
  for (const text of texts) {
    const rule = RULES.find((r) => r.pattern.test(text)) ?? { code: 'validation', class: 'needs_person' as const };
    const stronger = !best || PRECEDENCE[rule.class] > PRECEDENCE[best.class];
    const moreSpecific = best !== null && rule.class === best.class && best.code === 'validation' && rule.code !== 'validation';
    if (stronger || moreSpecific) best = { code: rule.code, class: rule.class };
  }
  const chosen = best ?? { code: 'validation', class: 'needs_person' as const };
  return { code: chosen.code, class: chosen.class, message: [...new Set(texts)].join('; ') };
}
