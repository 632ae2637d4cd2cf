import { describe, expect, it } from 'vitest';
import { planSummary, summarisePayload } from '../../daemon/src/demo/demo-report.ts';

describe('demo report', () => {
  it('summarises a set_fields inbox payload as FIELD=value pairs with GUIDs whole and URLs clipped', () => {
    const guid = '28e543f2-1e95-4a29-a18f-0123456789ab';
    const text = summarisePayload(JSON.stringify({ fields: { XML_ID: guid, UF_CRM_XERO_STATUS: 'DRAFT', UF_CRM_XERO_URL: `https://go.xero.com/AccountsReceivable/View.aspx?InvoiceID=${guid}` } }));
    expect(text).toBe(`XML_ID=${guid}, UF_CRM_XERO_STATUS=DRAFT, UF_CRM_XERO_URL=https://go.xero.com/AccountsReceivable/…`);
    expect(summarisePayload('{"xeroContactId":"abc"}')).toBe('{"xeroContactId":"abc"}');
    expect(summarisePayload('not json')).toBe('not json');
  });

  it('sums up a dry-run plan per kind of record, counting a record planned twice once', () => {
    expect(planSummary([
      { entity: 'smart_invoice', id: 1, action: 'create' }, { entity: 'legacy_invoice', id: 1, action: 'create' },
      { entity: 'smart_invoice', id: 2, action: 'skip' }, { entity: 'smart_invoice', id: 3, action: 'error' },
      { entity: 'company', id: 2, action: 'create' }, { entity: 'company', id: 2, action: 'create' }, { entity: 'contact', id: 7, action: 'create' },
      { entity: 'product', id: 1, action: 'create' },
    ])).toBe('invoices create 2, skip 1, error 1; contacts create 2; items create 1');
    expect(planSummary([])).toBe('nothing to do');
  });
});
