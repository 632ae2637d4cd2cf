/**
 * What a fresh organisation looks like through xero-node: the Organisation record, chart of accounts, tax rates,
 * currencies and tracking — for the default NZ org and the AU, UK and US presets.
 */
import { describe, expect, it } from 'vitest';
import { accountingSuite } from './accounting-helpers.ts';

const h = await accountingSuite([
  { country: 'NZ' },
  { country: 'AU', name: 'Sydney Traders' },
  { country: 'UK' },
  { country: 'US', tenantId: '0f8fad5b-d9cb-469f-a165-70867728950e' },
]);
const { xero } = h;
const tenant: Record<string, string> = Object.fromEntries(h.sim.tenants().map((t) => [t.country, t.tenantId]));

const org = async (country: string) => (await xero.accountingApi.getOrganisations(tenant[country]!)).body.organisations![0]!;
const taxRates = async (country: string) => (await xero.accountingApi.getTaxRates(tenant[country]!)).body.taxRates!;

describe('a fresh New Zealand organisation', () => {
  it('is identified by its tenant id, based in NZD, active, with a short code', async () => {
    const nz = await org('NZ');
    expect(nz.organisationID).toBe(tenant.NZ);
    expect(nz).toMatchObject({ name: 'Demo Company (NZ)', isDemoCompany: false });
    expect(String(nz.baseCurrency)).toBe('NZD');
    expect(String(nz.countryCode)).toBe('NZ');
    expect(String(nz.version)).toBe('NZ');
    expect(String(nz.organisationStatus)).toBe('ACTIVE');
    expect(nz.shortCode).toMatch(/^!\w{5}$/);
    expect(nz.periodLockDate).toBeUndefined();
  });

  it('allows multi-currency and approved documents, and has one branding theme', async () => {
    const actions = (await xero.accountingApi.getOrganisationActions(tenant.NZ!)).body.actions!;
    expect(actions).toContainEqual(expect.objectContaining({ name: 'UseMulticurrency' }));
    expect(actions.every((a) => String(a.status) === 'ALLOWED')).toBe(true);
    const themes = (await xero.accountingApi.getBrandingThemes(tenant.NZ!)).body.brandingThemes!;
    expect(themes.map((t) => t.name)).toEqual(['Standard']);
    expect(themes[0]!.brandingThemeID).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('has GST tax rates as Xero names them', async () => {
    const rates = await taxRates('NZ');
    const byType = Object.fromEntries(rates.map((r) => [r.taxType, r]));
    expect(byType.OUTPUT2).toMatchObject({ name: 'GST on Income', effectiveRate: 15, displayTaxRate: 15, canApplyToRevenue: true, canApplyToExpenses: false });
    expect(String(byType.OUTPUT2!.status)).toBe('ACTIVE');
    expect(byType.OUTPUT2!.taxComponents).toEqual([expect.objectContaining({ name: 'GST', rate: 15, isCompound: false })]);
    expect(byType.INPUT2).toMatchObject({ name: 'GST on Expenses', effectiveRate: 15, canApplyToExpenses: true, canApplyToRevenue: false });
    expect(byType.NONE).toMatchObject({ name: 'No GST', effectiveRate: 0 });
    expect(Object.keys(byType)).toEqual(expect.arrayContaining(['EXEMPTOUTPUT', 'ZERORATEDOUTPUT']));
  });

  it('filters tax rates with where', async () => {
    const res = await xero.accountingApi.getTaxRates(tenant.NZ!, 'CanApplyToRevenue==true AND EffectiveRate>0');
    expect(res.body.taxRates!.map((r) => r.taxType)).toEqual(['OUTPUT2']);
  });

  it('has the standard chart of accounts', async () => {
    const accounts = (await xero.accountingApi.getAccounts(tenant.NZ!)).body.accounts!;
    const byCode = Object.fromEntries(accounts.map((a) => [a.code, a]));
    expect(byCode['200']).toMatchObject({ name: 'Sales', taxType: 'OUTPUT2' });
    expect(String(byCode['200']!.type)).toBe('REVENUE');
    expect(String(byCode['200']!._class)).toBe('REVENUE');
    expect(byCode['260']!.name).toBe('Other Revenue');
    expect(byCode['090']!.name).toBe('Business Bank Account');
    expect(String(byCode['090']!.type)).toBe('BANK');
    expect(String(byCode['610']!.systemAccount)).toBe('DEBTORS');
    expect(String(byCode['800']!.systemAccount)).toBe('CREDITORS');
    expect(byCode['820']!.name).toBe('GST');
    expect(accounts.every((a) => String(a.status) === 'ACTIVE')).toBe(true);
  });

  it('finds bank accounts with where and orders accounts', async () => {
    const banks = await xero.accountingApi.getAccounts(tenant.NZ!, undefined, 'Type=="BANK"', 'Code DESC');
    expect(banks.body.accounts!.map((a) => a.code)).toEqual(['091', '090']);
  });

  it('enables NZD plus AUD, USD, GBP and EUR', async () => {
    const currencies = (await xero.accountingApi.getCurrencies(tenant.NZ!)).body.currencies!;
    expect(currencies.map((c) => String(c.code))).toEqual(['NZD', 'AUD', 'USD', 'GBP', 'EUR']);
    expect(currencies[0]!.description).toBe('New Zealand Dollar');
  });

  it('has one tracking category, Region, with its options', async () => {
    const categories = (await xero.accountingApi.getTrackingCategories(tenant.NZ!)).body.trackingCategories!;
    expect(categories.map((c) => c.name)).toEqual(['Region']);
    expect(categories[0]!.options!.map((o) => o.name)).toEqual(['North', 'South']);
    const one = (await xero.accountingApi.getTrackingCategory(tenant.NZ!, categories[0]!.trackingCategoryID!)).body.trackingCategories!;
    expect(one).toEqual(categories);
    expect(one[0]!.options!.map((o) => String(o.status))).toEqual(['ACTIVE', 'ACTIVE']);
  });

  it('tracks invoice lines by category and option name', async () => {
    const contact = (await xero.accountingApi.createContacts(tenant.NZ!, { contacts: [{ name: 'Tracked Ltd' }] })).body.contacts![0]!;
    const res = await xero.accountingApi.createInvoices(tenant.NZ!, { invoices: [{
      type: 'ACCREC' as any, contact: { contactID: contact.contactID },
      lineItems: [{ description: 'x', quantity: 1, unitAmount: 10, accountCode: '200', tracking: [{ name: 'Region', option: 'South' }] }],
    }] });
    expect(res.body.invoices![0]!.lineItems![0]!.tracking).toEqual([expect.objectContaining({ name: 'Region', option: 'South' })]);
    const bad = await xero.accountingApi.createInvoices(tenant.NZ!, { invoices: [{
      type: 'ACCREC' as any, contact: { contactID: contact.contactID },
      lineItems: [{ description: 'x', quantity: 1, unitAmount: 10, accountCode: '200', tracking: [{ name: 'Region', option: 'East' }] }],
    }] }, false);
    expect(bad.body.invoices![0]!.validationErrors!.map((e) => e.message)).toEqual([
      "The tracking option 'East' is not valid for tracking category 'Region'."]);
  });
});

describe('other countries', () => {
  it('creates an Australian organisation with GST at 10% and BAS tax types', async () => {
    const au = await org('AU');
    expect(au.name).toBe('Sydney Traders');
    expect(String(au.baseCurrency)).toBe('AUD');
    const byType = Object.fromEntries((await taxRates('AU')).map((r) => [r.taxType, r]));
    expect(byType.OUTPUT).toMatchObject({ name: 'GST on Income', effectiveRate: 10 });
    expect(byType.INPUT).toMatchObject({ name: 'GST on Expenses', effectiveRate: 10 });
    expect(Object.keys(byType)).toEqual(expect.arrayContaining(['EXEMPTOUTPUT', 'BASEXCLUDED', 'INPUTTAXED']));
  });

  it('creates a UK organisation with VAT at 20% and 5%', async () => {
    const uk = await org('UK');
    expect(String(uk.baseCurrency)).toBe('GBP');
    expect(String(uk.countryCode)).toBe('GB');
    const byType = Object.fromEntries((await taxRates('UK')).map((r) => [r.taxType, r]));
    expect(byType.OUTPUT2).toMatchObject({ name: '20% (VAT on Income)', effectiveRate: 20 });
    expect(byType.RROUTPUT).toMatchObject({ name: '5% (VAT on Income)', effectiveRate: 5 });
    expect(Object.keys(byType)).toEqual(expect.arrayContaining(['ZERORATEDOUTPUT', 'EXEMPTOUTPUT', 'NONE']));
  });

  it('creates a US organisation with sales tax and the tenant id it was given', async () => {
    const us = await org('US');
    expect(us.organisationID).toBe('0f8fad5b-d9cb-469f-a165-70867728950e');
    expect(String(us.baseCurrency)).toBe('USD');
    const rates = await taxRates('US');
    expect(rates.find((r) => r.taxType === 'TAX001')!.taxComponents!.map((c) => c.name)).toEqual(['State Tax', 'City Tax']);
  });

  it('computes tax with the organisation\'s own rates: 20% VAT in the UK', async () => {
    const contact = (await xero.accountingApi.createContacts(tenant.UK!, { contacts: [{ name: 'London Ltd' }] })).body.contacts![0]!;
    const res = await xero.accountingApi.createInvoices(tenant.UK!, { invoices: [{
      type: 'ACCREC' as any, contact: { contactID: contact.contactID },
      lineItems: [{ description: 'x', quantity: 2, unitAmount: 50, accountCode: '200' }],
    }] });
    expect(res.body.invoices![0]).toMatchObject({ subTotal: 100, totalTax: 20, total: 120 });
    expect(String(res.body.invoices![0]!.currencyCode)).toBe('GBP');
  });

  it('keeps each organisation\'s books apart', async () => {
    const nzContacts = (await xero.accountingApi.getContacts(tenant.NZ!)).body.contacts!.map((c) => c.name);
    expect(nzContacts).not.toContain('London Ltd');
  });
});
