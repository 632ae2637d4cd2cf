import type { Kysely } from 'kysely';
import {
  buildCompany, buildContact, buildLegacyInvoice, buildProduct, buildSmartInvoice, createBitrixSchema, naiveDateTime,
  setModuleSettings, shiftNaive, type FixtureInfo, type ProductRowSpec,
} from '../../../test/fixture/index.ts';

/** The invoices the demo's story acts on later, by the part they play. */
export interface DemoRoles {
  /** A smart invoice that stays DRAFT in Xero: edited in Bitrix, the next pass updates it. */
  editInBitrix: DemoInvoiceRef;
  /** A smart invoice approved in Xero, then edited in Bitrix: the next pass records a conflict. */
  approveInXero: DemoInvoiceRef;
  /** In JPY, a currency the Xero organisation does not have: a clear per-record error. */
  unsubscribedCurrency: DemoInvoiceRef;
  /** "Sync with Xero" unticked: skipped. */
  unticked: DemoInvoiceRef;
}

export interface DemoInvoiceRef {
  entityType: 'smart_invoice';
  id: number;
  accountNumber: string;
  /** Its product rows as entered, so a later edit can re-price them the way Bitrix does. */
  rows: ProductRowSpec[];
}

export interface DemoPortal {
  info: FixtureInfo;
  companies: number;
  contacts: number;
  personPayers: number;
  smartInvoiceIds: number[];
  legacyInvoiceIds: number[];
  roles: DemoRoles;
}

/** JPY as a Bitrix admin would have added it (Shop › Currencies): known to Bitrix, not to the Xero organisation. */
async function addJpy(db: Kysely<any>, when: string): Promise<void> {
  await db.insertInto('b_catalog_currency').values({
    CURRENCY: 'JPY', AMOUNT_CNT: 100, AMOUNT: '1.1200', SORT: 600, DATE_UPDATE: when, NUMCODE: '392', BASE: 'N',
    CREATED_BY: 1, DATE_CREATE: when, MODIFIED_BY: 1, CURRENT_BASE_RATE: '1.1200',
  }).execute();
}

const GST = 15;

/**
 * A small New Zealand portal that tells the demo's story: three customer companies with their people, two people who
 * buy for themselves, catalog products, smart invoices (NZD, one AUD export, one JPY, one with "Sync with Xero"
 * unticked, one declined) and legacy invoices, and the module's options as an admin would save them. Dates are
 * recent (the last fortnight), written in this machine's local time as a Bitrix server writes them.
 */
export async function buildDemoPortal(db: Kysely<any>): Promise<DemoPortal> {
  const info = await createBitrixSchema(db, { crm: '25', smartInvoiceCategoryId: 7 });
  const now = naiveDateTime();
  const daysAgo = (days: number, minutes = 0) => shiftNaive(now, -(days * 86_400 + minutes * 60));
  await addJpy(db, daysAgo(30));

  const own = await buildCompany(db, {
    title: 'Example Ltd', isMyCompany: true, emails: ['accounts@example.co.nz'],
    address: { address1: '1 Queen Street', city: 'Auckland', postalCode: '1010', country: 'New Zealand', countryCode: 'NZ' },
    requisite: { vatId: '123-456-789' }, dateModify: daysAgo(400),
  });

  const AKL: [string, string, string] = ['Auckland', '1010', 'NZ'];
  const WLG: [string, string, string] = ['Wellington', '6011', 'NZ'];
  const SYD: [string, string, string] = ['Sydney', '2000', 'AU'];
  const person = async (name: string, lastName: string, email: string, street: string, [city, postalCode, countryCode]: [string, string, string], extra: { phone?: string; post?: string } = {}) =>
    (await buildContact(db, {
      name, lastName, post: extra.post ?? null, emails: [email], phones: extra.phone ? [extra.phone] : [],
      address: { address1: street, city, postalCode, countryCode }, dateModify: daysAgo(20),
    })).contactId;

  const aroha = await person('Aroha', 'Ngata', 'aroha.ngata@kauritimber.example', '14 Fanshawe St', AKL, { phone: '+64 9 555 0101', post: 'Accounts payable' });
  const wiremu = await person('Wiremu', 'Parata', 'wiremu@kauritimber.example', '14 Fanshawe St', AKL, { post: 'Director' });
  const james = await person('James', 'Smith', 'james.smith@harbouranalytics.example', '200 George St', SYD, { phone: '+61 2 5550 1234', post: 'Finance manager' });
  const olivia = await person('Olivia', 'Brown', 'olivia@harbouranalytics.example', '200 George St', SYD);
  const sophie = await person('Sophie', 'Wilson', 'sophie@cafeaotearoa.example', '88 Cuba St', WLG, { post: 'Owner' });
  const liam = await person('Liam', 'Taylor', 'liam@cafeaotearoa.example', '88 Cuba St', WLG);
  const mere = await person('Mere', 'Kereama', 'mere.kereama@mail.example', '5 Aro St', WLG, { phone: '+64 21 555 1003' });
  const noah = await person('Noah', 'Cooper', 'noah.cooper@mail.example', '27 Ponsonby Rd', AKL);

  const company = async (title: string, slug: string, street: string, [city, postalCode, countryCode]: [string, string, string], vatId: string, contacts: number[]) =>
    (await buildCompany(db, {
      title, emails: [`accounts@${slug}.example`], phones: [countryCode === 'AU' ? '+61 2 5550 0200' : '+64 4 555 0200'],
      address: { address1: street, city, postalCode, countryCode },
      requisite: { vatId }, contacts, dateModify: daysAgo(20),
    })).companyId;
  const kauri = await company('Kauri Timber Ltd', 'kauritimber', '14 Fanshawe St', AKL, '49-091-850', [aroha, wiremu]);
  const harbour = await company('Harbour Analytics Pty Ltd', 'harbouranalytics', 'Level 9, 200 George St', SYD, '51 824 753 556', [james, olivia]);
  const cafe = await company('Café Aotearoa', 'cafeaotearoa', '88 Cuba St', WLG, '98-765-432', [sophie, liam]);

  const product = async (name: string, price: number) =>
    (await buildProduct(db, { name, price, vatId: info.vat.gst15, vatIncluded: false, timestamp: daysAgo(90) })).productId;
  const consulting = await product('Consulting hour', 150);
  const hosting = await product('Website hosting (month)', 49.9);
  const logo = await product('Logo design', 1200);
  const retainer = await product('Support retainer', 800);

  let sequence = 1000;
  const smartInvoiceIds: number[] = [];
  const smart = async (spec: {
    title: string; companyId?: number; contactIds: number[]; stage?: string; currency?: string; rows: ProductRowSpec[];
    sync?: 0 | 1; age: number;
  }): Promise<DemoInvoiceRef> => {
    const accountNumber = `INV-${++sequence}`;
    const updated = daysAgo(spec.age);
    const built = await buildSmartInvoice(db, info, {
      title: spec.title, accountNumber, stage: spec.stage ?? 'N', companyId: spec.companyId, contactIds: spec.contactIds,
      mycompanyId: own.companyId, currency: spec.currency ?? 'NZD', rows: spec.rows, sync: spec.sync,
      createdTime: shiftNaive(updated, -3600), updatedTime: updated,
    });
    smartInvoiceIds.push(built.id);
    return { entityType: 'smart_invoice', id: built.id, accountNumber, rows: [...spec.rows] };
  };
  const line = (productId: number, name: string, price: number, quantity: number, extra: Partial<ProductRowSpec> = {}): ProductRowSpec =>
    ({ productId, name, price, quantity, taxRate: GST, taxIncluded: false, ...extra });

  const editInBitrix = await smart({
    title: 'Website refresh — discovery', companyId: kauri, contactIds: [aroha, wiremu], age: 9,
    rows: [line(consulting, 'Consulting hour', 150, 10)],
  });
  await smart({
    title: 'Hosting and support, March', companyId: kauri, contactIds: [aroha], stage: 'S', age: 8,
    rows: [line(hosting, 'Website hosting (month)', 49.9, 3), line(retainer, 'Support retainer', 800, 1, { discount: { type: 'percent', rate: 10 } })],
  });
  const approveInXero = await smart({
    title: 'Data platform workshop', companyId: harbour, contactIds: [james, olivia], currency: 'AUD', age: 7,
    // An export of services to Australia: zero-rated GST.
    rows: [line(consulting, 'Workshop facilitation (hour)', 165, 16, { taxRate: 0 }), { name: 'Travel (flights, accommodation)', price: 1280, quantity: 1, taxRate: 0 }],
  });
  await smart({
    title: 'Brand identity', companyId: cafe, contactIds: [sophie], age: 6,
    rows: [line(logo, 'Logo design', 1380, 1, { taxIncluded: true, discount: { type: 'amount', perUnit: 80 } }), line(consulting, 'Consulting hour', 150, 2.5)],
  });
  await smart({
    title: 'Personal website', contactIds: [mere], stage: 'S', age: 5,
    rows: [line(hosting, 'Website hosting (month)', 49.9, 12, { discount: { type: 'percent', rate: 15 } }), { name: 'Domain renewal', price: 35.5, quantity: 1, taxRate: GST }],
  });
  await smart({
    title: 'Home office network setup', contactIds: [noah], age: 4,
    rows: [line(consulting, 'Consulting hour', 172.5, 3, { taxIncluded: true })],
  });
  const unsubscribedCurrency = await smart({
    title: 'Menu design for the Tokyo pop-up', companyId: cafe, contactIds: [liam], currency: 'JPY', age: 3,
    rows: [{ name: 'Menu design', price: 120000, quantity: 1, taxRate: 0 }],
  });
  const unticked = await smart({
    title: 'Internal test invoice', companyId: harbour, contactIds: [olivia], sync: 0, age: 2,
    rows: [line(consulting, 'Consulting hour', 150, 1)],
  });
  await smart({
    title: 'Quote that was turned down', companyId: kauri, contactIds: [wiremu], stage: 'D', age: 10,
    rows: [line(retainer, 'Support retainer', 800, 6)],
  });

  const legacyInvoiceIds: number[] = [];
  const legacy = async (spec: Parameters<typeof buildLegacyInvoice>[1] & { age: number }) => {
    const { age, ...rest } = spec;
    legacyInvoiceIds.push((await buildLegacyInvoice(db, { mycompanyId: own.companyId, currency: 'NZD', dateUpdate: daysAgo(age), ...rest })).id);
  };
  await legacy({
    topic: 'Timber yard signage', statusId: 'N', companyId: kauri, contactId: aroha, age: 12,
    lines: [{ name: 'Sign design', price: 450, quantity: 2, vatRate: GST, vatIncluded: false }, { name: 'Installation', price: 180, quantity: 1, vatRate: GST, vatIncluded: false }],
    props: [{ code: 'COMPANY', value: 'Kauri Timber Ltd' }, { code: 'EMAIL', value: 'accounts@kauritimber.example' }],
  });
  await legacy({
    topic: 'Photography session', statusId: 'S', contactId: mere, age: 11,
    lines: [{ name: 'Portrait session', price: 345, quantity: 1, vatRate: GST, vatIncluded: true, discountPerUnit: 20 }],
    props: [{ code: 'FIO', value: 'Mere Kereama' }, { code: 'EMAIL', value: 'mere.kereama@mail.example' }],
  });
  await legacy({
    topic: 'Coffee machine service plan', statusId: 'N', companyId: cafe, contactId: sophie, age: 10,
    lines: [{ name: 'Service plan (quarter)', price: 240, quantity: 4, vatRate: GST, vatIncluded: false }],
    props: [{ code: 'COMPANY', value: 'Café Aotearoa' }, { code: 'EMAIL', value: 'accounts@cafeaotearoa.example' }],
  });

  await setModuleSettings(db, {
    defaultSalesAccount: '200',
    taxMap: { '15': 'OUTPUT2', '0': 'ZERORATEDOUTPUT' },
    invoiceKinds: ['smart', 'legacy'],
  });

  return {
    info, companies: 3, contacts: 8, personPayers: 2, smartInvoiceIds, legacyInvoiceIds,
    roles: { editInBitrix, approveInXero, unsubscribedCurrency, unticked },
  };
}
