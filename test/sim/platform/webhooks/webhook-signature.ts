import { createHmac } from 'node:crypto';

/** Xero's x-xero-signature: base64 HMAC-SHA256 of the exact body bytes with the webhook key. */
export function signWebhookBody(body: Buffer | string, key: string): string {
  return createHmac('sha256', key).update(body).digest('base64');
}
