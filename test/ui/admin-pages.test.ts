import { mkdirSync } from 'node:fs';
import { sql } from 'kysely';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSettings } from '../../daemon/src/config/settings.ts';
import { migrate } from '../../daemon/src/state/migrator.ts';
import { createBitrixSchema, type FixtureInfo } from '../fixture/index.ts';
import { createTestDb, type TestDb } from '../helpers/test-db.ts';
import { buildUiScenario } from '../module/ui-scenario.ts';
import { ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, hasChromium, startStandInPortal, type StandInPortal } from './stand-in-portal.ts';

// The module's admin pages in a real browser: rendered from the fixture by `php -S` through the stand-in of
// Bitrix's page frame, driven by Debian's headless Chromium through playwright-core.
const chromiumMissing = !hasChromium();
if (chromiumMissing) console.warn(`browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);

const ADMIN = 1;
const MANAGER = 2;
const STRANGER = 3;
const WIDTHS = [1280, 375] as const;

describe.skipIf(chromiumMissing)('the module admin pages in headless Chromium', () => {
  let t: TestDb;
  let info: FixtureInfo;
  let ids: Record<string, number>;
  let portal: StandInPortal;
  let browser: Browser;

  beforeAll(async () => {
    t = await createTestDb('ui_browser');
    info = await createBitrixSchema(t.db);
    await migrate(t.db);
    ids = await buildUiScenario(t.db, info);
    portal = await startStandInPortal(t.url);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    mkdirSync(ARTIFACTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
    await t?.drop();
  });

  async function as(userId: number, width: number = 1280): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    await context.addCookies([{ name: 'b24x_user', value: String(userId), url: portal.baseUrl }]);
    return { context, page: await context.newPage() };
  }

  const dashboard = () => `${portal.baseUrl}/bitrix/admin/b24xero_sync_dashboard.php?lang=en`;
  const options = () => `${portal.baseUrl}/bitrix/admin/settings.php?mid=b24xero.sync&lang=en`;
  const rows = (page: Page, list: string) => page.locator(`#b24x-${list} tbody tr[data-id]`);
  const count = (page: Page, list: string) => page.locator(`.b24x-pager[data-list="b24x-${list}"] .b24x-count`).innerText();

  for (const width of WIDTHS) {
    it(`pages through the transactions and changes the page size at ${width} px`, async () => {
      const { context, page } = await as(ADMIN, width);
      await page.goto(dashboard());
      expect(await rows(page, 'transactions').count()).toBe(20);
      expect(await count(page, 'transactions')).toBe('1–20 of 31');
      await page.screenshot({ path: join(ARTIFACTS, `dashboard-${width}.png`), fullPage: true });

      await page.locator('.b24x-pager[data-list="b24x-transactions"] a[data-page="2"]').first().click();
      await page.waitForURL(/t_page=2/);
      expect(await rows(page, 'transactions').count()).toBe(11);
      expect(await count(page, 'transactions')).toBe('21–31 of 31');

      await page.locator('.b24x-pager[data-list="b24x-transactions"] select').selectOption('10');
      await page.waitForURL(/t_size=10/);
      expect(await rows(page, 'transactions').count()).toBe(10);
      expect(await page.locator('.b24x-pager[data-list="b24x-transactions"] a[data-page="4"]').count()).toBeGreaterThan(0);
      // Paging one list leaves the others where they were.
      expect(await rows(page, 'errors').count()).toBe(20);

      // Nothing is wider than the screen: the lists fold into cards on a phone.
      const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      expect(overflow).toBeLessThanOrEqual(0);
      await page.screenshot({ path: join(ARTIFACTS, `dashboard-${width}-page-size-10.png`), fullPage: true });
      await context.close();
    });

    it(`filters the transactions by contact and shows the totals of that contact at ${width} px`, async () => {
      const { context, page } = await as(ADMIN, width);
      await page.goto(dashboard());
      await page.fill('#b24x-filter input[name="contact"]', 'Hemi');
      await page.click('#b24x-filter button[type="submit"]');
      await page.waitForURL(/contact=Hemi/);
      const contacts = await page.locator('#b24x-transactions td.b24x-contact').allInnerTexts();
      expect(contacts.map((c) => c.trim())).toEqual(['Hemi Walker', 'Hemi Walker']);
      expect(await page.locator('.b24x-total[data-currency="NZD"] .b24x-outstanding').innerText()).toBe('230.00');
      await page.screenshot({ path: join(ARTIFACTS, `dashboard-${width}-contact.png`), fullPage: true });
      await context.close();
    });
  }

  it('sorts by a column either way and filters by a date range', async () => {
    const { context, page } = await as(ADMIN);
    await page.goto(`${dashboard()}&t_size=100`);
    await page.locator('#b24x-transactions th a[data-sort="amount"]').click();
    await page.waitForURL(/t_sort=amount&t_dir=asc/);
    const amounts = async () => (await page.locator('#b24x-transactions tbody td.b24x-num:nth-of-type(6)').allInnerTexts()).map((a) => parseFloat(a));
    const ascending = await amounts();
    expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
    await page.locator('#b24x-transactions th a[data-sort="amount"]').click();
    await page.waitForURL(/t_dir=desc/);
    expect((await amounts())[0]).toBe(230);
    await page.fill('#b24x-filter input[name="from"]', '2026-11-25');
    await page.fill('#b24x-filter input[name="to"]', '2026-11-27');
    await page.click('#b24x-filter button[type="submit"]');
    await page.waitForURL(/from=2026-11-25/);
    expect(await count(page, 'transactions')).toBe('1–3 of 3');
    expect(page.url()).toContain('t_sort=amount');
    await context.close();
  });

  it('keeps the options page and Add product within a 375 px screen', async () => {
    const { context, page } = await as(ADMIN, 375);
    for (const url of [options(), `${portal.baseUrl}/bitrix/admin/b24xero_sync_product.php?lang=en`]) {
      await page.goto(url);
      for (const tab of await page.locator('.adm-detail-tab').all()) {
        await tab.click();
        expect(await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth')).toBeLessThanOrEqual(0);
      }
      expect(await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth')).toBeLessThanOrEqual(0);
    }
    await page.goto(options());
    await page.click('#tab_cont_b24x_status');
    await page.screenshot({ path: join(ARTIFACTS, 'options-status-map-375.png'), fullPage: true });
    await context.close();
  });

  it('escapes what Xero sends: a contact named like a script is shown as text', async () => {
    const { context, page } = await as(ADMIN);
    let alerted = false;
    page.on('dialog', async (d) => { alerted = true; await d.dismiss(); });
    await page.goto(`${dashboard()}&type=bank_transaction`);
    expect((await page.locator('#b24x-transactions td.b24x-contact').innerText()).trim()).toBe('<script>alert(1)</script> Ltd');
    expect(alerted).toBe(false);
    await context.close();
  });

  it('Retry makes the failing record due now, as `b24xero retry` does', async () => {
    const id = await errorId('xero_unavailable');
    expect(await dueNow(id)).toBe(false);
    const { context, page } = await as(ADMIN, 375);
    await page.goto(`${dashboard()}&e_size=100`);
    await page.locator(`#b24x-errors tr[data-id="${id}"] button[data-action="retry"]`).click();
    await page.waitForURL(/done=retry/);
    expect(await page.locator('#b24x-message').innerText()).toContain(`Record ${id} will be tried again`);
    expect(await dueNow(id)).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-375-retried.png'), fullPage: true });
    await context.close();
  });

  it('Mark resolved closes the error, as `b24xero resolve` does', async () => {
    const id = await errorId('validation');
    const { context, page } = await as(ADMIN);
    await page.goto(`${dashboard()}&e_size=100`);
    await page.locator(`#b24x-errors tr[data-id="${id}"] button[data-action="resolve"]`).click();
    await page.waitForURL(/done=resolve/);
    const row = await t.db.selectFrom('b_b24xero_record_error').select(['RESOLVED_AT', 'NEXT_RETRY_AT']).where('ID', '=', id).executeTakeFirstOrThrow();
    expect(row.RESOLVED_AT).not.toBeNull();
    expect(row.NEXT_RETRY_AT).toBeNull();
    expect(await page.locator(`#b24x-errors tr[data-id="${id}"]`).count()).toBe(0);
    await context.close();
  });

  it('refuses a state change without the session token and changes nothing', async () => {
    const id = await errorId('locked_period');
    const { context, page } = await as(ADMIN);
    await page.goto(dashboard());
    const response = await context.request.post(dashboard(), { form: { action: 'resolve', id: String(id) }, maxRedirects: 0 });
    expect(response.status()).toBe(403);
    expect(await response.text()).toContain('nothing was changed');
    const forged = await context.request.post(dashboard(), { form: { action: 'resolve', id: String(id), sessid: 'forged' }, maxRedirects: 0 });
    expect(forged.status()).toBe(403);
    const saved = await context.request.post(options(), { form: { Update: 'Save', sync_schedule: '0 0 * * *', scan_schedule: '0 0 * * *' }, maxRedirects: 0 });
    expect(saved.status()).toBe(403);
    expect(await t.db.selectFrom('b_b24xero_record_error').select('RESOLVED_AT').where('ID', '=', id).executeTakeFirstOrThrow()).toEqual({ RESOLVED_AT: null });
    expect(await t.db.selectFrom('b_option').select('VALUE').where('NAME', '=', 'sync_schedule').executeTakeFirst()).toBeUndefined();
    await context.close();
  });

  it('shows "access denied" to a user without the module right, on every page', async () => {
    const { context, page } = await as(STRANGER, 375);
    for (const url of [dashboard(), options(), `${portal.baseUrl}/bitrix/admin/b24xero_sync_invoice.php?entity=smart_invoice&id=${ids.smart1}`]) {
      const response = await page.goto(url);
      expect(response!.status()).toBe(403);
      expect(await page.locator('.adm-auth-message').innerText()).toBe('Access denied');
      expect(await page.locator('#b24x-transactions, #b24x-options').count()).toBe(0);
    }
    await page.screenshot({ path: join(ARTIFACTS, 'access-denied-375.png') });
    await context.close();
  });

  it('shows a reader only the invoices they may read in CRM, and no buttons that change anything', async () => {
    const { context, page } = await as(MANAGER);
    await page.goto(`${dashboard()}&t_size=100`);
    expect(await rows(page, 'transactions').count()).toBe(5);
    expect(await page.locator('#b24x-transactions').innerText()).not.toContain('alert(1)');
    expect(await page.locator('button[data-action]').count()).toBe(0);
    const id = await errorId('xero_unavailable');
    const response = await context.request.post(dashboard(), { form: { action: 'resolve', id: String(id) }, maxRedirects: 0 });
    expect(response.status()).toBe(403);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-reader.png'), fullPage: true });
    await context.close();
  });

  it('saves a status map the daemon then reads, and refuses an invalid schedule', async () => {
    const { context, page } = await as(ADMIN);
    await page.goto(options());
    await page.click('#tab_cont_b24x_status');
    const cat = info.smartInvoiceCategoryId;
    await page.selectOption('select[name="pull[smart][PAID]"]', `DT31_${cat}:UC_APPROVAL`);
    await page.selectOption('select[name="pull[legacy][AUTHORISED]"]', 'S');
    await page.selectOption('select[name="create_as"]', 'AUTHORISED');
    await page.uncheck(`input[name="push_stage[DT31_${cat}:N]"]`);
    await page.screenshot({ path: join(ARTIFACTS, 'options-status-map.png'), fullPage: true });
    await page.click('#tab_cont_b24x_accounts');
    await page.selectOption('select[name="default_sales_account"]', '260');
    await page.selectOption('select[name="tax_map[15]"]', 'OUTPUT2');
    await page.click('#b24x-save');
    await page.waitForURL(/saved=Y/);
    expect(await page.locator('#b24x-message').innerText()).toContain('Settings saved');

    const { settings, problems } = await readSettings(t.db);
    expect(problems).toEqual([]);
    expect(settings.statusMap.pull).toEqual({ smart: { PAID: `DT31_${cat}:UC_APPROVAL` }, legacy: { AUTHORISED: 'S' } });
    expect(settings.statusMap.push).toEqual({ createAs: 'AUTHORISED' });
    expect(settings.statusMap.skipStages).toContain(`DT31_${cat}:N`);
    expect(settings.statusMap.skipStages).not.toContain(`DT31_${cat}:S`);
    expect(settings.defaultSalesAccount).toBe('260');
    expect(settings.taxMap).toEqual({ 15: 'OUTPUT2' });

    await page.click('#tab_cont_b24x_sync');
    await page.fill('input[name="sync_schedule"]', 'every minute');
    await page.click('#b24x-save');
    await page.waitForLoadState();
    expect(await page.locator('#b24x-message').innerText()).toContain('is not a schedule');
    expect(await page.inputValue('input[name="sync_schedule"]'), 'a refused form keeps what was typed').toBe('every minute');
    expect((await readSettings(t.db)).settings.syncSchedule).toBe('* * * * *');
    await page.screenshot({ path: join(ARTIFACTS, 'options-refused.png'), fullPage: true });
    await context.close();
  });

  it('shows the Xero panel of an invoice with its status, amount due, payments, links and Retry', async () => {
    const { context, page } = await as(ADMIN, 375);
    const url = `${portal.baseUrl}/bitrix/admin/b24xero_sync_invoice.php?lang=en&entity=smart_invoice`;
    await page.goto(`${url}&id=${ids.smart1}`);
    expect(await page.locator('#b24x-status').innerText()).toBe('AUTHORISED');
    expect(await page.locator('#b24x-amount-due').innerText()).toContain('130.00 NZD');
    expect(await page.locator('#b24x-payments tbody tr').count()).toBe(20);
    expect(await page.locator('#b24x-online').getAttribute('href')).toBe('https://in.xero.com/online-1');
    expect(await page.locator('#b24x-in-xero').getAttribute('href')).toMatch(/^https:\/\/go\.xero\.com\/AccountsReceivable\/View\.aspx\?InvoiceID=/);
    await page.screenshot({ path: join(ARTIFACTS, 'invoice-panel-375.png'), fullPage: true });

    await page.goto(`${url}&id=${ids.smart2}&bare=Y`);
    expect(await page.locator('#adm-title').count()).toBe(0);
    const id = await errorId('xero_unavailable');
    await t.db.updateTable('b_b24xero_record_error').set({ NEXT_RETRY_AT: '2027-01-01 00:00:00.000' }).where('ID', '=', id).execute();
    await page.locator(`.b24x-error[data-id="${id}"] button[data-action="retry"]`).click();
    await page.waitForURL(/retried=Y/);
    expect(await dueNow(id)).toBe(true);

    const reader = await as(MANAGER);
    const denied = await reader.page.goto(`${url}&id=${ids.smart1}`);
    expect(denied!.status()).toBe(403);
    expect(await reader.page.locator('.adm-auth-message').innerText()).toBe('You may not read this invoice.');
    await reader.context.close();
    await context.close();
  });

  it('adds a product to the catalog with its sales account, queued for a Xero Item', async () => {
    const { context, page } = await as(ADMIN, 375);
    await page.goto(`${portal.baseUrl}/bitrix/admin/b24xero_sync_product.php?lang=en`);
    await page.fill('#b24x-name', 'Tree survey');
    await page.fill('#b24x-price', 'abc');
    await page.click('#b24x-add');
    await page.waitForLoadState();
    expect(await page.locator('#b24x-message').innerText()).toContain('is not a price');
    await page.fill('#b24x-price', '450.00');
    await page.selectOption('#b24x-vat', String(info.vat.gst15));
    await page.selectOption('#b24x-account', '260');
    await page.screenshot({ path: join(ARTIFACTS, 'add-product-375.png'), fullPage: true });
    await page.click('#b24x-add');
    await page.waitForURL(/added=\d+/);
    const productId = Number(new URL(page.url()).searchParams.get('added'));
    const price = await t.db.selectFrom('b_catalog_price').select(['PRICE', 'CURRENCY']).where('PRODUCT_ID', '=', productId).executeTakeFirstOrThrow();
    expect(price).toEqual({ PRICE: '450.00', CURRENCY: 'NZD' });
    expect((await readSettings(t.db)).settings.productAccounts[String(productId)]).toBe('260');
    const change = await t.db.selectFrom('b_b24xero_change').select('ENTITY_TYPE').where('ENTITY_ID', '=', productId).where('ENTITY_TYPE', '=', 'product').execute();
    expect(change).toHaveLength(1);

    const reader = await as(MANAGER);
    expect((await reader.page.goto(`${portal.baseUrl}/bitrix/admin/b24xero_sync_product.php?lang=en`))!.status()).toBe(403);
    await reader.context.close();
    await context.close();
  });

  async function errorId(code: string): Promise<number> {
    const row = await t.db.selectFrom('b_b24xero_record_error').select('ID').where('CODE', '=', code).executeTakeFirstOrThrow();
    return Number(row.ID);
  }

  async function dueNow(id: number): Promise<boolean> {
    const row = await t.db.selectFrom('b_b24xero_record_error')
      .select(sql<number>`COALESCE(NEXT_RETRY_AT <= UTC_TIMESTAMP(3), 0)`.as('due'))
      .where('ID', '=', id).executeTakeFirstOrThrow();
    return Number(row.due) === 1;
  }
});
