import { randomUUID } from 'node:crypto';
import { jsonResponse, textResponse, type WireResponse } from './http-io.ts';

/** Xero's 401 for a missing, unknown or revoked bearer token. */
export function unauthorised(detail = 'AuthenticationUnsuccessful'): WireResponse {
  return jsonResponse(
    401,
    { Type: null, Title: 'Unauthorized', Status: 401, Detail: detail, Instance: randomUUID(), Extensions: {} },
    { 'www-authenticate': 'Bearer' },
  );
}

/** Xero's 401 for an expired access token: `TokenExpired: token expired at MM/dd/yyyy HH:mm:ss` (UTC). */
export function tokenExpired(expiredAt: Date): WireResponse {
  const stamp = formatNetDate(expiredAt);
  return jsonResponse(
    401,
    { Type: null, Title: 'Unauthorized', Status: 401, Detail: `TokenExpired: token expired at ${stamp}`, Instance: randomUUID(), Extensions: {} },
    { 'www-authenticate': `Bearer error="invalid_token", error_description="The token expired at '${stamp}'"` },
  );
}

/** Xero's 403 for a tenant the token is not connected to (or a missing tenant id where one is needed). */
export function forbidden(): WireResponse {
  return jsonResponse(403, {
    Type: null,
    Title: 'Forbidden',
    Status: 403,
    Detail: 'AuthenticationUnsuccessful',
    Instance: randomUUID(),
    Extensions: {},
  });
}

/** Xero's 404 is HTML, not JSON. */
export function notFound(): WireResponse {
  return textResponse(404, "The resource you're looking for cannot be found", 'text/html; charset=utf-8');
}

export function internalError(): WireResponse {
  return jsonResponse(500, {
    ErrorNumber: 500,
    Type: 'UnknownErrorException',
    Message: 'An error occurred in Xero. Check the API Status page http://status.developer.xero.com for current service status.',
  });
}

export function serviceUnavailable(): WireResponse {
  return textResponse(503, 'The Xero API is currently offline for maintenance', 'text/html; charset=utf-8');
}

export function postDataInvalid(message: string): WireResponse {
  return jsonResponse(400, { ErrorNumber: 14, Type: 'PostDataInvalidException', Message: message });
}

function formatNetDate(date: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(date.getUTCMonth() + 1)}/${p(date.getUTCDate())}/${date.getUTCFullYear()} ${p(date.getUTCHours())}:${p(date.getUTCMinutes())}:${p(date.getUTCSeconds())}`;
}
