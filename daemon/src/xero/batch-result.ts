import type { ValidationError } from 'xero-node';
import { elementError, type XeroElementError } from './errors.ts';

/** One element of a batch write sent with summarizeErrors=false, in the order sent. */
export type ElementOutcome<T> =
  | { index: number; ok: true; value: T; warnings: string[] }
  | { index: number; ok: false; value: T; error: XeroElementError; warnings: string[] };

export interface BatchResult<T> {
  elements: Array<ElementOutcome<T>>;
  succeeded: T[];
  failed: Array<Extract<ElementOutcome<T>, { ok: false }>>;
}

interface ElementFlags {
  hasErrors?: boolean;
  hasValidationErrors?: boolean;
  statusAttributeString?: string;
  validationErrors?: ValidationError[];
  warnings?: ValidationError[];
}

function messages(list: ValidationError[] | undefined): string[] {
  return (list ?? []).map((v) => v.message).filter((m): m is string => typeof m === 'string' && m.trim() !== '');
}

/**
 * With summarizeErrors=false Xero answers 200 and marks each element (reference §5): StatusAttributeString
 * OK | WARNING | ERROR, HasErrors / HasValidationErrors, ValidationErrors[{Message}]. A failed element may come back
 * with a zero GUID; its position is what ties it to what we sent.
 */
export function toBatchResult<T extends object>(returned: T[] | undefined, sentCount: number): BatchResult<T> {
  const list = returned ?? [];
  const elements: Array<ElementOutcome<T>> = list.map((value, index) => {
    const flags = value as ElementFlags;
    const errors = messages(flags.validationErrors);
    const warnings = messages(flags.warnings);
    const failed = flags.hasErrors === true || flags.hasValidationErrors === true
      || String(flags.statusAttributeString ?? '').toUpperCase() === 'ERROR' || errors.length > 0;
    return failed ? { index, ok: false, value, error: elementError(index, errors), warnings } : { index, ok: true, value, warnings };
  });
  if (list.length !== sentCount) {
    // Should not happen; if Xero drops elements, say so per missing element rather than losing them silently.
    for (let index = list.length; index < sentCount; index++) {
      elements.push({ index, ok: false, value: {} as T, error: elementError(index, ['Xero returned no result for this element']), warnings: [] });
    }
  }
  return {
    elements,
    succeeded: elements.filter((e) => e.ok).map((e) => e.value),
    failed: elements.filter((e): e is Extract<ElementOutcome<T>, { ok: false }> => !e.ok),
  };
}
