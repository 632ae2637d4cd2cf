/** The Bitrix side of the daemon: what it reads from the portal's database, and how it finds what changed. */
export type { BitrixTables } from './tables.ts';
export { bitrixDb, OWNER_TYPE } from './tables.ts';
export type { InvoicePage } from './invoice-parts.ts';
export { readSmartInvoices, SMART_INVOICE_OWNER_TYPE } from './smart-invoices.ts';
export { readLegacyInvoices } from './legacy-invoices.ts';
export { readContacts, readCompanies, loadParties, type ContactPage, type CompanyPage, type Parties } from './parties.ts';
export { readProducts, listProductIds, BASE_PRICE_GROUP_ID, type ProductPage } from './products.ts';
export { readStages, loadLegacyStages, loadSmartStages, smartStageEntityId, type AllStages, type SmartCategoryStages } from './stages.ts';
export { readModuleOptionsRaw } from './module-options.ts';
export {
  scanChanged, scanIndexStatus, scanCursorName, encodeScanPosition, decodeScanPosition, passStart, datedPageQuery, undatedPageQuery,
  SCAN_KINDS, SCAN_SOURCES, DEFAULT_OVERLAP_SECONDS, DEFAULT_SCAN_LIMIT,
  type ScanKind, type ScanPage, type ScanPosition, type ScanRow, type ScanOptions,
} from './scan.ts';
export { isTimeZone, resolveBitrixTimeZone, naiveToUtc, utcToNaive, shiftNaive, repeatedWallClockSeconds, TimeZoneError } from './bitrix-time.ts';
