import { createHash } from 'node:crypto';
import type { Settings } from '../../domain/settings.ts';
import { canonicalJson } from '../plan/index.ts';

/** The settings that shape what is pushed (payloads, which invoices, their create status); schedules do not. */
export type PayloadSettings = Pick<Settings,
  'taxMap' | 'defaultSalesAccount' | 'productAccounts' | 'invoiceNumberPolicy' | 'statusMap' | 'invoiceKinds'>;

/**
 * Bump when the planners start reading another setting: the next pass then re-plans every linked record once,
 * which is safe (the content hashes keep unchanged ones free of API calls).
 */
const FINGERPRINT_VERSION = 1;

/**
 * sha256 hex of the payload-shaping settings, canonical (key order and unset members do not matter), so an options
 * page saved without a change keeps the same fingerprint and costs nothing.
 */
export function settingsFingerprint(settings: PayloadSettings): string {
  const shaping: PayloadSettings = {
    taxMap: settings.taxMap,
    defaultSalesAccount: settings.defaultSalesAccount,
    productAccounts: settings.productAccounts,
    invoiceNumberPolicy: settings.invoiceNumberPolicy,
    statusMap: settings.statusMap,
    invoiceKinds: [...settings.invoiceKinds].sort(),
  };
  return createHash('sha256').update(`settings:v${FINGERPRINT_VERSION}:${canonicalJson(shaping)}`).digest('hex');
}
