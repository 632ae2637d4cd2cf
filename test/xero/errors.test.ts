import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { classify, toXeroError, XeroApiError } from '../../daemon/src/xero/errors.ts';
import { SecretRedactor } from '../../daemon/src/util/redact.ts';

/** What xero-node 20 rejects an API call with: a JSON string (node_modules/xero-node/dist/model/ApiError.js). */
function xeroNodeRejection(statusCode: number, body: unknown, headers: Record<string, string> = {}): string {
  const response = {
    statusCode, body, headers,
    request: { url: { protocol: 'https:', host: 'api.xero.com', path: '/api.xro/2.0/Invoices' }, headers: { 'xero-tenant-id': 't-1' }, method: 'PUT' },
  };
  return JSON.stringify({ response, body });
}

const NOW = Date.UTC(2026, 10, 21, 10, 0, 0);

describe('toXeroError: xero-node JSON-string rejections', () => {
  it('turns a 400 ValidationException into a validation error with its messages and per-element errors', () => {
    const body = {
      ErrorNumber: 10, Type: 'ValidationException', Message: 'A validation exception occurred',
      Elements: [
        { InvoiceNumber: 'A-1', ValidationErrors: [] },
        { InvoiceNumber: 'A-2', ValidationErrors: [{ Message: 'Invoice # must be unique.' }] },
        { InvoiceNumber: 'A-3', ValidationErrors: [{ Message: 'The document date cannot be before the period lock date 31/03/2026.' }] },
      ],
    };
    const err = toXeroError(xeroNodeRejection(400, body), { operation: 'createInvoices', nowMs: NOW });
    expect(err).toBeInstanceOf(XeroApiError);
    expect(err).toMatchObject({ type: 'validation', status: 400, operation: 'createInvoices', xeroErrorType: 'ValidationException' });
    expect(err.validationMessages).toEqual(['Invoice # must be unique.', 'The document date cannot be before the period lock date 31/03/2026.']);
    expect(err.elements).toEqual([
      { index: 1, messages: ['Invoice # must be unique.'], code: 'xero_duplicate', classification: 'needs_person' },
      { index: 2, messages: ['The document date cannot be before the period lock date 31/03/2026.'], code: 'xero_locked_period', classification: 'needs_person' },
    ]);
    expect(err.classification).toBe('needs_person');
    expect(err.message).toContain('Invoice # must be unique.');
  });

  it('uses the top-level Message when a 400 names no element (PostDataInvalidException)', () => {
    const err = toXeroError(xeroNodeRejection(400, { ErrorNumber: 14, Type: 'PostDataInvalidException', Message: 'Invalid JSON' }), { operation: 'createInvoices' });
    expect(err).toMatchObject({ type: 'validation', validationMessages: ['Invalid JSON'], xeroErrorType: 'PostDataInvalidException', code: 'xero_validation' });
  });

  it('marks a 401 TokenExpired as an expired token, and classifies an auth failure as needing a person', () => {
    const err = toXeroError(xeroNodeRejection(401, { Type: null, Title: 'Unauthorized', Status: 401, Detail: 'TokenExpired: token expired at 11/21/2026 09:46:07' }), { operation: 'getInvoices' });
    expect(err).toMatchObject({ type: 'auth', status: 401, tokenExpired: true, code: 'xero_token_expired' });
    expect(err.detail).toContain('TokenExpired');
    expect(classify(err)).toBe('needs_person');
    const bad = toXeroError(xeroNodeRejection(401, { Title: 'Unauthorized', Status: 401, Detail: 'AuthenticationUnsuccessful' }), { operation: 'getInvoices' });
    expect(bad.tokenExpired).toBe(false);
  });

  it('types a 403 as forbidden (needs a person) and an HTML 404 as not_found (never retried)', () => {
    const forbidden = toXeroError(xeroNodeRejection(403, { Title: 'Forbidden', Status: 403, Detail: 'AuthenticationUnsuccessful' }), { operation: 'getInvoices' });
    expect(forbidden).toMatchObject({ type: 'forbidden', status: 403, detail: 'Forbidden: AuthenticationUnsuccessful' });
    expect(forbidden.classification).toBe('needs_person');
    const missing = toXeroError(xeroNodeRejection(404, "<html><body>The resource you're looking for cannot be found</body></html>"), { operation: 'updateInvoice' });
    expect(missing).toMatchObject({ type: 'not_found', status: 404, detail: "The resource you're looking for cannot be found" });
    expect(missing.classification).toBe('never');
  });

  it('reads Retry-After, the limit problem and the remaining counters of a 429', () => {
    const err = toXeroError(xeroNodeRejection(429, 'Rate limit exceeded', {
      'retry-after': '37', 'x-rate-limit-problem': 'minute', 'x-minlimit-remaining': '0', 'x-daylimit-remaining': '4210', 'x-appminlimit-remaining': '9000',
    }), { operation: 'getContacts', nowMs: NOW });
    expect(err).toMatchObject({ type: 'rate_limit', status: 429, retryAfterSeconds: 37, rateLimitProblem: 'minute' });
    expect(err.retryAt?.getTime()).toBe(NOW + 37_000);
    expect(err.limits).toMatchObject({ minRemaining: 0, dayRemaining: 4210, appMinRemaining: 9000 });
    expect(err.classification).toBe('retry');
  });

  it('types 500 and 503 as retryable server errors', () => {
    for (const status of [500, 502, 503]) {
      const err = toXeroError(xeroNodeRejection(status, 'The Xero API is currently offline for maintenance'), { operation: 'getInvoices' });
      expect(err.type).toBe('server');
      expect(err.classification).toBe('retry');
    }
  });

  it('types statusCode 0 by axios message: deadline → timeout, socket trouble → network', () => {
    const cases: Array<[string, string]> = [
      ['timeout of 300ms exceeded', 'timeout'],
      ['canceled', 'timeout'],
      ['socket hang up', 'network'],
      ['read ECONNRESET', 'network'],
      ['connect ECONNREFUSED 127.0.0.1:9', 'network'],
    ];
    for (const [message, type] of cases) {
      const err = toXeroError(xeroNodeRejection(0, message), { operation: 'getInvoices' });
      expect(err.type, message).toBe(type);
      expect(err.status).toBe(0);
      expect(err.classification).toBe('retry');
    }
  });
});

describe('toXeroError: other shapes', () => {
  it('reads an AxiosError-like object ({response:{status,headers,data}})', () => {
    const err = toXeroError({ message: 'Request failed with status code 503', response: { status: 503, headers: { 'x-daylimit-remaining': '12' }, data: 'offline' } }, { operation: 'x' });
    expect(err).toMatchObject({ type: 'server', status: 503 });
    expect(err.limits.dayRemaining).toBe(12);
  });

  it('reads fetch failures by their cause code, and an AbortSignal timeout as a timeout', () => {
    const refused = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    expect(toXeroError(refused, { operation: 'token' }).type).toBe('network');
    const timedOut = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    expect(toXeroError(timedOut, { operation: 'token' }).type).toBe('timeout');
    const reset = Object.assign(new Error('boom'), { code: 'ECONNRESET' });
    expect(toXeroError(reset, { operation: 'x' }).type).toBe('network');
  });

  it('calls anything unrecognised unexpected, which needs a person', () => {
    const err = toXeroError(new TypeError('Required parameter invoices was null or undefined when calling createInvoices.'), { operation: 'createInvoices' });
    expect(err).toMatchObject({ type: 'unexpected', status: 0 });
    expect(err.classification).toBe('needs_person');
    expect(classify(new Error('not from Xero at all'))).toBe('needs_person');
  });

  it('returns a XeroApiError unchanged', () => {
    const err = new XeroApiError({ type: 'timeout', operation: 'x' });
    expect(toXeroError(err, { operation: 'y' })).toBe(err);
  });
});

describe('classify (ARCHITECTURE rule 7)', () => {
  const validation = (message: string) => toXeroError(xeroNodeRejection(400, { Type: 'ValidationException', Elements: [{ ValidationErrors: [{ Message: message }] }] }), { operation: 'updateInvoice' });

  it('needs a person for a locked period and an unsubscribed currency', () => {
    expect(validation('The document date cannot be before the period lock date 31/03/2026.')).toMatchObject({ code: 'xero_locked_period', classification: 'needs_person' });
    expect(validation('The currency code EUR is not subscribed to by this organisation.')).toMatchObject({ code: 'xero_currency', classification: 'needs_person' });
  });

  it('never retries an edit Xero refuses because it has become master of the document', () => {
    expect(validation('Invoice not of valid status for modification')).toMatchObject({ code: 'xero_invalid_status', classification: 'never' });
    expect(validation('This document cannot be edited as it has a payment or credit note allocated to it.').classification).toBe('never');
  });

  it('retries a spent budget, and says when', () => {
    const err = new XeroApiError({ type: 'budget_exhausted', operation: 'getInvoices', retryAt: new Date(NOW) });
    expect(err.classification).toBe('retry');
    expect(err.toJSON()).toMatchObject({ type: 'budget_exhausted', classification: 'retry', retryAt: new Date(NOW).toISOString() });
  });
});

describe('secret redaction', () => {
  const clientSecret = 'sim-secret-9f8e7d6c5b4a';
  const accessToken = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
  const refreshToken = 'rt-5f1c2d3e4b5a69788796a5b4c3d2e1f0';

  it('leaves no token or client secret in a thrown error’s message, stack, JSON or inspection', () => {
    const redactor = new SecretRedactor([clientSecret, accessToken]);
    // A proxy echoing our request back: every place a secret could hide.
    const body = {
      Type: 'ValidationException',
      Message: `echo: Authorization: Bearer ${accessToken} client_secret=${clientSecret}`,
      Elements: [{ ValidationErrors: [{ Message: `refresh_token=${refreshToken}&x=1` }], Note: `{"access_token":"${accessToken}","refresh_token":"${refreshToken}"}` }],
    };
    const raw = xeroNodeRejection(400, body, { authorization: `Bearer ${accessToken}`, 'set-cookie': `session=${clientSecret}` });
    const err = toXeroError(raw, { operation: 'createInvoices', redactor });
    const outputs = [err.message, err.stack ?? '', JSON.stringify(err), inspect(err, { depth: 10 }), String(err)];
    for (const out of outputs) {
      expect(out).not.toContain(accessToken);
      expect(out).not.toContain(clientSecret);
      expect(out).not.toContain(refreshToken);
    }
    expect(err.detail).toContain('Bearer [REDACTED]');
    expect(err.message).toContain('refresh_token=[REDACTED]');
  });

  it('redacts secret-named keys and registered values deep inside objects', () => {
    const redactor = new SecretRedactor([clientSecret]);
    const out = redactor.value({
      headers: { Authorization: `Basic ${Buffer.from(`id:${clientSecret}`).toString('base64')}`, 'content-type': 'application/json' },
      nested: [{ access_token: accessToken, note: `secret is ${clientSecret}` }],
      tokenSet: { refresh_token: refreshToken },
    });
    expect(JSON.stringify(out)).not.toMatch(new RegExp(`${clientSecret}|${accessToken}|${refreshToken}`));
    expect(out.headers['content-type']).toBe('application/json');
    expect(out.nested[0]!.note).toBe('secret is [REDACTED]');
  });

  it('does not register short values that would mangle ordinary text', () => {
    const redactor = new SecretRedactor(['abc']);
    expect(redactor.text('abcdef')).toBe('abcdef');
  });
});
