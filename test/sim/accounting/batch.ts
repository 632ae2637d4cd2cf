/**
 * Batch writes with Xero's two error modes. summarizeErrors absent/true: one invalid element fails the whole request
 * with a 400 ValidationException and nothing is saved. summarizeErrors=false: HTTP 200, valid elements saved, invalid
 * ones echoed with StatusAttributeString "ERROR" and their ValidationErrors.
 */
import type { AccountingRequest, AccountingResponse } from '../contract.ts';
import type { Books } from './books.ts';
import { envelope } from './envelope.ts';
import { ElementError, postDataInvalid, validationException, ZERO_GUID } from './errors.ts';
import { summarizeErrors } from './query.ts';

export interface BatchSpec {
  /** Envelope key, e.g. 'Invoices'. */
  collection: string;
  /** Id field echoed as the zero GUID on failed elements, e.g. 'InvoiceID'. */
  idField: string;
  /** Saves one element and returns its response view; throws ElementError for business-rule failures. */
  apply(element: Record<string, unknown>): Record<string, unknown>;
}

/** Extracts `{<Collection>: [...]}` (or a bare array / single object, which Xero's binder also accepts). */
export function elementsOf(body: unknown, collection: string): Record<string, unknown>[] {
  let list: unknown = body;
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const key = Object.keys(body).find((k) => k.toLowerCase() === collection.toLowerCase());
    list = key ? (body as Record<string, unknown>)[key] : [body];
  }
  if (!Array.isArray(list) || list.some((e) => !e || typeof e !== 'object' || Array.isArray(e))) {
    throw postDataInvalid(`The request body could not be read as ${collection}.`);
  }
  return list as Record<string, unknown>[];
}

export function writeBatch(books: Books, req: AccountingRequest, spec: BatchSpec): AccountingResponse {
  const elements = elementsOf(req.body, spec.collection);
  const summarize = summarizeErrors(req);
  return books.transaction(() => {
    const results: Record<string, unknown>[] = [];
    const failures: Record<string, unknown>[] = [];
    for (const element of elements) {
      const mark = books.store.mark();
      try {
        results.push({ ...spec.apply(element), StatusAttributeString: 'OK' });
      } catch (error) {
        if (!(error instanceof ElementError)) throw error;
        books.store.undoTo(mark); // the element's partial work (e.g. a contact created by name) goes too
        const failed = failedElement(element, spec.idField, error.messages);
        failures.push(failed);
        results.push(failed);
      }
    }
    if (summarize && failures.length > 0) {
      return { commit: false, result: thrown(validationException(failures)) };
    }
    return { commit: true, result: { status: 200, body: envelope(books.now(), spec.collection, results) } };
  });
}

/** Single-resource POSTs (/Invoices/{id}, /Contacts/{id}, …) have no summarizeErrors parameter: they fail as a whole. */
export function writeSingle(books: Books, req: AccountingRequest, spec: BatchSpec): AccountingResponse {
  const query = new URLSearchParams(req.query);
  query.delete('summarizeErrors');
  return writeBatch(books, { ...req, query }, spec);
}

function failedElement(element: Record<string, unknown>, idField: string, messages: string[]): Record<string, unknown> {
  return {
    ...element,
    [idField]: typeof element[idField] === 'string' && element[idField] !== '' ? element[idField] : ZERO_GUID,
    HasErrors: true,
    HasValidationErrors: true,
    StatusAttributeString: 'ERROR',
    ValidationErrors: messages.map((Message) => ({ Message })),
  };
}

/** Turns an ApiError into a response without throwing, so the transaction can roll back cleanly. */
function thrown(error: { response: AccountingResponse }): AccountingResponse {
  return error.response;
}

/** Collects validation messages for one element, Xero-style (all problems at once), then throws if any. */
export class Problems {
  readonly messages: string[] = [];
  add(message: string): void {
    if (!this.messages.includes(message)) this.messages.push(message);
  }
  get any(): boolean {
    return this.messages.length > 0;
  }
  throwIfAny(): void {
    if (this.any) throw new ElementError(this.messages);
  }
}
