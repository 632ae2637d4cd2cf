import { createHmac, timingSafeEqual } from 'node:crypto';

/** Xero's `x-xero-signature`: base64 HMAC-SHA256 of the exact body bytes, keyed with the app's webhook key. */
export function webhookSignature(rawBody: Buffer | string, key: string): string {
  return createHmac('sha256', key).update(rawBody).digest('base64');
}

/**
 * Whether `signature` is the one Xero would send for `rawBody`. Compared as the base64 text in constant time: a
 * lenient base64 decode of the header would accept variants Xero never sends, and comparing strings with `===`
 * would tell an attacker, by timing, how many leading characters of a forgery were right. The lengths are checked
 * first because timingSafeEqual throws on unequal ones; the length of a correct signature (44) is no secret.
 */
export function verifyWebhookSignature(rawBody: Buffer | string, signature: string | null | undefined, key: string): boolean {
  if (!signature) return false;
  const expected = Buffer.from(webhookSignature(rawBody, key), 'utf8');
  const given = Buffer.from(signature.trim(), 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
