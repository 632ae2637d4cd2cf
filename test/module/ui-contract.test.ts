import { describe, expect, it } from 'vitest';
import { TRANSACTION_XERO_TYPES } from '../../daemon/src/state/tables.ts';
import { OPTION_KEYS, PULL_STATUS_KEYS } from '../../daemon/src/domain/settings.ts';
import { phpJson } from './php.ts';

// The admin pages read what the daemon writes and write what it reads: these lists must agree.
const ui = phpJson<{ types: string[]; pull: string[]; createAs: string[] }>(['-r', `
  spl_autoload_register(fn ($c) => str_starts_with($c, 'B24xero\\\\Sync\\\\') && require 'bitrix-module/lib/' . strtolower(str_replace('\\\\', '/', substr($c, 13))) . '.php');
  echo json_encode(['types' => B24xero\\Sync\\Ui\\TransactionFilter::TYPES, 'pull' => B24xero\\Sync\\Ui\\SettingsForm::PULL_STATUSES,
    'createAs' => B24xero\\Sync\\Ui\\SettingsForm::CREATE_AS]);`]);

describe('the admin pages and the daemon agree', () => {
  it('on the kinds of Xero transaction the dashboard can filter by', () => {
    for (const type of TRANSACTION_XERO_TYPES) expect(ui.types).toContain(type);
  });

  it('on the Xero states the status map offers and the option keys it saves', () => {
    for (const status of ui.pull) expect(PULL_STATUS_KEYS).toContain(status);
    // Every state a person moves an invoice to in Xero is offered; DRAFT and SUBMITTED are states invoices are created in.
    expect(ui.pull).toEqual(['AUTHORISED', 'SENT', 'PART_PAID', 'PAID', 'VOIDED', 'DELETED']);
    expect(ui.createAs).toEqual(['DRAFT', 'SUBMITTED', 'AUTHORISED']);
    expect(Object.values(OPTION_KEYS)).toEqual(expect.arrayContaining(['status_map', 'default_sales_account', 'product_accounts', 'tax_map',
      'invoice_number_policy', 'invoice_kinds', 'sync_schedule', 'scan_schedule']));
  });
});
