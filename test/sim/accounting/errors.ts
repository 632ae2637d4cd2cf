import type { AccountingResponse } from '../contract.ts';

/** A failure that becomes an HTTP response; thrown inside resource handlers and caught once by the router. */
export class ApiError extends Error {
  constructor(readonly response: AccountingResponse) {
    super(`Xero API error ${response.status}`);
  }
}

/** One element's business-rule failure; collected per element so summarizeErrors can decide what to do with it. */
export class ElementError extends Error {
  constructor(readonly messages: string[]) {
    super(messages.join(' '));
  }
}

export const ZERO_GUID = '00000000-0000-0000-0000-000000000000';

/** Xero's 404 is not JSON: a short HTML/text body. */
export function notFound(): ApiError {
  return new ApiError({
    status: 404,
    raw: { contentType: 'text/html; charset=utf-8', data: "The resource you're looking for cannot be found" },
  });
}

/** The whole-request 400 (summarizeErrors absent/true, or single-object endpoints). */
export function validationException(elements: unknown[]): ApiError {
  return new ApiError({
    status: 400,
    body: { ErrorNumber: 10, Type: 'ValidationException', Message: 'A validation exception occurred', Elements: elements },
  });
}

/** A 400 about one element, e.g. an action on a single invoice. */
export function singleValidationError(element: Record<string, unknown>, message: string): ApiError {
  return validationException([{ ...element, ValidationErrors: [{ Message: message }] }]);
}

/** Malformed `where`/`order` (Xero answers QueryParseException, error number 16). */
export function queryParseError(message: string): ApiError {
  return new ApiError({ status: 400, body: { ErrorNumber: 16, Type: 'QueryParseException', Message: message } });
}

/** A body that cannot be bound to the model at all. */
export function postDataInvalid(message: string): ApiError {
  return new ApiError({ status: 400, body: { ErrorNumber: 14, Type: 'PostDataInvalidException', Message: message } });
}
